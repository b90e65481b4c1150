//! IP access control groups: describing them and every [`IpGroupChange`].

use app::model::{IpGroup, IpRule};
use app::server::aws::{AwsError, ChangeOutcome, IpGroupChange, Page};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, owned, text};
use super::errors::error_from_sdk;

impl SdkWorkspaces {
    pub(super) async fn describe_ip_groups(
        &self,
        group_ids: &[String],
        next_token: Option<String>,
    ) -> Result<Page<IpGroup>, AwsError> {
        let out = self
            .client
            .describe_ip_groups()
            .set_group_ids((!group_ids.is_empty()).then(|| group_ids.to_vec()))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .result()
                .iter()
                .map(|g| ip_group(g, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    pub(super) async fn change_ip_group(
        &self,
        change: &IpGroupChange,
    ) -> Result<ChangeOutcome, AwsError> {
        let rule_items = |rules: &[IpRule]| -> Vec<types::IpRuleItem> {
            rules
                .iter()
                .map(|rule| {
                    types::IpRuleItem::builder()
                        .ip_rule(&rule.cidr)
                        .set_rule_desc(rule.description.clone())
                        .build()
                })
                .collect()
        };
        match change {
            IpGroupChange::Create {
                name,
                description,
                rules,
            } => {
                let out = self
                    .client
                    .create_ip_group()
                    .group_name(name)
                    .set_group_desc(description.clone())
                    .set_user_rules(Some(rule_items(rules)))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), owned(out.group_id())))
            }
            IpGroupChange::Delete { group_id } => {
                let out = self
                    .client
                    .delete_ip_group()
                    .group_id(group_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            IpGroupChange::AuthorizeRules { group_id, rules } => {
                let out = self
                    .client
                    .authorize_ip_rules()
                    .group_id(group_id)
                    .set_user_rules(Some(rule_items(rules)))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            IpGroupChange::RevokeRules { group_id, cidrs } => {
                let out = self
                    .client
                    .revoke_ip_rules()
                    .group_id(group_id)
                    .set_user_rules(Some(cidrs.clone()))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            IpGroupChange::ReplaceRules { group_id, rules } => {
                let out = self
                    .client
                    .update_rules_of_ip_group()
                    .group_id(group_id)
                    .set_user_rules(Some(rule_items(rules)))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            IpGroupChange::Associate {
                directory_id,
                group_id,
            } => {
                let out = self
                    .client
                    .associate_ip_groups()
                    .directory_id(directory_id)
                    .group_ids(group_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            IpGroupChange::Disassociate {
                directory_id,
                group_id,
            } => {
                let out = self
                    .client
                    .disassociate_ip_groups()
                    .directory_id(directory_id)
                    .group_ids(group_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
        }
    }
}

pub(super) fn ip_group(group: &types::WorkspacesIpGroup, region: &str) -> IpGroup {
    IpGroup {
        id: text(group.group_id()),
        account: String::new(),
        region: region.to_string(),
        name: text(group.group_name()),
        description: owned(group.group_desc()),
        rules: group
            .user_rules()
            .iter()
            .map(|rule| IpRule {
                cidr: text(rule.ip_rule()),
                description: owned(rule.rule_desc()),
            })
            .collect(),
    }
}
