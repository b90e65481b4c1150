//! [`WorkspacesApi`] over the real `aws-sdk-workspaces` client.
//!
//! This is the only module that touches SDK types: it builds requests, converts the
//! answers into Fleetdesk's model and reduces SDK errors to [`WorkspacesError`]. Clients
//! come from the standard `aws-config` chain, so profiles, environment variables,
//! `AWS_ENDPOINT_URL_WORKSPACES`, SSO and instance roles work unchanged.

use app::model::{
    Access, AccessProperties, AccountInfo, AccountModification, AliasAssociation, AliasPermission,
    AppAssociation, Application, ApplicationFilter, Bundle, ClientProperties, ConnectionAlias,
    ConnectionStatus, CreationProperties, Directory, Image, IpGroup, IpRule, RelatedWorkspace,
    SelfService, Snapshot, StandbyRole, Tag, Workspace, WorkspaceDetails, WorkspaceState,
    place_name,
};
use app::server::aws::{
    AccountChange, AliasChange, Answer, ApplicationChange, AssociatedResource, BundleChange,
    BundleOwner, Change, ChangeOutcome, DescribedWorkspace, DirectoryChange, ErrorKind,
    FailedRequest, ImageChange, IpGroupChange, NewWorkspace, Page, Query, TagChange,
    WorkspaceChange, WorkspacesApi, WorkspacesError,
};
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::config::Region;
use aws_sdk_workspaces::config::http::HttpResponse;
use aws_sdk_workspaces::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::primitives::{DateTime, DateTimeFormat};
use aws_sdk_workspaces::types;

/// The WorkSpaces API of one account and Region through the AWS SDK.
pub struct SdkWorkspaces {
    client: Client,
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
        Self::from_client(Client::from_conf(config), region)
    }

    /// Wraps a client built elsewhere (tests build theirs with `aws-smithy-mocks`).
    pub fn from_client(client: Client, region: &str) -> Self {
        SdkWorkspaces {
            client,
            region: region.to_string(),
            account: String::new(),
        }
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

    async fn describe(&self, query: &Query) -> Result<Answer, WorkspacesError> {
        self.read(query)
            .await
            .map_err(|error| error.in_region(&place_name(&self.account, &self.region)))
    }

    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, WorkspacesError> {
        self.send(change)
            .await
            .map_err(|error| error.in_region(&place_name(&self.account, &self.region)))
    }
}

