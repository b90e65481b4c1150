//! The inventory sync through the real SDK: against the in-process emulator (whole
//! fleet, state changes, removals) and against `aws-smithy-mocks` (pages of 25,
//! throttling, an operation the endpoint does not implement).

use std::sync::Arc;
use std::time::Duration;

use app::model::{FleetQuery, SyncStep};
use app::server::aws::WorkspacesApi;
use app::server::repo::inventory;
use app::server::sync::{SyncHandle, SyncSettings, sync_all};
use aws_sdk_workspaces::operation::describe_workspaces::DescribeWorkspacesOutput;
use aws_sdk_workspaces::types::{
    StopRequest, TerminateRequest, Workspace, WorkspaceRequest, WorkspaceState,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use server::aws_sdk::SdkWorkspaces;
use winterbaume_core::MockAws;
use winterbaume_workspaces::WorkSpacesService;

async fn fresh_pool(dir: &tempfile::TempDir) -> sqlx::AnyPool {
    crate::common::test_pool(dir, "sync").await
}

fn fast() -> SyncSettings {
    SyncSettings {
        throttle_backoff: Duration::from_millis(5),
        ..SyncSettings::default()
    }
}

#[tokio::test]
async fn the_demo_fleet_lands_in_the_cache_in_one_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspaces")
        .fetch_one(&state.pool)
        .await
        .expect("count");
    assert_eq!(count, 280);
    let missing_compute: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM workspaces WHERE compute_type IS NULL")
            .fetch_one(&state.pool)
            .await
            .expect("count");
    assert_eq!(missing_compute, 0, "compute type comes from the bundle");
    let connected: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM workspaces WHERE connection_state IS NOT NULL")
            .fetch_one(&state.pool)
            .await
            .expect("count");
    assert_eq!(connected, 280, "connection status stored");
    let statuses = inventory::sync_statuses(&state.pool)
        .await
        .expect("statuses");
    assert_eq!(statuses.len(), 18, "9 steps in 2 Regions");
    // The emulator lacks application management and the Resource Groups Tagging API
    // (the demo overlay answers both): those steps alone are stale, with their error,
    // and the others are stored.
    let (missing, others): (Vec<_>, Vec<_>) = statuses
        .iter()
        .partition(|s| s.resource == "applications" || s.resource == "tags");
    assert!(
        others
            .iter()
            .all(|s| s.last_error.is_none() && s.last_success_at.is_some())
    );
    assert_eq!(missing.len(), 4);
    assert!(
        missing
            .iter()
            .all(|s| s.last_error.is_some() && s.last_success_at.is_none()),
        "{missing:?}"
    );
    let directories: Vec<app::model::Directory> =
        inventory::items(&state.pool, inventory::ItemKind::Directory)
            .await
            .expect("dirs");
    assert_eq!(directories.len(), 3);
}

fn request(user: &str) -> WorkspaceRequest {
    WorkspaceRequest::builder()
        .directory_id("d-1234567890")
        .user_name(user)
        .bundle_id("wsb-1")
        .build()
        .expect("request")
}

