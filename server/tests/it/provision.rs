//! Provisioning new WorkSpaces: through the real SDK against the demo fleet (emulator)
//! and against `aws-smithy-mocks` where the emulator never refuses a request, the draft
//! that runs once, the one audit entry with an outcome per user, PENDING cache rows, and
//! a refused form field as a 400 over HTTP.

use std::sync::Arc;

use app::error::AppError;
use app::model::{
    Bundle, Directory, FleetQuery, Image, ProvisionForm, Role, TargetStatus, WorkspaceState,
};
use app::server::aws::WorkspacesApi;
use app::server::provision::{review_draft, run, save_draft};
use app::server::repo::audit;
use app::server::repo::inventory::{self, ItemKind};
use aws_sdk_workspaces::operation::create_workspaces::CreateWorkspacesOutput;
use aws_sdk_workspaces::types::{FailedCreateWorkspaceRequest, Workspace};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use axum::http::StatusCode;
use server::aws_sdk::SdkWorkspaces;

use crate::auth::{cookie_for, post, status_and_body, with_users};

/// The demo's corporate directory (eu-west-1).
const DIRECTORY: &str = "d-93670c1e5a";

/// A user of `role` in the database (drafts belong to a stored user).
async fn stored_user(pool: &sqlx::AnyPool, role: Role) -> app::model::UserInfo {
    app::server::users::create(
        pool,
        &app::server::repo::audit::Actor::default(),
        &format!("{role}-user"),
        role.as_str(),
        "a long enough password".into(),
    )
    .await
    .expect("user")
}

fn form(users: &str, bundle_id: &str) -> ProvisionForm {
    ProvisionForm {
        directory_id: DIRECTORY.into(),
        bundle_id: bundle_id.into(),
        running_mode: "AUTO_STOP".into(),
        auto_stop_timeout: "120".into(),
        tags: "Team=it".into(),
        users: users.into(),
        ..ProvisionForm::default()
    }
}

#[tokio::test]
async fn creates_workspaces_in_the_demo_fleet_pending_at_once_audited_per_user_and_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let query = FleetQuery {
        directory: DIRECTORY.into(),
        ..FleetQuery::default()
    };
    let before = inventory::fleet_rows(&state.pool, &query, None)
        .await
        .expect("fleet");
    let taken = before
        .iter()
        .find(|ws| {
            !matches!(
                ws.state,
                WorkspaceState::Terminated | WorkspaceState::Terminating
            ) && app::server::provision::user_name_problem(&ws.user_name).is_none()
        })
        .expect("the demo directory has WorkSpaces");
    let admin = stored_user(&state.pool, Role::Admin).await;
    // The user of an existing WorkSpace asks for another from the same bundle: refused.
    let users = format!("prov-alice\nprov-bob\n{}", taken.user_name);
    let draft = save_draft(
        &crate::common::caller(&state, &admin),
        &form(&users, &taken.bundle_id),
    )
    .await
    .expect("draft");

    let report = run(
        &crate::common::caller(&state, &admin),
        draft,
        "CHG-100: new starters",
    )
    .await
    .expect("run");
    let outcome = |target: &str| {
        report
            .results
            .iter()
            .find(|r| r.target == target)
            .unwrap_or_else(|| panic!("{target} in {report:?}"))
            .clone()
    };
    let alice = outcome("prov-alice");
    assert_eq!(alice.outcome, TargetStatus::Succeeded, "{report:?}");
    let alice_id = alice.workspace_id.expect("AWS's WorkSpace id");
    assert!(alice_id.starts_with("ws-"));
    assert_eq!(outcome("prov-bob").outcome, TargetStatus::Succeeded);
    let refused = outcome(&taken.user_name);
    assert_eq!(refused.outcome, TargetStatus::Skipped);
    assert!(
        refused
            .message
            .as_deref()
            .unwrap_or("")
            .contains("already has WorkSpace"),
        "{refused:?}"
    );

    // In the cache at once, PENDING, with what was asked for (the follow task has not
    // refreshed it yet: it waits a few seconds first).
    let cached = inventory::workspace(&state.pool, &alice_id)
        .await
        .expect("query")
        .expect("cached");
    assert_eq!(cached.workspace.state, WorkspaceState::Pending);
    assert_eq!(cached.workspace.user_name, "prov-alice");
    assert_eq!(cached.workspace.directory_id, DIRECTORY);
    assert_eq!(cached.workspace.bundle_id, taken.bundle_id);
    assert_eq!(cached.workspace.auto_stop_timeout_minutes, Some(120));
    // And in AWS (the emulator).
    let described = state.workspaces[0]
        .describe_workspaces_by_id(std::slice::from_ref(&alice_id))
        .await
        .expect("describe");
    assert_eq!(described.len(), 1);
    assert_eq!(described[0].workspace.user_name, "prov-alice");

    // One audit entry, one outcome per row, the new ids in its detail.
    let (entries, _) = audit::list(&state.pool, &Default::default(), None)
        .await
        .expect("audit");
    let entry = entries
        .iter()
        .find(|e| e.action == "workspace.create")
        .expect("entry");
    assert_eq!(entry.outcome, "partial");
    assert_eq!(entry.targets.len(), 3);
    assert_eq!(entry.reason.as_deref(), Some("CHG-100: new starters"));
    assert!(
        entry.detail.as_deref().unwrap_or("").contains(&alice_id),
        "{entry:?}"
    );

    // A draft runs once.
    let again = run(&crate::common::caller(&state, &admin), draft, "again").await;
    assert!(
        matches!(&again, Err(AppError::Validation { field, .. }) if field == "draft"),
        "{again:?}"
    );
    // Another admin cannot read or run it.
    let other = app::model::UserInfo {
        id: admin.id + 1,
        ..admin.clone()
    };
    let stranger =
        app::server::provision::review_draft(&crate::common::caller(&state, &other), draft).await;
    assert!(
        matches!(stranger, Err(AppError::NotFound(_))),
        "{stranger:?}"
    );
    // A help-desk user cannot provision.
    let helpdesk = save_draft(
        &crate::common::caller(&state, &stored_user(&state.pool, Role::Helpdesk).await),
        &form("x", &taken.bundle_id),
    )
    .await;
    assert!(matches!(helpdesk, Err(AppError::Forbidden)));
}

