//! The production `WorkspacesApi` (over `aws-sdk-workspaces`) against the in-process
//! emulator and against `aws-smithy-mocks`: real request serialisation, real parsing.

use app::model::WorkspaceState;
use app::server::aws::{ErrorKind, WorkspacesApi, all_pages};
use aws_sdk_workspaces::types::{RunningMode, WorkspaceProperties, WorkspaceRequest};
use aws_smithy_mocks::{mock, mock_client};
use server::aws_sdk::SdkWorkspaces;
use std::sync::Arc;
use winterbaume_core::MockAws;
use winterbaume_workspaces::WorkSpacesService;

fn request(user: &str) -> WorkspaceRequest {
    WorkspaceRequest::builder()
        .directory_id("d-1234567890")
        .user_name(user)
        .bundle_id("wsb-12345")
        .workspace_properties(
            WorkspaceProperties::builder()
                .running_mode(RunningMode::AlwaysOn)
                .root_volume_size_gib(175)
                .build(),
        )
        .build()
        .expect("valid request")
}

#[tokio::test]
async fn lists_workspaces_and_directories_created_through_the_sdk() {
    let mock = MockAws::builder()
        .with_service(WorkSpacesService::new())
        .build();
    let config = mock.sdk_config("eu-central-1").await;
    let raw = aws_sdk_workspaces::Client::new(&config);
    raw.create_workspaces()
        .workspaces(request("alice"))
        .workspaces(request("bob"))
        .send()
        .await
        .expect("create");

    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::new(&config, "eu-central-1"));
    let mut workspaces: Vec<_> = all_pages(|token| api.describe_workspaces(token))
        .await
        .expect("list")
        .into_iter()
        .map(|described| described.workspace)
        .collect();
    workspaces.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    assert_eq!(workspaces.len(), 2);
    let alice = &workspaces[0];
    assert_eq!(alice.user_name, "alice");
    assert_eq!(alice.region, "eu-central-1");
    assert_eq!(alice.directory_id, "d-1234567890");
    assert_eq!(alice.bundle_id, "wsb-12345");
    assert_eq!(alice.state, WorkspaceState::Available);
    assert_eq!(alice.running_mode.as_deref(), Some("ALWAYS_ON"));
    assert_eq!(alice.root_volume_gib, Some(175));
    assert!(alice.id.starts_with("ws-"));

    let directories = all_pages(|token| api.describe_directories(token))
        .await
        .expect("dirs");
    assert_eq!(directories.len(), 1);
    assert_eq!(directories[0].id, "d-1234567890");
    assert_eq!(directories[0].state.as_deref(), Some("REGISTERED"));
}

#[tokio::test]
async fn the_demo_fleet_is_served_through_the_sdk() {
    let clients: Vec<Arc<dyn WorkspacesApi>> = server::demo::demo_clients().await.expect("demo");
    let regions: Vec<&str> = clients.iter().map(|c| c.region()).collect();
    assert_eq!(regions, vec!["eu-west-1", "us-east-1"]);
    let (mut workspaces, mut directories, mut groups, mut images) = (0, 0, 0, 0);
    for api in &clients {
        let listed = all_pages(|t| api.describe_workspaces(t))
            .await
            .expect("workspaces");
        assert!(listed.iter().all(|ws| ws.workspace.region == api.region()));
        workspaces += listed.len();
        directories += all_pages(|t| api.describe_directories(t))
            .await
            .expect("dirs")
            .len();
        groups += all_pages(|t| api.describe_ip_groups(t))
            .await
            .expect("groups")
            .len();
        images += all_pages(|t| api.describe_images(t))
            .await
            .expect("images")
            .len();
    }
    assert!(workspaces >= 250, "{workspaces} WorkSpaces");
    assert_eq!((directories, groups, images), (3, 2, 4));
}

pub(crate) fn aws_error(
    status: u16,
    code: &str,
    message: &str,
) -> aws_smithy_runtime_api::http::Response {
    let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
    aws_smithy_runtime_api::http::Response::new(
        aws_smithy_runtime_api::http::StatusCode::try_from(status).expect("status"),
        aws_smithy_types::body::SdkBody::from(body),
    )
}

