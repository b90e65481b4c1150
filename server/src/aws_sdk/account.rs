//! The account's BYOL settings: DescribeAccount, its modifications, the management CIDR ranges, and every [`AccountChange`].

use app::model::{AccountInfo, AccountModification};
use app::server::aws::{AccountChange, AwsError, ChangeOutcome, Page};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, owned, timestamp};
use super::errors::error_from_sdk;

impl SdkWorkspaces {
    pub(super) async fn describe_account(&self) -> Result<AccountInfo, AwsError> {
        let out = self
            .client
            .describe_account()
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(AccountInfo {
            dedicated_tenancy_support: out
                .dedicated_tenancy_support()
                .map(|s| s.as_str().to_string()),
            management_cidr: owned(out.dedicated_tenancy_management_cidr_range()),
        })
    }

    pub(super) async fn describe_account_modifications(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<AccountModification>, AwsError> {
        let out = self
            .client
            .describe_account_modifications()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .account_modifications()
                .iter()
                .map(|m| AccountModification {
                    state: m.modification_state().map(|s| s.as_str().to_string()),
                    dedicated_tenancy_support: m
                        .dedicated_tenancy_support()
                        .map(|s| s.as_str().to_string()),
                    management_cidr: owned(m.dedicated_tenancy_management_cidr_range()),
                    start_time: timestamp(m.start_time()),
                    error_code: owned(m.error_code()),
                    error_message: owned(m.error_message()),
                })
                .collect(),
            next_token: owned(out.next_token()),
        })
    }

    pub(super) async fn list_management_cidr_ranges(
        &self,
        constraint: &str,
        next_token: Option<String>,
    ) -> Result<Page<String>, AwsError> {
        let out = self
            .client
            .list_available_management_cidr_ranges()
            .management_cidr_range_constraint(constraint)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out.management_cidr_ranges().to_vec(),
            next_token: owned(out.next_token()),
        })
    }

    pub(super) async fn change_account(
        &self,
        change: &AccountChange,
    ) -> Result<ChangeOutcome, AwsError> {
        match change {
            AccountChange::EnableByol { management_cidr } => {
                let out = self
                    .client
                    .modify_account()
                    .dedicated_tenancy_support(types::DedicatedTenancySupportEnum::Enabled)
                    .dedicated_tenancy_management_cidr_range(management_cidr)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
        }
    }
}
