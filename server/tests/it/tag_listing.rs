//! The fleet's tags through the Resource Groups Tagging API (issue 21, "tags of a large
//! fleet"): the real `aws-sdk-resourcegroupstagging` client against a scripted
//! GetResources endpoint on 127.0.0.1 (moto's tagging API does not list WorkSpaces), the
//! WorkSpaces side against the in-process emulator.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use app::model::FleetQuery;
use app::server::aws::WorkspacesApi;
use app::server::repo::inventory;
use app::server::sync::{SyncHandle, SyncSettings, load_missing_tags, sync_all};
use aws_sdk_workspaces::types::{Tag, WorkspaceRequest};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use server::aws_sdk::SdkWorkspaces;
use winterbaume_core::MockAws;
use winterbaume_workspaces::WorkSpacesService;

/// What the scripted endpoint answers, one answer per request, and what it was sent.
#[derive(Clone, Default)]
struct Script {
    answers: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Script {
    fn answer(&self, status: StatusCode, body: Value) {
        self.answers
            .lock()
            .expect("answers")
            .push_back((status, body));
    }

    fn requests(&self) -> Vec<(String, Value)> {
        self.requests.lock().expect("requests").clone()
    }
}

/// Serves `script` as the Resource Groups Tagging API (awsJson 1.1) and returns a client
/// of the real SDK pointed at it.
async fn scripted_tagging(script: &Script) -> aws_sdk_resourcegroupstagging::Client {
    let served = script.clone();
    let app = axum::Router::new().route(
        "/",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let script = served.clone();
            async move {
                let target = headers
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let sent: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                script
                    .requests
                    .lock()
                    .expect("requests")
                    .push((target, sent));
                let (status, answer) = script
                    .answers
                    .lock()
                    .expect("answers")
                    .pop_front()
                    .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, json!({})));
                (
                    status,
                    [("content-type", "application/x-amz-json-1.1")],
                    answer.to_string(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let config = aws_sdk_resourcegroupstagging::Config::builder()
        .behavior_version(aws_sdk_resourcegroupstagging::config::BehaviorVersion::latest())
        .region(aws_sdk_resourcegroupstagging::config::Region::new(
            "eu-west-1",
        ))
        .credentials_provider(aws_sdk_resourcegroupstagging::config::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        ))
        .endpoint_url(format!("http://{address}"))
        .build();
    aws_sdk_resourcegroupstagging::Client::from_conf(config)
}

/// Three WorkSpaces in the emulator (alice tagged team=red there); their ids.
async fn three_workspaces(mock: &MockAws) -> Vec<String> {
    let raw = aws_sdk_workspaces::Client::new(&mock.sdk_config("eu-west-1").await);
    let mut ids = Vec::new();
    for user in ["alice", "bob", "carol"] {
        let request = WorkspaceRequest::builder()
            .directory_id("d-1234567890")
            .user_name(user)
            .bundle_id("wsb-1")
            .build()
            .expect("request");
        let created = raw
            .create_workspaces()
            .workspaces(request)
            .send()
            .await
            .expect("create");
        ids.extend(
            created
                .pending_requests()
                .iter()
                .filter_map(|ws| ws.workspace_id().map(str::to_string)),
        );
    }
    assert_eq!(ids.len(), 3);
    raw.create_tags()
        .resource_id(&ids[0])
        .tags(
            Tag::builder()
                .key("team")
                .value("red")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("tag alice");
    ids
}

fn arn(id: &str) -> String {
    format!("arn:aws:workspaces:eu-west-1:123456789012:workspace/{id}")
}

fn listed(id: &str, key: &str, value: &str) -> Value {
    json!({"ResourceARN": arn(id), "Tags": [{"Key": key, "Value": value}]})
}

async fn ids_tagged(pool: &sqlx::AnyPool, tag: &str) -> Vec<String> {
    let query = FleetQuery {
        tag: tag.into(),
        ..FleetQuery::default()
    };
    let mut ids: Vec<String> = inventory::fleet_rows(pool, &query, None)
        .await
        .expect("rows")
        .into_iter()
        .map(|row| row.id)
        .collect();
    ids.sort();
    ids
}

/// A fresh cache, three WorkSpaces in the emulator, and a client whose tag listing is
/// `script`'s to answer.
struct Setup {
    _dir: tempfile::TempDir,
    pool: sqlx::AnyPool,
    ids: Vec<String>,
    clients: Vec<Arc<dyn WorkspacesApi>>,
    script: Script,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = crate::common::test_pool(&dir, "tags").await;
    let mock = MockAws::builder()
        .with_service(WorkSpacesService::new())
        .build();
    let ids = three_workspaces(&mock).await;
    let script = Script::default();
    let api = SdkWorkspaces::new(&mock.sdk_config("eu-west-1").await, "eu-west-1")
        .with_tagging(scripted_tagging(&script).await);
    Setup {
        _dir: dir,
        pool,
        ids,
        clients: vec![Arc::new(api)],
        script,
    }
}

#[tokio::test]
async fn one_listing_of_pages_of_100_tags_every_workspace_and_clears_the_unlisted() {
    let setup = setup().await;
    let Setup {
        pool,
        ids,
        clients,
        script,
        ..
    } = &setup;
    // Two pages: alice, then bob; carol has no tags and is not listed.
    script.answer(
        StatusCode::OK,
        json!({"ResourceTagMappingList": [listed(&ids[0], "team", "red")], "PaginationToken": "page-2"}),
    );
    script.answer(
        StatusCode::OK,
        json!({"ResourceTagMappingList": [listed(&ids[1], "team", "blue")], "PaginationToken": ""}),
    );
    let settings = SyncSettings::default();
    sync_all(&pool, &clients, &SyncHandle::default(), &settings)
        .await
        .expect("sync");

    assert_eq!(ids_tagged(&pool, "team=red").await, vec![ids[0].clone()]);
    assert_eq!(ids_tagged(&pool, "team=blue").await, vec![ids[1].clone()]);
    let requests = script.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        requests[0].0,
        "ResourceGroupsTaggingAPI_20170126.GetResources"
    );
    assert_eq!(
        requests[0].1["ResourceTypeFilters"],
        json!(["workspaces:workspace"])
    );
    assert_eq!(requests[0].1["ResourcesPerPage"], json!(100));
    assert_eq!(requests[0].1.get("PaginationToken"), None);
    assert_eq!(requests[1].1["PaginationToken"], json!("page-2"));
    // Every WorkSpace counts as loaded, the unlisted one with no tags: no DescribeTags
    // round is left to do.
    assert_eq!(
        load_missing_tags(&pool, &clients, &settings)
            .await
            .expect("round"),
        0
    );

    // Tags removed outside Fleetdesk: the next listing leaves alice out.
    script.answer(
        StatusCode::OK,
        json!({"ResourceTagMappingList": [listed(&ids[1], "team", "blue")]}),
    );
    sync_all(&pool, &clients, &SyncHandle::default(), &settings)
        .await
        .expect("second sync");
    assert!(ids_tagged(&pool, "team=red").await.is_empty());
    assert_eq!(ids_tagged(&pool, "team=blue").await, vec![ids[1].clone()]);
}

#[tokio::test]
async fn without_tag_getresources_the_step_says_so_and_tags_are_read_one_by_one() {
    let setup = setup().await;
    let Setup {
        pool,
        ids,
        clients,
        script,
        ..
    } = &setup;
    script.answer(
        StatusCode::BAD_REQUEST,
        json!({
            "__type": "AccessDeniedException",
            "Message": "User: arn:aws:iam::123456789012:user/desk is not authorized to perform: tag:GetResources"
        }),
    );
    let settings = SyncSettings::default();
    sync_all(&pool, &clients, &SyncHandle::default(), &settings)
        .await
        .expect("sync");

    let statuses = inventory::sync_statuses(&pool).await.expect("statuses");
    let tags = statuses
        .iter()
        .find(|s| s.resource == "tags")
        .expect("a tags step");
    let error = tags.last_error.as_deref().unwrap_or_default();
    assert!(error.contains("tag:GetResources"), "{error}");
    assert!(ids_tagged(&pool, "team=red").await.is_empty());
    // The background round falls back to DescribeTags, one call per WorkSpace.
    assert_eq!(
        load_missing_tags(&pool, &clients, &settings)
            .await
            .expect("round"),
        3
    );
    assert_eq!(ids_tagged(&pool, "team=red").await, vec![ids[0].clone()]);
}