/// A cache with one registered directory and one bundle in eu-west-1.
async fn cache_with_directory() -> (tempfile::TempDir, sqlx::AnyPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = crate::common::test_pool(&dir, "p").await;
    crate::common::load_chain_key();
    let directory = Directory {
        id: DIRECTORY.into(),
        account: String::new(),
        region: "eu-west-1".into(),
        alias: Some("corp".into()),
        name: None,
        directory_type: None,
        state: Some("REGISTERED".into()),
        registration_code: None,
        dns_ip_addresses: Vec::new(),
        customer_user_name: None,
        iam_role_id: None,
        subnet_ids: Vec::new(),
        ip_group_ids: Vec::new(),
        self_service: None,
        security_group_id: None,
        tenancy: None,
        creation: None,
        access: None,
        client: None,
    };
    let bundle = Bundle {
        id: "wsb-std".into(),
        account: String::new(),
        region: "eu-west-1".into(),
        name: "Standard".into(),
        owner: None,
        description: None,
        compute_type: Some("STANDARD".into()),
        root_storage_gib: Some("80".into()),
        user_storage_gib: Some("50".into()),
        image_id: None,
        state: Some("AVAILABLE".into()),
        last_updated: None,
        bundle_type: None,
        created: None,
    };
    let now = inventory::now();
    inventory::replace_items(
        &pool,
        ("", "eu-west-1"),
        ItemKind::Directory,
        &[(directory.id.clone(), directory)],
        &now,
    )
    .await
    .expect("directory");
    inventory::replace_items(
        &pool,
        ("", "eu-west-1"),
        ItemKind::Bundle,
        &[(bundle.id.clone(), bundle)],
        &now,
    )
    .await
    .expect("bundle");
    (dir, pool)
}

