//! Rebuild and restore snapshots (DescribeWorkspaceSnapshots) on the WorkSpace detail:
//! both kinds arrive with their times, and the rebuild and restore confirmations name the
//! snapshot each goes back to (000_694e23744a3a4a46.txt:4172 rebuild snapshots hold the
//! user volume, :4195 restore snapshots the root and user volumes).

use std::sync::Arc;

use app::model::{Role, WorkspaceState};
use app::server::aws::{WorkspacesApi, all_pages};
use app::server::state::AppState;
use aws_sdk_workspaces::primitives::DateTime;
use aws_sdk_workspaces::types::Snapshot as SdkSnapshot;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use http_body_util::BodyExt;
use server::aws_sdk::SdkWorkspaces;

use crate::auth::{cookie_for, get, send, with_users};

#[tokio::test]
async fn rebuild_and_restore_snapshot_times_reach_the_detail_page() {
    let (_dir, state) = with_users().await;
    let eu_demo = state.workspaces[0].clone();
    let id = all_pages(|t| eu_demo.describe_workspaces(t))
        .await
        .expect("workspaces")
        .into_iter()
        .find(|w| w.workspace.state == WorkspaceState::Available)
        .map(|w| w.workspace.id)
        .expect("an available WorkSpace");

    let snapshots = mock!(aws_sdk_workspaces::Client::describe_workspace_snapshots)
        .match_requests({
            let id = id.clone();
            move |req| req.workspace_id() == Some(id.as_str())
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::describe_workspace_snapshots::DescribeWorkspaceSnapshotsOutput::builder()
                .rebuild_snapshots(
                    SdkSnapshot::builder()
                        .snapshot_time(DateTime::from_secs(1_714_557_600)) // 2024-05-01T10:00:00Z
                        .build(),
                )
                .restore_snapshots(
                    SdkSnapshot::builder()
                        .snapshot_time(DateTime::from_secs(1_714_471_200)) // 2024-04-30T10:00:00Z
                        .build(),
                )
                .restore_snapshots(
                    SdkSnapshot::builder()
                        .snapshot_time(DateTime::from_secs(1_714_528_800)) // 2024-05-01T02:00:00Z
                        .build(),
                )
                .build()
        });
    let tags = mock!(aws_sdk_workspaces::Client::describe_tags).then_output(|| {
        aws_sdk_workspaces::operation::describe_tags::DescribeTagsOutput::builder().build()
    });
    // The page's applications card reads these too.
    let associations = mock!(aws_sdk_workspaces::Client::describe_workspace_associations).then_output(|| {
        aws_sdk_workspaces::operation::describe_workspace_associations::DescribeWorkspaceAssociationsOutput::builder().build()
    });
    let catalog = mock!(aws_sdk_workspaces::Client::describe_applications).then_output(|| {
        aws_sdk_workspaces::operation::describe_applications::DescribeApplicationsOutput::builder().build()
    });
    let eu: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(
        mock_client!(
            aws_sdk_workspaces,
            RuleMode::MatchAny,
            [&snapshots, &tags, &associations, &catalog]
        ),
        "eu-west-1",
    ));
    let mocked = AppState {
        workspaces: Arc::new(vec![eu, state.workspaces[1].clone()]),
        health: app::server::health::Health::none(),
        ..state.clone()
    };

    // The service: each time under its own kind.
    let detail = app::server::fleet::workspace_detail(
        &crate::common::caller(&mocked, &crate::common::user(Role::Viewer)),
        &id,
    )
    .await
    .expect("detail");
    assert_eq!(detail.snapshots_error, None);
    let of = |kind: &str| -> Vec<String> {
        let mut times: Vec<String> = detail
            .snapshots
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.time.clone())
            .collect();
        times.sort();
        times
    };
    assert_eq!(of("rebuild"), vec!["2024-05-01T10:00:00Z".to_string()]);
    assert_eq!(
        of("restore"),
        vec![
            "2024-04-30T10:00:00Z".to_string(),
            "2024-05-01T02:00:00Z".to_string()
        ]
    );
    assert_eq!(snapshots.num_calls(), 1);

    // The page: both kinds with their times, and each confirmation names its snapshot.
    let helpdesk = cookie_for(&mocked, Role::Helpdesk).await;
    let response = send(&mocked, get(&format!("/workspaces/{id}"), Some(&helpdesk))).await;
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let html = String::from_utf8_lossy(&bytes).into_owned();
    let row = |kind: &str| -> String {
        html.split(&format!("data-snapshot-kind=\"{kind}\""))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("rebuild").contains("2024-05-01 10:00:00 UTC"), "{html}");
    assert!(row("restore").contains("2024-05-01 02:00:00 UTC"));
    assert!(row("restore").contains("2024-04-30 10:00:00 UTC"));
    assert!(
        html.contains(
            "Last snapshot of the user volume (used by rebuild): 2024-05-01 10:00:00 UTC"
        ),
        "the rebuild confirmation names its snapshot"
    );
    assert!(
        html.contains(
            "Last snapshot of the root and user volumes (used by restore): 2024-05-01 02:00:00 UTC"
        ),
        "the restore confirmation names the newest restore snapshot"
    );
    assert!(
        html.contains("applications installed and system changes made on the root volume are LOST")
    );
}