#[tokio::test]
async fn state_changes_and_removals_are_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = fresh_pool(&dir).await;
    let mock = MockAws::builder()
        .with_service(WorkSpacesService::new())
        .build();
    let config = mock.sdk_config("eu-west-1").await;
    let raw = aws_sdk_workspaces::Client::new(&config);
    let created = raw
        .create_workspaces()
        .workspaces(request("alice"))
        .workspaces(request("bob"))
        .send()
        .await
        .expect("create");
    let ids: Vec<String> = created
        .pending_requests()
        .iter()
        .filter_map(|ws| ws.workspace_id().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 2);
    let regions: Vec<Arc<dyn WorkspacesApi>> =
        vec![Arc::new(SdkWorkspaces::new(&config, "eu-west-1"))];
    let handle = SyncHandle::default();
    sync_all(&pool, &regions, &handle, &fast())
        .await
        .expect("first sync");

    raw.stop_workspaces()
        .stop_workspace_requests(StopRequest::builder().workspace_id(&ids[0]).build())
        .send()
        .await
        .expect("stop");
    raw.terminate_workspaces()
        .terminate_workspace_requests(
            TerminateRequest::builder()
                .workspace_id(&ids[1])
                .build()
                .expect("req"),
        )
        .send()
        .await
        .expect("terminate");
    sync_all(&pool, &regions, &handle, &fast())
        .await
        .expect("second sync");

    let stopped = inventory::workspace(&pool, &ids[0])
        .await
        .expect("query")
        .expect("row");
    assert_eq!(stopped.workspace.state.as_api(), "STOPPED");
    let changes: Vec<(Option<String>, String)> = stopped
        .timeline
        .iter()
        .map(|c| (c.from_state.clone(), c.to_state.clone()))
        .collect();
    assert_eq!(
        changes,
        vec![
            (Some("AVAILABLE".into()), "STOPPED".into()),
            (None, "AVAILABLE".into())
        ]
    );

    let removed = inventory::workspace(&pool, &ids[1])
        .await
        .expect("query")
        .expect("kept");
    assert!(removed.workspace.removed_at.is_some());
    assert_eq!(removed.timeline[0].to_state, inventory::REMOVED_STATE);
    let visible = inventory::fleet_rows(&pool, &FleetQuery::default(), None)
        .await
        .expect("rows");
    assert_eq!(visible.len(), 1, "removed WorkSpaces are hidden by default");
    let all = FleetQuery {
        removed: true,
        ..FleetQuery::default()
    };
    assert_eq!(
        inventory::fleet_rows(&pool, &all, None)
            .await
            .expect("rows")
            .len(),
        2
    );
}

fn workspaces(from: usize, count: usize) -> Vec<Workspace> {
    (from..from + count)
        .map(|n| {
            Workspace::builder()
                .workspace_id(format!("ws-{n:05}"))
                .directory_id("d-1")
                .user_name(format!("user{n}"))
                .bundle_id("wsb-1")
                .state(WorkspaceState::Available)
                .build()
        })
        .collect()
}

/// Rules that answer every other Describe call of the sync with an empty list.
macro_rules! empty_rules {
    () => {
        (
            mock!(aws_sdk_workspaces::Client::describe_workspace_bundles).then_output(|| {
                aws_sdk_workspaces::operation::describe_workspace_bundles::DescribeWorkspaceBundlesOutput::builder().build()
            }),
            mock!(aws_sdk_workspaces::Client::describe_workspace_directories).then_output(|| {
                aws_sdk_workspaces::operation::describe_workspace_directories::DescribeWorkspaceDirectoriesOutput::builder().build()
            }),
            mock!(aws_sdk_workspaces::Client::describe_workspace_images).then_output(|| {
                aws_sdk_workspaces::operation::describe_workspace_images::DescribeWorkspaceImagesOutput::builder().build()
            }),
            mock!(aws_sdk_workspaces::Client::describe_workspaces_connection_status).then_output(|| {
                aws_sdk_workspaces::operation::describe_workspaces_connection_status::DescribeWorkspacesConnectionStatusOutput::builder().build()
            }),
            mock!(aws_sdk_workspaces::Client::describe_connection_aliases).then_output(|| {
                aws_sdk_workspaces::operation::describe_connection_aliases::DescribeConnectionAliasesOutput::builder().build()
            }),
            mock!(aws_sdk_workspaces::Client::describe_applications).then_output(|| {
                aws_sdk_workspaces::operation::describe_applications::DescribeApplicationsOutput::builder().build()
            }),
        )
    };
}