/// 30 users go to AWS as 25 + 5; AWS refuses one in a FailedRequest (which the emulator
/// never does), and that user alone fails, with AWS's code and message, and gets no row.
#[tokio::test]
async fn thirty_users_are_two_calls_and_a_failed_request_fails_its_user_only() {
    let (_dir, pool) = cache_with_directory().await;
    let create = mock!(aws_sdk_workspaces::Client::create_workspaces).then_compute_output(|req| {
        let mut pending = Vec::new();
        let mut failed = Vec::new();
        for (n, request) in req.workspaces().iter().enumerate() {
            if request.user_name() == "user07" {
                failed.push(
                    FailedCreateWorkspaceRequest::builder()
                        .workspace_request(request.clone())
                        .error_code("ResourceLimitExceededException")
                        .error_message("Your WorkSpaces quota is reached.")
                        .build(),
                );
            } else {
                pending.push(
                    Workspace::builder()
                        .workspace_id(format!("ws-new{}{n:02}", request.user_name()))
                        .user_name(request.user_name())
                        .directory_id(request.directory_id())
                        .build(),
                );
            }
        }
        CreateWorkspacesOutput::builder()
            .set_pending_requests(Some(pending))
            .set_failed_requests(Some(failed))
            .build()
    });
    let client = mock_client!(aws_sdk_workspaces, RuleMode::MatchAny, [&create]);
    let regions: Vec<Arc<dyn WorkspacesApi>> =
        vec![Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"))];
    let users: Vec<String> = (0..30).map(|n| format!("user{n:02}")).collect();
    let admin = stored_user(&pool, Role::Admin).await;
    let draft = save_draft(
        &crate::common::caller_over(&pool, &regions, &admin),
        &form(&users.join("\n"), "wsb-std"),
    )
    .await
    .expect("draft");
    let report = run(
        &crate::common::caller_over(&pool, &regions, &admin),
        draft,
        "CHG-200",
    )
    .await
    .expect("run");
    assert_eq!(create.num_calls(), 2, "30 users = 25 + 5");
    assert_eq!(report.results.len(), 30);
    let failed: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.outcome != TargetStatus::Succeeded)
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].target, "user07");
    assert_eq!(failed[0].outcome, TargetStatus::Failed);
    assert_eq!(
        failed[0].message.as_deref(),
        Some("ResourceLimitExceededException: Your WorkSpaces quota is reached.")
    );
    assert_eq!(failed[0].workspace_id, None);
    let created: Vec<_> = report
        .results
        .iter()
        .filter_map(|r| r.workspace_id.clone())
        .collect();
    assert_eq!(created.len(), 29);
    let cached = inventory::workspaces_by_id(&pool, &created)
        .await
        .expect("cache");
    assert_eq!(cached.len(), 29);
    assert!(cached.iter().all(|ws| ws.state == WorkspaceState::Pending));
    let rows = inventory::fleet_rows(&pool, &FleetQuery::default(), None)
        .await
        .expect("fleet");
    assert!(!rows.iter().any(|ws| ws.user_name == "user07"));

    let (entries, _) = audit::list(&pool, &Default::default(), None)
        .await
        .expect("audit");
    let entry = &entries[0];
    assert_eq!(entry.action, "workspace.create");
    assert_eq!(entry.outcome, "partial");
    assert_eq!(entry.targets.len(), 30);
    let user07 = entry
        .targets
        .iter()
        .find(|t| t.target == "user07")
        .expect("user07");
    assert_eq!(user07.outcome, "failed");
    assert!(
        user07
            .error
            .as_deref()
            .unwrap_or("")
            .contains("ResourceLimitExceededException"),
        "{user07:?}"
    );
}