#[tokio::test]
async fn aws_errors_keep_their_code_and_message_and_get_a_kind() {
    let denied = mock!(aws_sdk_workspaces::Client::describe_workspaces)
        .then_http_response(|| aws_error(400, "AccessDeniedException", "not authorized"));
    let client = mock_client!(aws_sdk_workspaces, [&denied]);
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"));
    let error = api.describe_workspaces(None).await.expect_err("denied");
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert_eq!(error.code, "AccessDeniedException");
    assert_eq!(error.message, "not authorized");
}

#[tokio::test]
async fn the_demo_overlay_keeps_what_the_emulator_forgets() {
    use app::model::{Access, AccessProperties};
    use app::server::aws::{Change, DirectoryChange, ImageChange, IpGroupChange};
    let fleet = server::demo::demo_fleet().await.expect("demo");
    let eu = &fleet[0];
    let corp = |dirs: &[app::model::Directory]| {
        dirs.iter()
            .find(|d| d.id == "d-93670c1e5a")
            .cloned()
            .expect("corp directory")
    };
    let dirs = all_pages(|t| eu.describe_directories(t))
        .await
        .expect("dirs");
    let seeded = corp(&dirs);
    assert!(seeded.access.is_some() && seeded.creation.is_some() && seeded.self_service.is_some());
    assert_eq!(seeded.ip_group_ids, vec!["wsipg-offices01".to_string()]);
    assert_eq!(
        seeded.access.map(|a| a.windows),
        Some(Access::Trust),
        "the demo's corporate directory admits trusted Windows devices only"
    );

    // The overlay keeps the three values, TRUST included.
    let access = AccessProperties {
        macos: Access::Trust,
        ..AccessProperties::from_keys(&["web".into()])
    };
    eu.apply(&Change::Directory(DirectoryChange::SetAccessProperties {
        directory_id: "d-93670c1e5a".into(),
        access,
    }))
    .await
    .expect("access");
    eu.apply(&Change::IpGroup(IpGroupChange::Associate {
        directory_id: "d-93670c1e5a".into(),
        group_id: "wsipg-vpn00002".into(),
    }))
    .await
    .expect("associate through the emulator");
    let dirs = all_pages(|t| eu.describe_directories(t))
        .await
        .expect("dirs");
    let changed = corp(&dirs);
    assert_eq!(changed.access, Some(access));
    assert!(changed.ip_group_ids.contains(&"wsipg-vpn00002".to_string()));

    let us = &fleet[1];
    let id = us
        .apply(&Change::Image(ImageChange::Copy {
            source_region: "eu-west-1".into(),
            source_image_id: "wsi-0f2c9a7b1".into(),
            name: "copy".into(),
            description: None,
        }))
        .await
        .expect("copy")
        .created_id
        .expect("new id");
    let images = all_pages(|t| us.describe_images(t)).await.expect("images");
    assert!(images.iter().any(|i| i.id == id && i.region == "us-east-1"));

    // The emulator keeps ReconnectEnabled only; the overlay keeps LogUploadEnabled.
    eu.apply(&Change::Directory(DirectoryChange::SetClientProperties {
        directory_id: "d-93670c1e5a".into(),
        properties: app::model::ClientProperties {
            reconnect: None,
            log_upload: Some(false),
        },
    }))
    .await
    .expect("client properties");
    let client = eu
        .describe_client_properties(&["d-93670c1e5a".to_string()])
        .await
        .expect("client properties");
    assert_eq!(
        client[0].1,
        app::model::ClientProperties {
            reconnect: Some(true),
            log_upload: Some(false),
        }
    );

    // An associated alias stays CREATED with an association status, as in AWS.
    let us_alias = all_pages(|t| us.describe_connection_aliases(t))
        .await
        .expect("aliases")
        .remove(0);
    us.apply(&Change::ConnectionAlias(
        app::server::aws::AliasChange::Associate {
            alias_id: us_alias.id.clone(),
            directory_id: "d-9067a3f4e2".into(),
        },
    ))
    .await
    .expect("associate");
    let associated = us
        .describe_connection_alias(&us_alias.id)
        .await
        .expect("describe")
        .expect("alias");
    assert_eq!(associated.state.as_deref(), Some("CREATED"));
    assert_eq!(
        associated.associations[0].status.as_deref(),
        Some("ASSOCIATED_WITH_OWNER_ACCOUNT")
    );
}