#[tokio::test]
async fn every_page_of_25_is_fetched_exactly_once_and_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = fresh_pool(&dir).await;
    let pages =
        mock!(aws_sdk_workspaces::Client::describe_workspaces).then_compute_output(|req| match req
            .next_token()
        {
            None => DescribeWorkspacesOutput::builder()
                .set_workspaces(Some(workspaces(0, 25)))
                .next_token("page-2")
                .build(),
            Some("page-2") => DescribeWorkspacesOutput::builder()
                .set_workspaces(Some(workspaces(25, 25)))
                .next_token("page-3")
                .build(),
            _ => DescribeWorkspacesOutput::builder()
                .set_workspaces(Some(workspaces(50, 10)))
                .build(),
        });
    let groups = mock!(aws_sdk_workspaces::Client::describe_ip_groups).then_output(|| {
        aws_sdk_workspaces::operation::describe_ip_groups::DescribeIpGroupsOutput::builder().build()
    });
    let (bundles, directories, images, connections, aliases, applications) = empty_rules!();
    let client = mock_client!(
        aws_sdk_workspaces,
        RuleMode::MatchAny,
        [
            &pages,
            &groups,
            &bundles,
            &directories,
            &images,
            &connections,
            &aliases,
            &applications
        ]
    );
    let regions: Vec<Arc<dyn WorkspacesApi>> =
        vec![Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"))];
    let report = sync_all(&pool, &regions, &SyncHandle::default(), &fast())
        .await
        .expect("sync");

    assert_eq!(
        pages.num_calls(),
        3,
        "ceil(60 / 25) DescribeWorkspaces calls"
    );
    assert_eq!(report.workspaces, 60);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspaces")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(stored, 60);
}

fn http_error(status: u16, body: &str) -> aws_smithy_runtime_api::http::Response {
    aws_smithy_runtime_api::http::Response::new(
        aws_smithy_runtime_api::http::StatusCode::try_from(status).expect("status"),
        aws_smithy_types::body::SdkBody::from(body.to_string()),
    )
}

#[tokio::test]
async fn a_throttled_call_is_retried_and_a_failing_operation_only_marks_its_part_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = fresh_pool(&dir).await;
    let throttled_then_ok = mock!(aws_sdk_workspaces::Client::describe_workspaces)
        .sequence()
        .http_response(|| {
            http_error(
                400,
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            )
        })
        .times(5)
        .output(|| {
            DescribeWorkspacesOutput::builder()
                .set_workspaces(Some(workspaces(0, 3)))
                .build()
        })
        .build();
    // Like moto for operations it lacks: HTTP 500 with an HTML body.
    let not_implemented = mock!(aws_sdk_workspaces::Client::describe_ip_groups)
        .then_http_response(|| http_error(500, "<html><body>Not implemented</body></html>"));
    let (bundles, directories, images, connections, aliases, applications) = empty_rules!();
    let client = mock_client!(
        aws_sdk_workspaces,
        RuleMode::MatchAny,
        [
            &throttled_then_ok,
            &not_implemented,
            &bundles,
            &directories,
            &images,
            &connections,
            &aliases,
            &applications
        ]
    );
    let regions: Vec<Arc<dyn WorkspacesApi>> =
        vec![Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"))];
    let report = sync_all(&pool, &regions, &SyncHandle::default(), &fast())
        .await
        .expect("sync");

    assert_eq!(
        throttled_then_ok.num_calls(),
        6,
        "five throttled answers, then the page"
    );
    assert_eq!(
        report.workspaces, 3,
        "the throttled page was retried, not skipped"
    );
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].1, SyncStep::IpGroups);
    let statuses = inventory::sync_statuses(&pool).await.expect("statuses");
    let groups = statuses
        .iter()
        .find(|s| s.resource == "ip_groups")
        .expect("status");
    assert!(groups.last_error.is_some() && groups.last_success_at.is_none());
    let workspaces = statuses
        .iter()
        .find(|s| s.resource == "workspaces")
        .expect("status");
    assert_eq!(
        (workspaces.last_error.as_deref(), workspaces.item_count),
        (None, 3)
    );
}