/// One SDK call per [`Query`] and [`Change`] variant.
impl SdkWorkspaces {
    async fn read(&self, query: &Query) -> Result<Answer, WorkspacesError> {
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

    async fn send(&self, change: &Change) -> Result<ChangeOutcome, WorkspacesError> {
        match change {
            Change::Workspace(change) => send_change(&self.client, change).await,
            Change::IpGroup(change) => self.change_ip_group(change).await,
            Change::Image(change) => self.change_image(change).await,
            Change::Directory(change) => self.change_directory(change).await,
            Change::Bundle(change) => self.change_bundle(change).await,
            Change::Tags(change) => self.change_tags(change).await,
            Change::Account(AccountChange::EnableByol { management_cidr }) => {
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
            Change::ConnectionAlias(change) => self.change_alias(change).await,
            Change::Application(change) => self.change_application(change).await,
        }
    }
}

/// One SDK call per method; `read` and `send` pick the method.
impl SdkWorkspaces {
    async fn describe_workspaces(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<DescribedWorkspace>, WorkspacesError> {
        let out = self
            .client
            .describe_workspaces()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .workspaces()
                .iter()
                .map(|ws| DescribedWorkspace {
                    workspace: workspace(ws, &self.region),
                    details: details(ws),
                })
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_directories(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Directory>, WorkspacesError> {
        let out = self
            .client
            .describe_workspace_directories()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .directories()
                .iter()
                .map(|dir| directory(dir, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_bundles(
        &self,
        owner: BundleOwner,
        next_token: Option<String>,
    ) -> Result<Page<Bundle>, WorkspacesError> {
        let request = self
            .client
            .describe_workspace_bundles()
            .set_next_token(next_token);
        let request = match owner {
            BundleOwner::Account => request,
            BundleOwner::Amazon => request.owner("AMAZON"),
        };
        let out = request.send().await.map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .bundles()
                .iter()
                .map(|b| bundle(b, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_images(
        &self,
        owned_only: bool,
        next_token: Option<String>,
    ) -> Result<Page<Image>, WorkspacesError> {
        let out = self
            .client
            .describe_workspace_images()
            .set_image_type(owned_only.then_some(types::ImageType::Owned))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .images()
                .iter()
                .map(|img| image(img, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_ip_groups(
        &self,
        group_ids: &[String],
        next_token: Option<String>,
    ) -> Result<Page<IpGroup>, WorkspacesError> {
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

    async fn describe_connection_status(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<ConnectionStatus>, WorkspacesError> {
        let out = self
            .client
            .describe_workspaces_connection_status()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .workspaces_connection_status()
                .iter()
                .map(|status| connection_status(status, &self.region))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_workspaces_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<DescribedWorkspace>, WorkspacesError> {
        let out = self
            .client
            .describe_workspaces()
            .set_workspace_ids(Some(ids.to_vec()))
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(out
            .workspaces()
            .iter()
            .map(|ws| DescribedWorkspace {
                workspace: workspace(ws, &self.region),
                details: details(ws),
            })
            .collect())
    }

    async fn change_ip_group(
        &self,
        change: &IpGroupChange,
    ) -> Result<ChangeOutcome, WorkspacesError> {
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

    async fn describe_image_permissions(
        &self,
        image_id: &str,
    ) -> Result<Vec<String>, WorkspacesError> {
        let mut accounts = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .describe_workspace_image_permissions()
                .image_id(image_id)
                .set_next_token(token)
                .send()
                .await
                .map_err(error_from_sdk)?;
            accounts.extend(
                out.image_permissions()
                    .iter()
                    .filter_map(|p| owned(p.shared_account_id())),
            );
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => return Ok(accounts),
            }
        }
    }

    async fn change_image(&self, change: &ImageChange) -> Result<ChangeOutcome, WorkspacesError> {
        match change {
            ImageChange::Delete { image_id } => {
                let out = self
                    .client
                    .delete_workspace_image()
                    .image_id(image_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            ImageChange::Share {
                image_id,
                account_id,
                allow,
            } => {
                let out = self
                    .client
                    .update_workspace_image_permission()
                    .image_id(image_id)
                    .shared_account_id(account_id)
                    .allow_copy_image(*allow)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            ImageChange::Import(import) => {
                let tags = sdk_tags(&import.tags)?;
                let out = self
                    .client
                    .import_workspace_image()
                    .ec2_image_id(&import.ec2_image_id)
                    .ingestion_process(types::WorkspaceImageIngestionProcess::from(
                        import.ingestion_process.as_str(),
                    ))
                    .image_name(&import.name)
                    .image_description(&import.description)
                    .set_tags((!tags.is_empty()).then_some(tags))
                    .set_applications((!import.applications.is_empty()).then(|| {
                        import
                            .applications
                            .iter()
                            .map(|a| types::Application::from(a.as_str()))
                            .collect()
                    }))
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), owned(out.image_id())))
            }
            ImageChange::Copy {
                source_region,
                source_image_id,
                name,
                description,
            } => {
                let out = self
                    .client
                    .copy_workspace_image()
                    .source_region(source_region)
                    .source_image_id(source_image_id)
                    .name(name)
                    .set_description(description.clone())
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), owned(out.image_id())))
            }
        }
    }

    async fn change_directory(
        &self,
        change: &DirectoryChange,
    ) -> Result<ChangeOutcome, WorkspacesError> {
        let request_id = match change {
            DirectoryChange::Register {
                directory_id,
                registration,
            } => {
                let tags = sdk_tags(&registration.tags)?;
                let enable_work_docs = registration.enable_work_docs;
                let out = self
                    .client
                    .register_workspace_directory()
                    .directory_id(directory_id)
                    .set_subnet_ids(
                        (!registration.subnet_ids.is_empty())
                            .then(|| registration.subnet_ids.clone()),
                    )
                    .enable_self_service(registration.enable_self_service)
                    .set_tenancy(registration.tenancy.as_deref().map(types::Tenancy::from))
                    .set_tags((!tags.is_empty()).then_some(tags))
                    .customize()
                    .mutate_request(move |request| {
                        add_json_field(request, "EnableWorkDocs", enable_work_docs.into())
                    })
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                owned(out.request_id())
            }
            DirectoryChange::Deregister { directory_id } => {
                let out = self
                    .client
                    .deregister_workspace_directory()
                    .directory_id(directory_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                owned(out.request_id())
            }
            DirectoryChange::SetSelfService {
                directory_id,
                permissions,
            } => {
                let flag = |on: bool| {
                    if on {
                        types::ReconnectEnum::Enabled
                    } else {
                        types::ReconnectEnum::Disabled
                    }
                };
                let permissions = types::SelfservicePermissions::builder()
                    .restart_workspace(flag(permissions.restart))
                    .increase_volume_size(flag(permissions.increase_volume_size))
                    .change_compute_type(flag(permissions.change_compute_type))
                    .switch_running_mode(flag(permissions.switch_running_mode))
                    .rebuild_workspace(flag(permissions.rebuild))
                    .build();
                let out = self
                    .client
                    .modify_selfservice_permissions()
                    .resource_id(directory_id)
                    .selfservice_permissions(permissions)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                owned(out.request_id())
            }
            DirectoryChange::SetCreationProperties {
                directory_id,
                properties,
            } => {
                let properties = types::WorkspaceCreationProperties::builder()
                    .enable_internet_access(properties.enable_internet_access)
                    .user_enabled_as_local_administrator(
                        properties.user_enabled_as_local_administrator,
                    )
                    .enable_maintenance_mode(properties.enable_maintenance_mode)
                    .set_default_ou(properties.default_ou.clone())
                    .set_custom_security_group_id(properties.custom_security_group_id.clone())
                    .set_instance_iam_role_arn(properties.instance_iam_role_arn.clone())
                    .build();
                let out = self
                    .client
                    .modify_workspace_creation_properties()
                    .resource_id(directory_id)
                    .workspace_creation_properties(properties)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                owned(out.request_id())
            }
            DirectoryChange::SetAccessProperties {
                directory_id,
                access,
            } => {
                // TRUST is not in the SDK's enum yet; `from` keeps the word as sent
                // (000_694e23744a3a4a46.txt:5537, :5544).
                let value = |access: Access| types::AccessPropertyValue::from(access.as_api());
                let access = types::WorkspaceAccessProperties::builder()
                    .device_type_windows(value(access.windows))
                    .device_type_osx(value(access.macos))
                    .device_type_linux(value(access.linux))
                    .device_type_web(value(access.web))
                    .device_type_ios(value(access.ios))
                    .device_type_android(value(access.android))
                    .device_type_chrome_os(value(access.chrome_os))
                    .device_type_zero_client(value(access.zero_client))
                    .device_type_work_spaces_thin_client(value(access.thin_client))
                    .build();
                let out = self
                    .client
                    .modify_workspace_access_properties()
                    .resource_id(directory_id)
                    .workspace_access_properties(access)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                owned(out.request_id())
            }
            DirectoryChange::SetClientProperties {
                directory_id,
                properties,
            } => {
                // Only the settings chosen are sent; the others keep their value.
                let properties = types::ClientProperties::builder()
                    .set_reconnect_enabled(
                        properties
                            .reconnect
                            .map(|on| types::ReconnectEnum::from(app::model::enabled_word(on))),
                    )
                    .set_log_upload_enabled(
                        properties
                            .log_upload
                            .map(|on| types::LogUploadEnum::from(app::model::enabled_word(on))),
                    )
                    .build();
                let out = self
                    .client
                    .modify_client_properties()
                    .resource_id(directory_id)
                    .client_properties(properties)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                owned(out.request_id())
            }
        };
        Ok(answered(request_id.as_deref(), None))
    }

    async fn change_bundle(&self, change: &BundleChange) -> Result<ChangeOutcome, WorkspacesError> {
        match change {
            BundleChange::Create {
                name,
                description,
                image_id,
                compute_type,
                root_gib,
                user_gib,
            } => {
                let user = types::UserStorage::builder()
                    .capacity(user_gib.to_string())
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                let root = types::RootStorage::builder()
                    .capacity(root_gib.to_string())
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                let out = self
                    .client
                    .create_workspace_bundle()
                    .bundle_name(name)
                    .bundle_description(description)
                    .image_id(image_id)
                    .compute_type(
                        types::ComputeType::builder()
                            .name(types::Compute::from(compute_type.as_str()))
                            .build(),
                    )
                    .user_storage(user)
                    .root_storage(root)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(
                    out.request_id(),
                    out.workspace_bundle().and_then(|b| owned(b.bundle_id())),
                ))
            }
            BundleChange::Update {
                bundle_id,
                image_id,
            } => {
                let out = self
                    .client
                    .update_workspace_bundle()
                    .bundle_id(bundle_id)
                    .image_id(image_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            BundleChange::Delete { bundle_id } => {
                let out = self
                    .client
                    .delete_workspace_bundle()
                    .bundle_id(bundle_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
        }
    }

    async fn change_tags(&self, change: &TagChange) -> Result<ChangeOutcome, WorkspacesError> {
        let out = match change {
            TagChange::Create { resource_id, tags } => {
                let tags = sdk_tags(tags)?;
                self.client
                    .create_tags()
                    .resource_id(resource_id)
                    .set_tags(Some(tags))
                    .send()
                    .await
                    .map_err(error_from_sdk)?
                    .request_id()
                    .map(str::to_string)
            }
            TagChange::Delete { resource_id, keys } => self
                .client
                .delete_tags()
                .resource_id(resource_id)
                .set_tag_keys(Some(keys.clone()))
                .send()
                .await
                .map_err(error_from_sdk)?
                .request_id()
                .map(str::to_string),
        };
        Ok(answered(out.as_deref(), None))
    }

    async fn describe_tags(&self, resource_id: &str) -> Result<Vec<Tag>, WorkspacesError> {
        let out = self
            .client
            .describe_tags()
            .resource_id(resource_id)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(out
            .tag_list()
            .iter()
            .map(|tag| Tag {
                key: tag.key().to_string(),
                value: text(tag.value()),
            })
            .collect())
    }

    async fn describe_account(&self) -> Result<AccountInfo, WorkspacesError> {
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

    async fn describe_account_modifications(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<AccountModification>, WorkspacesError> {
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

    async fn list_management_cidr_ranges(
        &self,
        constraint: &str,
        next_token: Option<String>,
    ) -> Result<Page<String>, WorkspacesError> {
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

    async fn describe_snapshots(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<Snapshot>, WorkspacesError> {
        let out = self
            .client
            .describe_workspace_snapshots()
            .workspace_id(workspace_id)
            .send()
            .await
            .map_err(error_from_sdk)?;
        let snapshots = |kind: &str, list: &[types::Snapshot]| -> Vec<Snapshot> {
            list.iter()
                .filter_map(|snap| timestamp(snap.snapshot_time()))
                .map(|time| Snapshot {
                    kind: kind.to_string(),
                    time,
                })
                .collect()
        };
        let mut all = snapshots("rebuild", out.rebuild_snapshots());
        all.extend(snapshots("restore", out.restore_snapshots()));
        Ok(all)
    }
}

/// Tags in the SDK's type; a tag the SDK refuses (no key) is an invalid request.
fn sdk_tags(tags: &[Tag]) -> Result<Vec<types::Tag>, WorkspacesError> {
    tags.iter()
        .map(|tag| {
            types::Tag::builder()
                .key(&tag.key)
                .value(&tag.value)
                .build()
                .map_err(|e| invalid(e.to_string()))
        })
        .collect()
}

/// Connection aliases and client properties.
impl SdkWorkspaces {
    async fn describe_connection_aliases(
        &self,
        alias_ids: &[String],
        next_token: Option<String>,
    ) -> Result<Page<ConnectionAlias>, WorkspacesError> {
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

    async fn describe_alias_permissions(
        &self,
        alias_id: &str,
    ) -> Result<Vec<AliasPermission>, WorkspacesError> {
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

    async fn describe_client_properties(
        &self,
        directory_ids: &[String],
    ) -> Result<Vec<(String, ClientProperties)>, WorkspacesError> {
        let out = self
            .client
            .describe_client_properties()
            .set_resource_ids(Some(directory_ids.to_vec()))
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(out
            .client_properties_list()
            .iter()
            .filter_map(|result| {
                let id = owned(result.resource_id())?;
                let properties = result.client_properties()?;
                Some((
                    id,
                    ClientProperties {
                        reconnect: properties
                            .reconnect_enabled()
                            .map(|v| v == &types::ReconnectEnum::Enabled),
                        log_upload: properties
                            .log_upload_enabled()
                            .map(|v| v == &types::LogUploadEnum::Enabled),
                    },
                ))
            })
            .collect())
    }

    async fn change_alias(&self, change: &AliasChange) -> Result<ChangeOutcome, WorkspacesError> {
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

fn connection_alias(alias: &types::ConnectionAlias, region: &str) -> ConnectionAlias {
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

fn failed(list: &[types::FailedWorkspaceChangeRequest]) -> Vec<FailedRequest> {
    list.iter()
        .map(|f| FailedRequest {
            target: text(f.workspace_id()),
            code: text(f.error_code()),
            message: text(f.error_message()),
        })
        .collect()
}

fn invalid(message: String) -> WorkspacesError {
    WorkspacesError {
        kind: ErrorKind::InvalidInput,
        code: "InvalidRequest".into(),
        message,
    }
}

/// Adds `key` to a request's JSON body. RegisterWorkspaceDirectory's `EnableWorkDocs` is
/// required by the API reference (000_694e23744a3a4a46.txt:6226) but no longer in the
/// SDK's model, so it is added to the body before the request is signed.
fn add_json_field(
    request: &mut aws_sdk_workspaces::config::http::HttpRequest,
    key: &str,
    value: serde_json::Value,
) {
    let Some(bytes) = request.body().bytes() else {
        return;
    };
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_slice(bytes) else {
        return;
    };
    fields.insert(key.to_string(), value);
    let body = serde_json::Value::Object(fields).to_string();
    request
        .headers_mut()
        .insert("content-length", body.len().to_string());
    *request.body_mut() = aws_smithy_types::body::SdkBody::from(body);
}

/// The outcome of an accepted call that refused nothing.
fn answered(request_id: Option<&str>, created_id: Option<String>) -> ChangeOutcome {
    ChangeOutcome {
        request_id: owned(request_id),
        created_id,
        ..ChangeOutcome::default()
    }
}

/// Builds and sends the SDK call for one WorkSpace change.
async fn send_change(
    client: &Client,
    change: &WorkspaceChange,
) -> Result<ChangeOutcome, WorkspacesError> {
    let outcome = |failed: Vec<FailedRequest>, request_id: Option<&str>| ChangeOutcome {
        failed,
        request_id: owned(request_id),
        ..ChangeOutcome::default()
    };
    match change {
        WorkspaceChange::Reboot(ids) => {
            let requests = ids
                .iter()
                .map(|id| types::RebootRequest::builder().workspace_id(id).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| invalid(e.to_string()))?;
            let out = client
                .reboot_workspaces()
                .set_reboot_workspace_requests(Some(requests))
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(failed(out.failed_requests()), out.request_id()))
        }
        WorkspaceChange::Start(ids) => {
            let requests = ids
                .iter()
                .map(|id| types::StartRequest::builder().workspace_id(id).build())
                .collect();
            let out = client
                .start_workspaces()
                .set_start_workspace_requests(Some(requests))
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(failed(out.failed_requests()), out.request_id()))
        }
        WorkspaceChange::Stop(ids) => {
            let requests = ids
                .iter()
                .map(|id| types::StopRequest::builder().workspace_id(id).build())
                .collect();
            let out = client
                .stop_workspaces()
                .set_stop_workspace_requests(Some(requests))
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(failed(out.failed_requests()), out.request_id()))
        }
        WorkspaceChange::Terminate(ids) => {
            let requests = ids
                .iter()
                .map(|id| types::TerminateRequest::builder().workspace_id(id).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| invalid(e.to_string()))?;
            let out = client
                .terminate_workspaces()
                .set_terminate_workspace_requests(Some(requests))
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(failed(out.failed_requests()), out.request_id()))
        }
        WorkspaceChange::Rebuild(id) => {
            let request = types::RebuildRequest::builder()
                .workspace_id(id)
                .build()
                .map_err(|e| invalid(e.to_string()))?;
            let out = client
                .rebuild_workspaces()
                .rebuild_workspace_requests(request)
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(failed(out.failed_requests()), out.request_id()))
        }
        WorkspaceChange::Restore(id) => {
            let out = client
                .restore_workspace()
                .workspace_id(id)
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(Vec::new(), out.request_id()))
        }
        WorkspaceChange::SetMaintenance { id, maintenance } => {
            let state = if *maintenance {
                types::TargetWorkspaceState::AdminMaintenance
            } else {
                types::TargetWorkspaceState::Available
            };
            let out = client
                .modify_workspace_state()
                .workspace_id(id)
                .workspace_state(state)
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(Vec::new(), out.request_id()))
        }
        WorkspaceChange::ModifyProperties { id, properties } => {
            let props = types::WorkspaceProperties::builder()
                .set_running_mode(
                    properties
                        .running_mode
                        .as_deref()
                        .map(types::RunningMode::from),
                )
                .set_running_mode_auto_stop_timeout_in_minutes(properties.auto_stop_timeout_minutes)
                .set_compute_type_name(properties.compute_type.as_deref().map(types::Compute::from))
                .set_root_volume_size_gib(properties.root_volume_gib)
                .set_user_volume_size_gib(properties.user_volume_gib)
                .set_protocols(properties.protocols.as_ref().map(|list| {
                    list.iter()
                        .map(|p| types::Protocol::from(p.as_str()))
                        .collect()
                }))
                .build();
            let out = client
                .modify_workspace_properties()
                .workspace_id(id)
                .workspace_properties(props)
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(outcome(Vec::new(), out.request_id()))
        }
        WorkspaceChange::CreateStandby {
            primary_region,
            request,
        } => {
            let tags = sdk_tags(&request.tags)?;
            let standby = types::StandbyWorkspace::builder()
                .primary_workspace_id(&request.primary_workspace_id)
                .directory_id(&request.directory_id)
                .set_volume_encryption_key(request.volume_encryption_key.clone())
                .set_tags(Some(tags))
                .build()
                .map_err(|e| invalid(e.to_string()))?;
            let out = client
                .create_standby_workspaces()
                .primary_region(primary_region)
                .standby_workspaces(standby)
                .send()
                .await
                .map_err(error_from_sdk)?;
            let failed = out
                .failed_standby_requests()
                .iter()
                .map(|f| FailedRequest {
                    target: f
                        .standby_workspace_request()
                        .map(|r| r.primary_workspace_id().to_string())
                        .unwrap_or_else(|| request.primary_workspace_id.clone()),
                    code: text(f.error_code()),
                    message: text(f.error_message()),
                })
                .collect();
            Ok(ChangeOutcome {
                created_id: out
                    .pending_standby_requests()
                    .iter()
                    .find_map(|p| owned(p.workspace_id())),
                ..outcome(failed, out.request_id())
            })
        }
        WorkspaceChange::Migrate { id, bundle_id } => {
            let out = client
                .migrate_workspace()
                .source_workspace_id(id)
                .bundle_id(bundle_id)
                .send()
                .await
                .map_err(error_from_sdk)?;
            Ok(ChangeOutcome {
                created_id: owned(out.target_workspace_id()),
                ..outcome(Vec::new(), out.request_id())
            })
        }
        WorkspaceChange::Create(workspaces) => create_workspaces(client, workspaces).await,
    }
}

/// CreateWorkspaces: one call for up to 25 WorkSpaces. Each user is answered by a
/// PendingRequest (the new WorkSpace's id) or a FailedRequest (ErrorCode, ErrorMessage)
/// (000_694e23744a3a4a46.txt:1505); a user AWS answers neither way is reported failed
/// rather than taken as created.
async fn create_workspaces(
    client: &Client,
    workspaces: &[NewWorkspace],
) -> Result<ChangeOutcome, WorkspacesError> {
    let requests = workspaces
        .iter()
        .map(workspace_request)
        .collect::<Result<Vec<_>, _>>()?;
    let out = client
        .create_workspaces()
        .set_workspaces(Some(requests))
        .send()
        .await
        .map_err(error_from_sdk)?;
    let created_per_target: Vec<(String, String)> = out
        .pending_requests()
        .iter()
        .filter_map(|ws| Some((text(ws.user_name()), owned(ws.workspace_id())?)))
        .collect();
    let mut failed: Vec<FailedRequest> = out
        .failed_requests()
        .iter()
        .map(|f| FailedRequest {
            target: text(f.workspace_request().map(|r| r.user_name())),
            code: text(f.error_code()),
            message: text(f.error_message()),
        })
        .collect();
    for requested in workspaces {
        let answered = created_per_target
            .iter()
            .map(|(user, _)| user)
            .chain(failed.iter().map(|f| &f.target))
            .any(|user| user.eq_ignore_ascii_case(&requested.user_name));
        if !answered {
            failed.push(FailedRequest {
                target: requested.user_name.clone(),
                code: "NoAnswer".into(),
                message: "AWS reported this WorkSpace neither pending nor failed".into(),
            });
        }
    }
    Ok(ChangeOutcome {
        failed,
        request_id: owned(out.request_id()),
        created_id: None,
        created_per_target,
    })
}

/// The SDK's WorkspaceRequest for one [`NewWorkspace`].
fn workspace_request(ws: &NewWorkspace) -> Result<types::WorkspaceRequest, WorkspacesError> {
    let properties = types::WorkspaceProperties::builder()
        .running_mode(types::RunningMode::from(ws.running_mode.as_str()))
        .set_running_mode_auto_stop_timeout_in_minutes(ws.auto_stop_timeout_minutes)
        .set_protocols((!ws.protocols.is_empty()).then(|| {
            ws.protocols
                .iter()
                .map(|p| types::Protocol::from(p.as_str()))
                .collect()
        }))
        .build();
    let tags = ws
        .tags
        .iter()
        .map(|tag| {
            types::Tag::builder()
                .key(&tag.key)
                .value(&tag.value)
                .build()
                .map_err(|e| invalid(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    types::WorkspaceRequest::builder()
        .directory_id(&ws.directory_id)
        .user_name(&ws.user_name)
        .bundle_id(&ws.bundle_id)
        .set_volume_encryption_key(ws.volume_encryption_key.clone())
        .root_volume_encryption_enabled(ws.root_volume_encrypted)
        .user_volume_encryption_enabled(ws.user_volume_encrypted)
        .workspace_properties(properties)
        .set_tags((!tags.is_empty()).then_some(tags))
        .build()
        .map_err(|e| invalid(e.to_string()))
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

fn timestamp(value: Option<&DateTime>) -> Option<String> {
    value.and_then(|time| time.fmt(DateTimeFormat::DateTime).ok())
}

fn workspace(ws: &types::Workspace, region: &str) -> Workspace {
    let props = ws.workspace_properties();
    Workspace {
        id: text(ws.workspace_id()),
        account: String::new(),
        region: region.to_string(),
        directory_id: text(ws.directory_id()),
        user_name: text(ws.user_name()),
        computer_name: owned(ws.computer_name()),
        ip_address: owned(ws.ip_address()),
        state: ws
            .state()
            .map(|state| WorkspaceState::from_api(state.as_str()))
            .unwrap_or_else(|| WorkspaceState::Other("UNKNOWN".into())),
        bundle_id: text(ws.bundle_id()),
        subnet_id: owned(ws.subnet_id()),
        compute_type: props
            .and_then(|p| p.compute_type_name())
            .map(|c| c.as_str().to_string()),
        running_mode: props
            .and_then(|p| p.running_mode())
            .map(|m| m.as_str().to_string()),
        auto_stop_timeout_minutes: props
            .and_then(|p| p.running_mode_auto_stop_timeout_in_minutes()),
        root_volume_gib: props.and_then(|p| p.root_volume_size_gib()),
        user_volume_gib: props.and_then(|p| p.user_volume_size_gib()),
        root_volume_encrypted: ws.root_volume_encryption_enabled().unwrap_or(false),
        user_volume_encrypted: ws.user_volume_encryption_enabled().unwrap_or(false),
        error_code: owned(ws.error_code()),
        error_message: owned(ws.error_message()),
        connection_state: None,
        last_user_connection: None,
        removed_at: None,
        protocols: props
            .map(|p| {
                p.protocols()
                    .iter()
                    .map(|proto| proto.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        operating_system: props
            .and_then(|p| p.operating_system_name())
            .map(|os| os.as_str().to_string()),
        standby_role: StandbyRole::from_related(&related_workspaces(ws)),
    }
}

fn related_workspaces(ws: &types::Workspace) -> Vec<RelatedWorkspace> {
    ws.related_workspaces()
        .iter()
        .map(|r| RelatedWorkspace {
            id: text(r.workspace_id()),
            region: owned(r.region()),
            relation: r.r#type().map(|t| t.as_str().to_string()),
            state: r.state().map(|s| s.as_str().to_string()),
        })
        .collect()
}

fn details(ws: &types::Workspace) -> WorkspaceDetails {
    WorkspaceDetails {
        workspace_name: owned(ws.workspace_name()),
        modification_states: ws
            .modification_states()
            .iter()
            .map(|m| {
                (
                    m.resource()
                        .map(|r| r.as_str().to_string())
                        .unwrap_or_default(),
                    m.state()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        related_workspaces: related_workspaces(ws),
    }
}

fn directory(dir: &types::WorkspaceDirectory, region: &str) -> Directory {
    Directory {
        id: text(dir.directory_id()),
        account: String::new(),
        region: region.to_string(),
        alias: owned(dir.alias()),
        name: owned(dir.directory_name()),
        directory_type: dir.directory_type().map(|t| t.as_str().to_string()),
        state: dir.state().map(|s| s.as_str().to_string()),
        registration_code: owned(dir.registration_code()),
        dns_ip_addresses: dir.dns_ip_addresses().to_vec(),
        subnet_ids: dir.subnet_ids().to_vec(),
        ip_group_ids: dir.ip_group_ids().to_vec(),
        self_service: dir.selfservice_permissions().map(|p| {
            let on = |value: Option<&types::ReconnectEnum>| {
                value == Some(&types::ReconnectEnum::Enabled)
            };
            SelfService {
                restart: on(p.restart_workspace()),
                increase_volume_size: on(p.increase_volume_size()),
                change_compute_type: on(p.change_compute_type()),
                switch_running_mode: on(p.switch_running_mode()),
                rebuild: on(p.rebuild_workspace()),
            }
        }),
        security_group_id: owned(dir.workspace_security_group_id()),
        tenancy: dir.tenancy().map(|t| t.as_str().to_string()),
        creation: dir
            .workspace_creation_properties()
            .map(|p| CreationProperties {
                enable_internet_access: p.enable_internet_access().unwrap_or(false),
                user_enabled_as_local_administrator: p
                    .user_enabled_as_local_administrator()
                    .unwrap_or(false),
                enable_maintenance_mode: p.enable_maintenance_mode().unwrap_or(false),
                default_ou: owned(p.default_ou()),
                custom_security_group_id: owned(p.custom_security_group_id()),
                instance_iam_role_arn: owned(p.instance_iam_role_arn()),
            }),
        access: dir.workspace_access_properties().map(|p| {
            // ALLOW, DENY or (Windows, macOS) TRUST (000_694e23744a3a4a46.txt:3683, :3690);
            // a platform AWS does not report, or a word it did not document, reads as denied.
            let allowed = |value: Option<&types::AccessPropertyValue>| {
                value
                    .and_then(|v| Access::from_api(v.as_str()))
                    .unwrap_or(Access::Deny)
            };
            AccessProperties {
                windows: allowed(p.device_type_windows()),
                macos: allowed(p.device_type_osx()),
                linux: allowed(p.device_type_linux()),
                web: allowed(p.device_type_web()),
                ios: allowed(p.device_type_ios()),
                android: allowed(p.device_type_android()),
                chrome_os: allowed(p.device_type_chrome_os()),
                zero_client: allowed(p.device_type_zero_client()),
                thin_client: allowed(p.device_type_work_spaces_thin_client()),
            }
        }),
        // Filled by the sync (DescribeClientProperties).
        client: None,
    }
}

fn bundle(b: &types::WorkspaceBundle, region: &str) -> Bundle {
    Bundle {
        id: text(b.bundle_id()),
        account: String::new(),
        region: region.to_string(),
        name: text(b.name()),
        owner: owned(b.owner()),
        description: owned(b.description()),
        compute_type: b
            .compute_type()
            .and_then(|c| c.name())
            .map(|name| name.as_str().to_string()),
        root_storage_gib: b.root_storage().map(|s| s.capacity().to_string()),
        user_storage_gib: b.user_storage().map(|s| s.capacity().to_string()),
        image_id: owned(b.image_id()),
        state: b.state().map(|s| s.as_str().to_string()),
        last_updated: timestamp(b.last_updated_time()),
        bundle_type: b.bundle_type().map(|t| t.as_str().to_string()),
        created: timestamp(b.creation_time()),
    }
}

fn image(img: &types::WorkspaceImage, region: &str) -> Image {
    Image {
        id: text(img.image_id()),
        account: String::new(),
        region: region.to_string(),
        name: text(img.name()),
        description: owned(img.description()),
        state: img.state().map(|s| s.as_str().to_string()),
        operating_system: img
            .operating_system()
            .and_then(|os| os.r#type())
            .map(|t| t.as_str().to_string()),
        owner_account_id: owned(img.owner_account_id()),
        required_tenancy: img.required_tenancy().map(|t| t.as_str().to_string()),
        created: timestamp(img.created()),
        shared_with: Vec::new(),
        error: match (img.error_code(), img.error_message()) {
            (None, None) => None,
            (code, message) => Some(format!(
                "{}: {}",
                code.unwrap_or("Error"),
                message.unwrap_or("no message")
            )),
        },
        // Filled by the sync, which lists the owned images separately.
        owned: false,
        permissions_error: None,
    }
}

fn ip_group(group: &types::WorkspacesIpGroup, region: &str) -> IpGroup {
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

fn connection_status(status: &types::WorkspaceConnectionStatus, region: &str) -> ConnectionStatus {
    ConnectionStatus {
        workspace_id: text(status.workspace_id()),
        region: region.to_string(),
        connection_state: status.connection_state().map(|s| s.as_str().to_string()),
        connection_state_checked: timestamp(status.connection_state_check_timestamp()),
        last_known_user_connection: timestamp(status.last_known_user_connection_timestamp()),
    }
}

/// Reduces any SDK error to its AWS error code, a readable message and a kind.
pub fn error_from_sdk<E>(error: SdkError<E, HttpResponse>) -> WorkspacesError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let failed = |kind: ErrorKind, code: String, message: String| {
        // What the SDK saw in full (headers, raw body) goes to the debug log, not the page;
        // the readable line of each failure is the rate limiter's (`rate_limit::count`),
        // which knows the operation, account and Region.
        tracing::debug!(%code, request_id = ?error.request_id(), "WorkSpaces call failed: {}", DisplayErrorContext(&error));
        WorkspacesError {
            kind,
            code,
            message,
        }
    };
    // No credentials, before any WorkSpaces call left: for an account of the accounts
    // file, a role that could not be assumed (STS's own message is at the chain's end).
    if !matches!(
        error,
        SdkError::ServiceError(_) | SdkError::ResponseError(_)
    ) {
        let chain = DisplayErrorContext(&error).to_string();
        if chain.to_lowercase().contains("credentials") {
            return failed(
                ErrorKind::AccessDenied,
                WorkspacesError::NO_CREDENTIALS.into(),
                format!("could not get AWS credentials: {}", root_cause(&error)),
            );
        }
    }
    match &error {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            match service.err().code() {
                Some(code) => {
                    let message = service
                        .err()
                        .message()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{code} (HTTP {status})"));
                    failed(kind_of(code), code.to_string(), message)
                }
                // Not an AWS error document: a proxy's or load balancer's page.
                None => failed(
                    if status >= 500 {
                        ErrorKind::Unavailable
                    } else {
                        ErrorKind::Other
                    },
                    format!("HTTP{status}"),
                    format!("HTTP {status} from the WorkSpaces endpoint"),
                ),
            }
        }
        // An error page (HTML from a proxy, say) is not JSON, so the SDK cannot parse it.
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            if (200..300).contains(&status) {
                failed(
                    ErrorKind::Unavailable,
                    "InvalidResponse".into(),
                    format!(
                        "an answer the AWS SDK could not read (HTTP {status}) from the WorkSpaces endpoint"
                    ),
                )
            } else {
                failed(
                    ErrorKind::Unavailable,
                    format!("HTTP{status}"),
                    format!("HTTP {status} from the WorkSpaces endpoint"),
                )
            }
        }
        SdkError::TimeoutError(_) => failed(
            ErrorKind::Unavailable,
            "EndpointTimeout".into(),
            "no answer in time from the WorkSpaces endpoint".into(),
        ),
        SdkError::DispatchFailure(dispatch) => failed(
            ErrorKind::Unavailable,
            "EndpointUnreachable".into(),
            if dispatch.is_timeout() {
                "no answer in time from the WorkSpaces endpoint".into()
            } else {
                "cannot connect to the WorkSpaces endpoint".into()
            },
        ),
        _ => failed(
            kind_of(error.code().unwrap_or_default()),
            error.code().unwrap_or("RequestFailed").to_string(),
            format!("the request could not be sent: {error}"),
        ),
    }
}

/// The innermost error of a chain: the most specific text (STS's AccessDenied message
/// under a credentials failure, say).
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// Sorts AWS error codes into the kinds the rest of Fleetdesk acts on.
fn kind_of(code: &str) -> ErrorKind {
    match code {
        "ThrottlingException"
        | "Throttling"
        | "RequestLimitExceeded"
        | "TooManyRequestsException" => ErrorKind::Throttled,
        "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "ExpiredTokenException"
        | "InvalidClientTokenId" => ErrorKind::AccessDenied,
        "ResourceNotFoundException" => ErrorKind::NotFound,
        "InvalidParameterValuesException"
        | "ValidationException"
        | "InvalidResourceStateException"
        | "OperationNotSupportedException" => ErrorKind::InvalidInput,
        "InternalFailure" | "ServiceUnavailable" | "InternalServerException" => {
            ErrorKind::Unavailable
        }
        _ => ErrorKind::Other,
    }
}

/// Application management (release note 2023-10, 004_989ae404788726c9.txt).
impl SdkWorkspaces {
    async fn describe_applications(
        &self,
        filter: &ApplicationFilter,
        next_token: Option<String>,
    ) -> Result<Page<Application>, WorkspacesError> {
        let some = |values: &[String]| (!values.is_empty()).then(|| values.to_vec());
        let out = self
            .client
            .describe_applications()
            .set_compute_type_names(some(&filter.compute).map(|names| {
                names
                    .iter()
                    .map(|n| types::Compute::from(n.as_str()))
                    .collect()
            }))
            .set_operating_system_names(some(&filter.os).map(|names| {
                names
                    .iter()
                    .map(|n| types::OperatingSystemName::from(n.as_str()))
                    .collect()
            }))
            .set_license_type(
                (!filter.license.is_empty())
                    .then(|| types::WorkSpaceApplicationLicenseType::from(filter.license.as_str())),
            )
            .set_owner((!filter.owner.is_empty()).then(|| filter.owner.clone()))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .applications()
                .iter()
                .map(|a| Application {
                    id: text(a.application_id()),
                    account: String::new(),
                    region: self.region.clone(),
                    name: text(a.name()),
                    description: owned(a.description()),
                    license_type: a.license_type().map(|l| l.as_str().to_string()),
                    owner: owned(a.owner()),
                    state: a.state().map(|s| s.as_str().to_string()),
                    compute_types: a
                        .supported_compute_type_names()
                        .iter()
                        .map(|c| c.as_str().to_string())
                        .collect(),
                    operating_systems: a
                        .supported_operating_system_names()
                        .iter()
                        .map(|o| o.as_str().to_string())
                        .collect(),
                    created: timestamp(a.created()),
                })
                .collect(),
            next_token: owned(out.next_token()),
        })
    }

    async fn describe_application_associations(
        &self,
        application_id: &str,
        resource_types: &[String],
        next_token: Option<String>,
    ) -> Result<Page<AppAssociation>, WorkspacesError> {
        let out = self
            .client
            .describe_application_associations()
            .application_id(application_id)
            .set_associated_resource_types(Some(
                resource_types
                    .iter()
                    .map(|t| types::ApplicationAssociatedResourceType::from(t.as_str()))
                    .collect(),
            ))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(error_from_sdk)?;
        Ok(Page {
            items: out
                .associations()
                .iter()
                .map(|a| {
                    association(
                        text(a.application_id()),
                        a.associated_resource_type().map_or("", |t| t.as_str()),
                        text(a.associated_resource_id()),
                        (
                            a.state(),
                            a.state_reason(),
                            a.created(),
                            a.last_updated_time(),
                        ),
                    )
                })
                .collect(),
            next_token: owned(out.next_token()),
        })
    }

    /// DescribeWorkspaceAssociations, DescribeBundleAssociations or
    /// DescribeImageAssociations, each asked for APPLICATION associations (the one type
    /// they take, 004_989ae404788726c9.txt:745).
    async fn describe_resource_associations(
        &self,
        resource: &AssociatedResource,
    ) -> Result<Vec<AppAssociation>, WorkspacesError> {
        Ok(match resource {
            AssociatedResource::Workspace(id) => self
                .client
                .describe_workspace_associations()
                .workspace_id(id)
                .associated_resource_types(types::WorkSpaceAssociatedResourceType::Application)
                .send()
                .await
                .map_err(error_from_sdk)?
                .associations()
                .iter()
                .map(|a| workspace_association(a, id))
                .collect(),
            AssociatedResource::Bundle(id) => self
                .client
                .describe_bundle_associations()
                .bundle_id(id)
                .associated_resource_types(types::BundleAssociatedResourceType::Application)
                .send()
                .await
                .map_err(error_from_sdk)?
                .associations()
                .iter()
                .map(|a| {
                    association(
                        text(a.associated_resource_id()),
                        "BUNDLE",
                        a.bundle_id().unwrap_or(id).to_string(),
                        (
                            a.state(),
                            a.state_reason(),
                            a.created(),
                            a.last_updated_time(),
                        ),
                    )
                })
                .collect(),
            AssociatedResource::Image(id) => self
                .client
                .describe_image_associations()
                .image_id(id)
                .associated_resource_types(types::ImageAssociatedResourceType::Application)
                .send()
                .await
                .map_err(error_from_sdk)?
                .associations()
                .iter()
                .map(|a| {
                    association(
                        text(a.associated_resource_id()),
                        "IMAGE",
                        a.image_id().unwrap_or(id).to_string(),
                        (
                            a.state(),
                            a.state_reason(),
                            a.created(),
                            a.last_updated_time(),
                        ),
                    )
                })
                .collect(),
        })
    }

    async fn change_application(
        &self,
        change: &ApplicationChange,
    ) -> Result<ChangeOutcome, WorkspacesError> {
        match change {
            ApplicationChange::Associate {
                workspace_id,
                application_id,
            } => {
                let out = self
                    .client
                    .associate_workspace_application()
                    .workspace_id(workspace_id)
                    .application_id(application_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            ApplicationChange::Disassociate {
                workspace_id,
                application_id,
            } => {
                let out = self
                    .client
                    .disassociate_workspace_application()
                    .workspace_id(workspace_id)
                    .application_id(application_id)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
            ApplicationChange::Deploy {
                workspace_id,
                force,
            } => {
                let out = self
                    .client
                    .deploy_workspace_applications()
                    .workspace_id(workspace_id)
                    .force(*force)
                    .send()
                    .await
                    .map_err(error_from_sdk)?;
                Ok(answered(out.request_id(), None))
            }
        }
    }
}

/// The state, state reason, creation and update time every association type carries.
type AssociationFields<'a> = (
    Option<&'a types::AssociationState>,
    Option<&'a types::AssociationStateReason>,
    Option<&'a DateTime>,
    Option<&'a DateTime>,
);

fn association(
    application_id: String,
    resource_type: &str,
    resource_id: String,
    (state, reason, created, updated): AssociationFields<'_>,
) -> AppAssociation {
    AppAssociation {
        application_id,
        resource_type: resource_type.to_string(),
        resource_id,
        state: state.map(|s| s.as_str().to_string()),
        error_code: reason
            .and_then(|r| r.error_code())
            .map(|c| c.as_str().to_string()),
        error_message: reason.and_then(|r| owned(r.error_message())),
        created: timestamp(created),
        updated: timestamp(updated),
    }
}

/// A WorkSpace's association: AssociatedResourceId is the application
/// (004_989ae404788726c9.txt:52).
fn workspace_association(a: &types::WorkspaceResourceAssociation, id: &str) -> AppAssociation {
    association(
        text(a.associated_resource_id()),
        "WORKSPACE",
        a.workspace_id().unwrap_or(id).to_string(),
        (
            a.state(),
            a.state_reason(),
            a.created(),
            a.last_updated_time(),
        ),
    )
}