/// CreateWorkspaces through the SDK: running mode MANUAL and the protocol from the
/// newer API (002_363a3ccb364b572d.txt:149) serialise, and each user comes back as a
/// PendingRequest with the new WorkSpace's id (000_694e23744a3a4a46.txt:1505).
#[tokio::test]
async fn create_workspaces_answers_each_user_with_the_new_id() {
    use app::server::aws::{Change, NewWorkspace, WorkspaceChange};
    let mock = MockAws::builder()
        .with_service(WorkSpacesService::new())
        .build();
    let config = mock.sdk_config("eu-west-1").await;
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::new(&config, "eu-west-1"));
    let new = |user: &str| NewWorkspace {
        directory_id: "d-1234567890".into(),
        user_name: user.into(),
        bundle_id: "wsb-12345".into(),
        running_mode: "MANUAL".into(),
        auto_stop_timeout_minutes: None,
        protocols: vec!["WSP".into()],
        root_volume_encrypted: true,
        user_volume_encrypted: false,
        volume_encryption_key: Some("alias/workspaces".into()),
        tags: vec![app::model::Tag {
            key: "Team".into(),
            value: "it".into(),
        }],
    };
    let outcome = api
        .apply(&Change::Workspace(WorkspaceChange::Create(vec![
            new("carol"),
            new("dave"),
        ])))
        .await
        .expect("create");
    assert!(outcome.failed.is_empty(), "{outcome:?}");
    let mut created = outcome.created_per_target.clone();
    created.sort();
    assert_eq!(
        created
            .iter()
            .map(|(user, _)| user.as_str())
            .collect::<Vec<_>>(),
        vec!["carol", "dave"]
    );
    let ids: Vec<String> = created.iter().map(|(_, id)| id.clone()).collect();
    assert!(ids.iter().all(|id| id.starts_with("ws-")));
    let described = api.describe_workspaces_by_id(&ids).await.expect("describe");
    assert_eq!(described.len(), 2);
    let carol = described
        .iter()
        .find(|d| d.workspace.user_name == "carol")
        .expect("carol");
    assert_eq!(carol.workspace.running_mode.as_deref(), Some("MANUAL"));
    assert!(carol.workspace.root_volume_encrypted);
    assert!(!carol.workspace.user_volume_encrypted);
}

#[tokio::test]
async fn an_answer_that_is_not_aws_reads_as_the_http_status_and_region() {
    let html = mock!(aws_sdk_workspaces::Client::describe_workspaces).then_http_response(|| {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(502).expect("status"),
            aws_smithy_types::body::SdkBody::from(
                "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
            ),
        )
    });
    let refused = mock!(aws_sdk_workspaces::Client::describe_workspace_directories)
        .then_http_response(|| aws_error(400, "ValidationException", "1 validation error"));
    let client = mock_client!(aws_sdk_workspaces, [&html, &refused]);
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(client, "us-east-1"));
    let error = api.describe_workspaces(None).await.expect_err("502");
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.code, "HTTP502");
    assert_eq!(
        error.message,
        "HTTP 502 from the WorkSpaces endpoint in us-east-1"
    );
    assert!(
        !error.message.contains("nginx"),
        "the page itself goes to the log only"
    );
    // AWS's own errors keep AWS's words and get no Region suffix.
    let error = api.describe_directories(None).await.expect_err("refused");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert_eq!(error.message, "1 validation error");
}

/// Issue 20, finding 14: a failed AWS call is one readable WARN line (operation,
/// account, Region, AWS error code and message); the SDK's debug dump (headers, raw
/// body) only at debug level.
#[tokio::test]
async fn a_failed_call_logs_one_readable_line() {
    let denied = mock!(aws_sdk_workspaces::Client::describe_workspaces)
        .then_http_response(|| aws_error(400, "AccessDeniedException", "not authorized"));
    let client = mock_client!(aws_sdk_workspaces, [&denied]);
    let api: Arc<dyn WorkspacesApi> = Arc::new(app::server::rate_limit::RateLimited::new(
        Arc::new(SdkWorkspaces::from_client(client, "eu-west-1")),
        1000.0,
    ));
    let (captured, _guard) = crate::http::Captured::log("warn");
    api.describe_workspaces(None).await.expect_err("denied");
    let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1, "{log}");
    for part in [
        "WARN",
        "operation=Workspaces",
        "region=\"eu-west-1\"",
        "code=AccessDeniedException",
        "not authorized",
    ] {
        assert!(lines[0].contains(part), "{part}: {log}");
    }
    assert!(
        !log.contains("SdkBody") && !log.contains("headers"),
        "no raw dump: {log}"
    );
}
