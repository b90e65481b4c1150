//! [`WorkspacesApi`] over the real `aws-sdk-workspaces` client.
//!
//! This is the only module that touches SDK types: it builds requests, converts the
//! answers into Fleetdesk's model and reduces SDK errors to [`AwsError`]. Clients
//! come from the standard `aws-config` chain, so profiles, environment variables,
//! `AWS_ENDPOINT_URL_WORKSPACES`, SSO and instance roles work unchanged.
//!
//! This file holds the client and the dispatch from each [`Query`] and [`Change`]
//! variant to one method; each area's calls and conversions live in the submodule named
//! after it, next to `convert` (shared conversions) and `errors` (SDK errors).

mod account;
mod applications;
mod bundles;
mod connection_aliases;
mod convert;
mod directories;
mod errors;
mod images;
mod ip_groups;
mod tagging;
mod tags;
mod workspaces;

use workspaces::send_change;

use app::model::place_name;
use app::server::aws::{Answer, AwsError, Change, ChangeOutcome, Page, Query, WorkspacesApi};
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::config::Region;

/// The WorkSpaces API of one account and Region through the AWS SDK, with the Resource
/// Groups Tagging API of the same place for the tags of the whole fleet.
pub struct SdkWorkspaces {
    client: Client,
    /// Absent for clients built with [`SdkWorkspaces::from_client`] alone.
    tagging: Option<aws_sdk_resourcegroupstagging::Client>,
    region: String,
    account: String,
}

impl SdkWorkspaces {
    /// A client for `region` built from an already loaded shared configuration (whose
    /// credentials decide the AWS account).
    pub fn new(shared: &SdkConfig, region: &str) -> Self {
        let config = aws_sdk_workspaces::config::Builder::from(shared)
            .region(Region::new(region.to_string()))
            .build();
        let tagging = aws_sdk_resourcegroupstagging::config::Builder::from(shared)
            .region(aws_sdk_resourcegroupstagging::config::Region::new(
                region.to_string(),
            ))
            .build();
        Self::from_client(Client::from_conf(config), region)
            .with_tagging(aws_sdk_resourcegroupstagging::Client::from_conf(tagging))
    }

    /// Wraps a client built elsewhere (tests build theirs with `aws-smithy-mocks`);
    /// without [`SdkWorkspaces::with_tagging`] the sync reads tags one WorkSpace at a time.
    pub fn from_client(client: Client, region: &str) -> Self {
        SdkWorkspaces {
            client,
            tagging: None,
            region: region.to_string(),
            account: String::new(),
        }
    }

    /// Reads the fleet's tags through this Resource Groups Tagging API client.
    pub fn with_tagging(mut self, tagging: aws_sdk_resourcegroupstagging::Client) -> Self {
        self.tagging = Some(tagging);
        self
    }

    /// Names the configured account this client acts in (see
    /// [`WorkspacesApi::account`]).
    pub fn in_account(mut self, account: &str) -> Self {
        self.account = account.to_string();
        self
    }
}

#[async_trait]
impl WorkspacesApi for SdkWorkspaces {
    fn region(&self) -> &str {
        &self.region
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn lists_tags(&self) -> bool {
        self.tagging.is_some()
    }

    async fn describe(&self, query: &Query) -> Result<Answer, AwsError> {
        self.read(query)
            .await
            .map_err(|error| error.in_region(&place_name(&self.account, &self.region)))
    }

    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, AwsError> {
        self.send(change)
            .await
            .map_err(|error| error.in_region(&place_name(&self.account, &self.region)))
    }
}

/// One SDK call per [`Query`] and [`Change`] variant.
impl SdkWorkspaces {
    async fn read(&self, query: &Query) -> Result<Answer, AwsError> {
        Ok(match query {
            Query::Workspaces { next_token } => {
                Answer::Workspaces(self.describe_workspaces(next_token.clone()).await?)
            }
            Query::WorkspacesById { ids } => Answer::Workspaces(Page {
                items: self.describe_workspaces_by_id(ids).await?,
                next_token: None,
            }),
            Query::Directories { next_token } => {
                Answer::Directories(self.describe_directories(next_token.clone()).await?)
            }
            Query::Bundles { owner, next_token } => {
                Answer::Bundles(self.describe_bundles(*owner, next_token.clone()).await?)
            }
            Query::Images {
                owned_only,
                next_token,
            } => Answer::Images(
                self.describe_images(*owned_only, next_token.clone())
                    .await?,
            ),
            Query::IpGroups {
                group_ids,
                next_token,
            } => Answer::IpGroups(
                self.describe_ip_groups(group_ids, next_token.clone())
                    .await?,
            ),
            Query::ConnectionStatus { next_token } => {
                Answer::ConnectionStatus(self.describe_connection_status(next_token.clone()).await?)
            }
            Query::ImagePermissions { image_id } => {
                Answer::AccountIds(self.describe_image_permissions(image_id).await?)
            }
            Query::Tags { resource_id } => Answer::Tags(self.describe_tags(resource_id).await?),
            Query::WorkspaceTags { next_token } => {
                Answer::WorkspaceTags(self.workspace_tags(next_token.clone()).await?)
            }
            Query::Snapshots { workspace_id } => {
                Answer::Snapshots(self.describe_snapshots(workspace_id).await?)
            }
            Query::Account => Answer::Account(self.describe_account().await?),
            Query::AccountModifications { next_token } => Answer::AccountModifications(
                self.describe_account_modifications(next_token.clone())
                    .await?,
            ),
            Query::ManagementCidrRanges {
                constraint,
                next_token,
            } => Answer::CidrRanges(
                self.list_management_cidr_ranges(constraint, next_token.clone())
                    .await?,
            ),
            Query::ConnectionAliases {
                alias_ids,
                next_token,
            } => Answer::ConnectionAliases(
                self.describe_connection_aliases(alias_ids, next_token.clone())
                    .await?,
            ),
            Query::ConnectionAliasPermissions { alias_id } => {
                Answer::AliasPermissions(self.describe_alias_permissions(alias_id).await?)
            }
            Query::ClientProperties { directory_ids } => {
                Answer::ClientProperties(self.describe_client_properties(directory_ids).await?)
            }
            Query::Applications { filter, next_token } => Answer::Applications(
                self.describe_applications(filter, next_token.clone())
                    .await?,
            ),
            Query::ApplicationAssociations {
                application_id,
                resource_types,
                next_token,
            } => Answer::Associations(
                self.describe_application_associations(
                    application_id,
                    resource_types,
                    next_token.clone(),
                )
                .await?,
            ),
            Query::ResourceAssociations { resource } => Answer::Associations(Page {
                items: self.describe_resource_associations(resource).await?,
                next_token: None,
            }),
        })
    }

    async fn send(&self, change: &Change) -> Result<ChangeOutcome, AwsError> {
        match change {
            Change::Workspace(change) => send_change(&self.client, change).await,
            Change::IpGroup(change) => self.change_ip_group(change).await,
            Change::Image(change) => self.change_image(change).await,
            Change::Directory(change) => self.change_directory(change).await,
            Change::Bundle(change) => self.change_bundle(change).await,
            Change::Tags(change) => self.change_tags(change).await,
            Change::Account(change) => self.change_account(change).await,
            Change::ConnectionAlias(change) => self.change_alias(change).await,
            Change::Application(change) => self.change_application(change).await,
        }
    }
}