/// A refused form field (a bundle not in the inventory) is a 400 naming the field.
#[tokio::test]
async fn an_unknown_bundle_is_a_400_naming_the_field() {
    let (_dir, state) = with_users().await;
    let admin = cookie_for(&state, Role::Admin).await;
    let body = format!(
        "form%5Bdirectory_id%5D={DIRECTORY}&form%5Bbundle_id%5D=x&form%5Brunning_mode%5D=AUTO_STOP&form%5Busers%5D=alice"
    );
    let (status, body) =
        status_and_body(&state, post("/api/provision/draft", &body, Some(&admin))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(matches!(
        serde_json::from_str::<AppError>(&body),
        Ok(AppError::Validation { field, .. }) if field == "bundle_id"
    ));
}

/// The cache of [`cache_with_directory`] with the directory's tenancy SHARED and two
/// more bundles: `wsb-byol`, whose image `wsi-byol` is BYOL (RequiredTenancy DEDICATED),
/// and `wsb-gpu`, a GPU-based bundle (GRAPHICS_G4DN).
async fn cache_with_byol_and_gpu_bundles() -> (tempfile::TempDir, sqlx::AnyPool) {
    let (dir, pool) = cache_with_directory().await;
    let now = inventory::now();
    let place = ("", "eu-west-1");
    let mut directories: Vec<Directory> = inventory::items(&pool, ItemKind::Directory)
        .await
        .expect("directories");
    for directory in &mut directories {
        directory.tenancy = Some("SHARED".into());
    }
    let keyed: Vec<_> = directories.into_iter().map(|d| (d.id.clone(), d)).collect();
    inventory::replace_items(&pool, place, ItemKind::Directory, &keyed, &now)
        .await
        .expect("directory");
    let standard: Vec<Bundle> = inventory::items(&pool, ItemKind::Bundle)
        .await
        .expect("bundles");
    let standard = standard.into_iter().next().expect("wsb-std");
    let bundles = [
        standard.clone(),
        Bundle {
            id: "wsb-byol".into(),
            name: "BYOL Windows 10".into(),
            image_id: Some("wsi-byol".into()),
            ..standard.clone()
        },
        Bundle {
            id: "wsb-gpu".into(),
            name: "Graphics.g4dn".into(),
            compute_type: Some("GRAPHICS_G4DN".into()),
            ..standard
        },
    ];
    let keyed: Vec<_> = bundles.into_iter().map(|b| (b.id.clone(), b)).collect();
    inventory::replace_items(&pool, place, ItemKind::Bundle, &keyed, &now)
        .await
        .expect("bundles");
    // From JSON, as the cache stores it: a BYOL image runs on dedicated hardware.
    let image: Image = serde_json::from_value(serde_json::json!({
        "id": "wsi-byol", "region": "eu-west-1", "name": "Win10-BYOL",
        "operating_system": "WINDOWS", "required_tenancy": "DEDICATED",
    }))
    .expect("image");
    inventory::replace_items(
        &pool,
        place,
        ItemKind::Image,
        &[(image.id.clone(), image)],
        &now,
    )
    .await
    .expect("image");
    (dir, pool)
}

/// Issue 21 items 3 and 5: a BYOL bundle in a SHARED directory
/// (000_694e23744a3a4a46.txt:3740, :4070) and a protocol on a GPU-based bundle
/// (004_989ae404788726c9.txt:1119) are refused before any AWS call: as the form's bundle
/// the field is a 400, as a CSV row's bundle only that row is refused and never sent.
#[tokio::test]
async fn byol_bundles_in_shared_directories_and_gpu_protocols_are_refused_before_aws() {
    let (_dir, pool) = cache_with_byol_and_gpu_bundles().await;
    let sent: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let seen = sent.clone();
    let create =
        mock!(aws_sdk_workspaces::Client::create_workspaces).then_compute_output(move |req| {
            let mut pending = Vec::new();
            for request in req.workspaces() {
                seen.lock()
                    .expect("lock")
                    .push(request.user_name().to_string());
                pending.push(
                    Workspace::builder()
                        .workspace_id(format!("ws-new-{}", request.user_name()))
                        .user_name(request.user_name())
                        .directory_id(request.directory_id())
                        .build(),
                );
            }
            CreateWorkspacesOutput::builder()
                .set_pending_requests(Some(pending))
                .build()
        });
    let client = mock_client!(aws_sdk_workspaces, RuleMode::MatchAny, [&create]);
    let regions: Vec<Arc<dyn WorkspacesApi>> =
        vec![Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"))];
    let admin = stored_user(&pool, Role::Admin).await;
    let caller = || crate::common::caller_over(&pool, &regions, &admin);

    // The form's bundle is BYOL, the directory SHARED: the field is refused.
    let refused = save_draft(&caller(), &form("alice", "wsb-byol")).await;
    match &refused {
        Err(AppError::Validation { field, message }) => {
            assert_eq!(field, "bundle_id");
            assert!(
                message.contains("DEDICATED") && message.contains("is SHARED"),
                "{message}"
            );
        }
        other => panic!("expected the bundle refused, got {other:?}"),
    }

    let mut f = form("alice", "wsb-std");
    f.protocol = "WSP".into();
    f.csv = "user_name,bundle_id\nbob,wsb-byol\ncarol,wsb-gpu\n".into();
    let draft = save_draft(&caller(), &f).await.expect("draft");
    let review = review_draft(&caller(), draft).await.expect("review");
    let refusal = |user: &str| {
        review
            .rows
            .iter()
            .find(|r| r.user_name == user)
            .and_then(|r| r.refusal.clone())
            .unwrap_or_default()
    };
    assert_eq!(refusal("alice"), "");
    assert!(
        refusal("bob").contains("needs a directory with DEDICATED tenancy"),
        "{review:?}"
    );
    assert!(refusal("carol").contains("GPU-based bundles"), "{review:?}");
    assert_eq!(review.accepted(), 1);

    let report = run(&caller(), draft, "CHG-300").await.expect("run");
    assert_eq!(create.num_calls(), 1);
    assert_eq!(
        *sent.lock().expect("lock"),
        vec!["alice".to_string()],
        "refused rows are never sent"
    );
    for user in ["bob", "carol"] {
        let result = report
            .results
            .iter()
            .find(|r| r.target == user)
            .unwrap_or_else(|| panic!("{user} in {report:?}"));
        assert_eq!(result.outcome, TargetStatus::Skipped, "{result:?}");
        assert_eq!(result.workspace_id, None);
    }
}