/// DescribeWorkspaceImagePermissions is asked for the images the account owns only
/// (listed with ImageType OWNED, 000_694e23744a3a4a46.txt:3918), and one image whose
/// permissions cannot be read keeps its error without failing the images step.
#[tokio::test]
async fn image_permissions_are_read_for_owned_images_and_one_failure_stays_with_its_image() {
    use aws_sdk_workspaces::operation::describe_workspace_image_permissions::DescribeWorkspaceImagePermissionsOutput;
    use aws_sdk_workspaces::operation::describe_workspace_images::DescribeWorkspaceImagesOutput;
    use aws_sdk_workspaces::types::{ImagePermission, ImageType, WorkspaceImage};
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = fresh_pool(&dir).await;
    let image = |id: &str| WorkspaceImage::builder().image_id(id).name(id).build();
    let images = mock!(aws_sdk_workspaces::Client::describe_workspace_images).then_compute_output(
        move |req| {
            let ids: &[&str] = if req.image_type() == Some(&ImageType::Owned) {
                &["wsi-own1", "wsi-own2"]
            } else {
                &["wsi-own1", "wsi-own2", "wsi-theirs"]
            };
            DescribeWorkspaceImagesOutput::builder()
                .set_images(Some(ids.iter().map(|id| image(id)).collect()))
                .build()
        },
    );
    let shared = mock!(aws_sdk_workspaces::Client::describe_workspace_image_permissions)
        .match_requests(|req| req.image_id() == Some("wsi-own1"))
        .then_output(|| {
            DescribeWorkspaceImagePermissionsOutput::builder()
                .image_permissions(
                    ImagePermission::builder()
                        .shared_account_id("111122223333")
                        .build(),
                )
                .build()
        });
    let denied = mock!(aws_sdk_workspaces::Client::describe_workspace_image_permissions)
        .match_requests(|req| req.image_id() == Some("wsi-own2"))
        .then_http_response(|| {
            http_error(
                400,
                r#"{"__type":"AccessDeniedException","message":"not yours"}"#,
            )
        });
    let theirs = mock!(aws_sdk_workspaces::Client::describe_workspace_image_permissions)
        .match_requests(|req| req.image_id() == Some("wsi-theirs"))
        .then_output(|| DescribeWorkspaceImagePermissionsOutput::builder().build());
    let pages = mock!(aws_sdk_workspaces::Client::describe_workspaces)
        .then_output(|| DescribeWorkspacesOutput::builder().build());
    let groups = mock!(aws_sdk_workspaces::Client::describe_ip_groups).then_output(|| {
        aws_sdk_workspaces::operation::describe_ip_groups::DescribeIpGroupsOutput::builder().build()
    });
    let (bundles, directories, _, connections, aliases, applications) = empty_rules!();
    let client = mock_client!(
        aws_sdk_workspaces,
        RuleMode::MatchAny,
        [
            &images,
            &shared,
            &denied,
            &theirs,
            &pages,
            &groups,
            &bundles,
            &directories,
            &connections,
            &aliases,
            &applications
        ]
    );
    let regions: Vec<Arc<dyn WorkspacesApi>> =
        vec![Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"))];
    let report = sync_all(&pool, &regions, &SyncHandle::default(), &fast())
        .await
        .expect("sync");

    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(
        theirs.num_calls(),
        0,
        "a shared-in image's permissions are not asked"
    );
    let cached: Vec<app::model::Image> = inventory::items(&pool, inventory::ItemKind::Image)
        .await
        .expect("images");
    let find = |id: &str| cached.iter().find(|i| i.id == id).expect("cached").clone();
    assert_eq!(
        find("wsi-own1").shared_with,
        vec!["111122223333".to_string()]
    );
    assert!(find("wsi-own1").owned);
    assert!(
        find("wsi-own2")
            .permissions_error
            .is_some_and(|e| e.contains("AccessDenied"))
    );
    assert!(!find("wsi-theirs").owned);
}
