//! Directories: describing them and their client properties, and every [`DirectoryChange`].
//!
//! EnableWorkDocs (000_694e23744a3a4a46.txt:3475, :5634) is in the reference but no longer
//! in the SDK's model: it is read from DescribeWorkspaceDirectories' raw answer by
//! [`WorkDocsReader`] and added to ModifyWorkspaceCreationProperties' body by
//! [`add_work_docs`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::model::{
    Access, AccessProperties, ClientProperties, CreationProperties, Directory, SelfService,
};
use app::server::aws::{AwsError, ChangeOutcome, DirectoryChange, Page};
use aws_sdk_workspaces::config::interceptors::AfterDeserializationInterceptorContextRef;
use aws_sdk_workspaces::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{add_json_field, answered, owned, text};
use super::errors::error_from_sdk;
use super::tags::sdk_tags;

impl SdkWorkspaces {
    pub(super) async fn describe_directories(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Directory>, AwsError> {
        let work_docs = WorkDocsReader::default();
        let out = self
            .client
            .describe_workspace_directories()
            .set_next_token(next_token)
            .customize()
            .interceptor(work_docs.clone())
            .send()
            .await
            .map_err(error_from_sdk)?;
        let work_docs = work_docs.found();
        Ok(Page {
            items: out
                .directories()
                .iter()
                .map(|dir| {
                    let mut directory = directory(dir, &self.region);
                    if let Some(creation) = directory.creation.as_mut() {
                        creation.enable_work_docs = work_docs.get(&directory.id).copied();
                    }
                    directory
                })
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    pub(super) async fn describe_client_properties(
        &self,
        directory_ids: &[String],
    ) -> Result<Vec<(String, ClientProperties)>, AwsError> {
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

    pub(super) async fn change_directory(
        &self,
        change: &DirectoryChange,
    ) -> Result<ChangeOutcome, AwsError> {
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
                // Not in the SDK's model: added to the body when chosen.
                let work_docs = properties.enable_work_docs;
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
                    .customize()
                    .mutate_request(move |request| add_work_docs(request, work_docs))
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
}

/// Collects EnableWorkDocs per directory id from DescribeWorkspaceDirectories' raw JSON
/// answer (000_694e23744a3a4a46.txt:3475), which the SDK's model no longer carries.
#[derive(Debug, Clone, Default)]
struct WorkDocsReader {
    found: Arc<Mutex<HashMap<String, bool>>>,
}

impl WorkDocsReader {
    /// What the answers read so far said, by directory id.
    fn found(&self) -> HashMap<String, bool> {
        self.found
            .lock()
            .map(|found| found.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }
}

impl Intercept for WorkDocsReader {
    fn name(&self) -> &'static str {
        "WorkDocsReader"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let Some(body) = context.response().body().bytes() else {
            return Ok(());
        };
        let read = work_docs_by_directory(body);
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        found.extend(read);
        Ok(())
    }
}

/// `Directories[].WorkspaceCreationProperties.EnableWorkDocs` by `DirectoryId` in a
/// DescribeWorkspaceDirectories answer; nothing for a body that is not that JSON.
fn work_docs_by_directory(body: &[u8]) -> HashMap<String, bool> {
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(body) else {
        return HashMap::new();
    };
    let Some(directories) = answer["Directories"].as_array() else {
        return HashMap::new();
    };
    directories
        .iter()
        .filter_map(|dir| {
            let id = dir["DirectoryId"].as_str()?;
            let on = dir["WorkspaceCreationProperties"]["EnableWorkDocs"].as_bool()?;
            Some((id.to_string(), on))
        })
        .collect()
}

/// Adds `WorkspaceCreationProperties.EnableWorkDocs` to a ModifyWorkspaceCreationProperties
/// body (000_694e23744a3a4a46.txt:5634) when `work_docs` is chosen; `None` sends nothing,
/// so AWS keeps its value.
fn add_work_docs(
    request: &mut aws_sdk_workspaces::config::http::HttpRequest,
    work_docs: Option<bool>,
) {
    let Some(on) = work_docs else {
        return;
    };
    let Some(bytes) = request.body().bytes() else {
        return;
    };
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_slice(bytes) else {
        return;
    };
    let Some(serde_json::Value::Object(properties)) = fields.get_mut("WorkspaceCreationProperties")
    else {
        return;
    };
    properties.insert("EnableWorkDocs".into(), on.into());
    let body = serde_json::Value::Object(fields).to_string();
    request
        .headers_mut()
        .insert("content-length", body.len().to_string());
    *request.body_mut() = aws_smithy_types::body::SdkBody::from(body);
}

pub(super) fn directory(dir: &types::WorkspaceDirectory, region: &str) -> Directory {
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
        // 000_694e23744a3a4a46.txt:3469-3470.
        customer_user_name: owned(dir.customer_user_name()),
        iam_role_id: owned(dir.iam_role_id()),
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
                // Not in the SDK's model: see `WorkDocsReader`.
                enable_work_docs: None,
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
