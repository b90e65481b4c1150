//! Connection aliases (cross-Region redirection): describing them and their sharing permissions, and every [`AliasChange`].

use app::model::{AliasAssociation, AliasPermission, ConnectionAlias};
use app::server::aws::{AliasChange, AwsError, ChangeOutcome, Page};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{answered, invalid, owned, text};
use super::errors::error_from_sdk;

impl SdkWorkspaces {
    pub(super) async fn describe_connection_aliases(
        &self,
        alias_ids: &[String],
        next_token: Option<String>,
    ) -> Result<Page<ConnectionAlias>, AwsError> {
        let out = self
            .client
            .describe_connection_aliases()
            .set_alias_ids((!alias_ids.is_empty()).then(|| alias_ids.to_vec()))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .connection_aliases()
                .iter()
                .map(|alias| connection_alias(alias, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    pub(super) async fn describe_alias_permissions(
        &self,
        alias_id: &str,
    ) -> Result<Vec<AliasPermission>, AwsError> {
        let mut permissions = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .describe_connection_alias_permissions()
                .alias_id(alias_id)
                .set_next_token(token)
                .send()
                .await
                .map_err(error_from_sdk)?;
            permissions.extend(out.connection_alias_permissions().iter().map(|p| {
                AliasPermission {
                    account_id: p.shared_account_id().to_string(),
                    allow_association: p.allow_association(),
                }
            }));
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => return Ok(permissions),
            }
        }
    }

    pub(super) async fn change_alias(
        &self,
        change: &AliasChange,
    ) -> Result<ChangeOutcome, AwsError> {
        match change {
            AliasChange::Create {
                connection_string,
                tags,
            } => {
                let tags = tags
                    .iter()
                    .map(|tag| {
                        types::Tag::builder()
                            .key(&tag.key)
                            .value(&tag.value)
                            .build()
                            .map_err(|e| invalid(e.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let out = self
                    .client
                    .create_connection_alias()
                    .connection_string(connection_string)
                    .set_tags((!tags.is_empty()).then_some(tags))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), owned(out.alias_id())))
            }
            AliasChange::Delete { alias_id } => {
                let out = self
                    .client
                    .delete_connection_alias()
                    .alias_id(alias_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            AliasChange::Associate {
                alias_id,
                directory_id,
            } => {
                let out = self
                    .client
                    .associate_connection_alias()
                    .alias_id(alias_id)
                    .resource_id(directory_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(
                    out.request_id(),
                    owned(out.connection_identifier()),
                ))
            }
            AliasChange::Disassociate { alias_id } => {
                let out = self
                    .client
                    .disassociate_connection_alias()
                    .alias_id(alias_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            AliasChange::SetPermission {
                alias_id,
                account_id,
                allow,
            } => {
                let permission = types::ConnectionAliasPermission::builder()
                    .shared_account_id(account_id)
                    .allow_association(*allow)
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                let out = self
                    .client
                    .update_connection_alias_permission()
                    .alias_id(alias_id)
                    .connection_alias_permission(permission)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
        }
    }
}

pub(super) fn connection_alias(alias: &types::ConnectionAlias, region: &str) -> ConnectionAlias {
    ConnectionAlias {
        id: text(alias.alias_id()),
        account: String::new(),
        region: region.to_string(),
        connection_string: text(alias.connection_string()),
        state: alias.state().map(|s| s.as_str().to_string()),
        owner_account_id: owned(alias.owner_account_id()),
        associations: alias
            .associations()
            .iter()
            .map(|a| AliasAssociation {
                associated_account_id: owned(a.associated_account_id()),
                resource_id: owned(a.resource_id()),
                connection_identifier: owned(a.connection_identifier()),
                status: a.association_status().map(|s| s.as_str().to_string()),
            })
            .collect(),
        // Filled by the sync (DescribeConnectionAliasPermissions, one call per alias).
        permissions: Vec::new(),
        permissions_error: None,
    }
}
