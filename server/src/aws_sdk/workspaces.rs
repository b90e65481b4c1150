//! WorkSpaces themselves: describing them, their connection status and snapshots, and every [`WorkspaceChange`] (create, reboot, rebuild, modify, migrate, standby and the rest).

use app::model::{
    ConnectionStatus, RelatedWorkspace, Snapshot, StandbyRole, Workspace, WorkspaceDetails,
    WorkspaceState,
};
use app::server::aws::{
    AwsError, ChangeOutcome, DescribedWorkspace, FailedRequest, NewWorkspace, Page, WorkspaceChange,
};
use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::operation::RequestId;
use aws_sdk_workspaces::types;

use super::SdkWorkspaces;
use super::convert::{failed, invalid, owned, text, timestamp};
use super::errors::error_from_sdk;
use super::tags::sdk_tags;

impl SdkWorkspaces {
    pub(super) async fn describe_workspaces(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<DescribedWorkspace>, AwsError> {
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

    pub(super) async fn describe_workspaces_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<DescribedWorkspace>, AwsError> {
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

    pub(super) async fn describe_connection_status(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<ConnectionStatus>, AwsError> {
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

    pub(super) async fn describe_snapshots(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<Snapshot>, AwsError> {
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

/// Builds and sends the SDK call for one WorkSpace change.
pub(super) async fn send_change(
    client: &Client,
    change: &WorkspaceChange,
) -> Result<ChangeOutcome, AwsError> {
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
pub(super) async fn create_workspaces(
    client: &Client,
    workspaces: &[NewWorkspace],
) -> Result<ChangeOutcome, AwsError> {
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
        associations: Vec::new(),
    })
}

/// The SDK's WorkspaceRequest for one [`NewWorkspace`].
pub(super) fn workspace_request(ws: &NewWorkspace) -> Result<types::WorkspaceRequest, AwsError> {
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

pub(super) fn workspace(ws: &types::Workspace, region: &str) -> Workspace {
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

pub(super) fn related_workspaces(ws: &types::Workspace) -> Vec<RelatedWorkspace> {
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

pub(super) fn details(ws: &types::Workspace) -> WorkspaceDetails {
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

pub(super) fn connection_status(
    status: &types::WorkspaceConnectionStatus,
    region: &str,
) -> ConnectionStatus {
    ConnectionStatus {
        workspace_id: text(status.workspace_id()),
        region: region.to_string(),
        connection_state: status.connection_state().map(|s| s.as_str().to_string()),
        connection_state_checked: timestamp(status.connection_state_check_timestamp()),
        last_known_user_connection: timestamp(status.last_known_user_connection_timestamp()),
    }
}
