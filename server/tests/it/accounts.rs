//! Several AWS accounts against moto's server (PyPI `moto[server]`, installed by
//! `scripts/setup.sh --e2e`): its STS implements AssumeRole and keeps what each assumed
//! role creates in that role's account. Two accounts are seeded with `moto_seed.py`,
//! synced through the real SDK path (the accounts file, aws-config's assume-role
//! provider, SigV4 with the temporary credentials), and then the cache, the pages and
//! the account limits of users are checked.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::model::{ConnectionsQuery, FleetQuery, Role, UserInfo};
use app::server::sync::SyncSettings;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_workspaces::config::Credentials;
use serde_json::Value;
use server::accounts::AccountsFile;

pub(crate) const PROD: &str = "111111111111";
pub(crate) const DEV: &str = "222222222222";

/// A moto server on a free loopback port, stopped when dropped.
pub(crate) struct Moto {
    pub(crate) endpoint: String,
    child: Child,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools/moto/bin")
}

pub(crate) fn start_moto() -> Moto {
    let server = tools().join("moto_server");
    assert!(
        server.exists(),
        "{} is missing: run scripts/setup.sh --e2e",
        server.display()
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto starts");
    let moto = Moto {
        endpoint: format!("http://127.0.0.1:{port}"),
        child,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return moto;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("moto did not open port {port} within 10 s");
}

/// Runs the seed script `script` (in tests/it) with moto's tools and `args`; its output.
pub(crate) fn run_seed_script(script: &str, args: &[&str]) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it")
        .join(script);
    let output = Command::new(tools().join("python"))
        .arg(path)
        .args(args)
        .output()
        .expect("the seed script runs");
    assert!(
        output.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Seeds the accounts (`account:count`) and returns moto_seed.py's summary.
pub(crate) fn seed(moto: &Moto, accounts: &[&str]) -> Value {
    let mut args = vec![moto.endpoint.as_str()];
    args.extend_from_slice(accounts);
    serde_json::from_slice(&run_seed_script("moto_seed.py", &args))
        .expect("the seed's JSON summary")
}

/// The base configuration: moto's endpoint for every service (STS included), its
/// default account's keys, and no SDK retries (moto answers the operations it lacks
/// with HTTP 500, which would otherwise be retried).
pub(crate) async fn base_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

fn limited_to(role: Role, accounts: &[&str]) -> UserInfo {
    UserInfo {
        accounts: Some(accounts.iter().map(|a| a.to_string()).collect()),
        ..crate::common::user(role)
    }
}

pub(crate) fn ids(value: &Value) -> Vec<String> {
    let mut ids: Vec<String> = value["workspace_ids"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|id| id.as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn two_accounts_sync_apart_and_a_limited_user_sees_only_theirs() {
    let moto = start_moto();
    let seeded = seed(&moto, &[&format!("{PROD}:3"), &format!("{DEV}:2")]);
    let accounts = AccountsFile::parse(&format!(
        r#"
        [[account]]
        name = "prod"
        role_arn = "arn:aws:iam::{PROD}:role/fleetdesk-read"
        external_id = "fleetdesk-tests"

        [[account]]
        name = "dev"
        role_arn = "arn:aws:iam::{DEV}:role/fleetdesk-read"
        session_name = "fleetdesk-dev"
        "#
    ))
    .expect("accounts file");
    let shared = base_config(&moto.endpoint).await;
    let clients = accounts
        .clients(&shared, &["us-east-1".to_string()])
        .await
        .expect("clients");
    assert_eq!(clients.len(), 2, "one client per account and Region");

    let dir = tempfile::tempdir().expect("tempdir");
    let settings = SyncSettings {
        throttle_backoff: Duration::from_millis(5),
        ..SyncSettings::default()
    };
    let state = crate::common::state_over(&dir, clients, &settings).await;
    assert_eq!(state.account_names(), ["prod", "dev"]);

    // Each WorkSpace once, under the account whose role created it.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT account, id FROM workspaces ORDER BY account, id")
            .fetch_all(&state.pool)
            .await
            .expect("rows");
    let of = |account: &str| -> Vec<String> {
        rows.iter()
            .filter(|(a, _)| a == account)
            .map(|(_, id)| id.clone())
            .collect()
    };
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(of("prod"), ids(&seeded[PROD]));
    assert_eq!(of("dev"), ids(&seeded[DEV]));
    // Directories too are kept per account.
    let directories: Vec<(String, String)> = sqlx::query_as(
        "SELECT account, id FROM inventory_items WHERE kind = 'directory' ORDER BY account",
    )
    .fetch_all(&state.pool)
    .await
    .expect("directories");
    assert_eq!(
        directories,
        [
            (
                "dev".to_string(),
                seeded[DEV]["directory_id"]
                    .as_str()
                    .expect("id")
                    .to_string()
            ),
            (
                "prod".to_string(),
                seeded[PROD]["directory_id"]
                    .as_str()
                    .expect("id")
                    .to_string()
            ),
        ]
    );
    // Freshness is per account and Region: DescribeWorkspaces worked in both.
    let statuses = app::server::repo::inventory::sync_statuses(&state.pool)
        .await
        .expect("statuses");
    for account in ["prod", "dev"] {
        let workspaces = statuses
            .iter()
            .find(|s| s.account == account && s.resource == "workspaces")
            .expect("a status per account");
        assert_eq!(workspaces.last_error, None, "{account}");
    }

    // Everyone sees both accounts, with the Account filter.
    let admin = crate::common::user(Role::Admin);
    let all = app::server::fleet::fleet_page(
        &crate::common::caller(&state, &admin),
        &FleetQuery::default(),
    )
    .await
    .expect("fleet");
    assert_eq!(all.total, 5);
    let facets = app::server::fleet::fleet_facets(&crate::common::caller(&state, &admin))
        .await
        .expect("facets");
    assert_eq!(facets.accounts, ["prod", "dev"]);
    let dev_only = FleetQuery {
        account: "dev".into(),
        ..FleetQuery::default()
    };
    let filtered =
        app::server::fleet::fleet_page(&crate::common::caller(&state, &admin), &dev_only)
            .await
            .expect("fleet");
    assert_eq!(filtered.total, 2);

    // A user limited to dev sees dev only, on every listing, and not prod's details.
    let dev_viewer = limited_to(Role::Viewer, &["dev"]);
    let theirs = app::server::fleet::fleet_page(
        &crate::common::caller(&state, &dev_viewer),
        &FleetQuery::default(),
    )
    .await
    .expect("fleet");
    assert_eq!(theirs.total, 2);
    assert!(theirs.rows.iter().all(|ws| ws.account == "dev"));
    let prod_id = &ids(&seeded[PROD])[0];
    let hidden =
        app::server::fleet::workspace_detail(&crate::common::caller(&state, &dev_viewer), prod_id)
            .await;
    assert!(
        matches!(hidden, Err(app::error::AppError::NotFound(_))),
        "{hidden:?}"
    );
    let dev = crate::common::caller(&state, &dev_viewer);
    let state_of_prod = app::server::fleet::workspace_state(&dev, prod_id).await;
    assert!(
        matches!(state_of_prod, Err(app::error::AppError::NotFound(_))),
        "{state_of_prod:?}"
    );
    let matching = app::server::fleet::matching_ids(&dev, &FleetQuery::default())
        .await
        .expect("ids");
    assert_eq!(matching.len(), 2, "the dev WorkSpaces only: {matching:?}");
    assert!(!matching.contains(prod_id));
    let facets = app::server::fleet::fleet_facets(&crate::common::caller(&state, &dev_viewer))
        .await
        .expect("facets");
    assert_eq!(facets.accounts, ["dev"]);
    let connections = app::server::connections::page(
        &crate::common::caller(&state, &dev_viewer),
        &ConnectionsQuery::default(),
    )
    .await
    .expect("connections");
    assert_eq!(connections.total, 2);
    let directories = app::server::directories::list(&crate::common::caller(&state, &dev_viewer))
        .await
        .expect("directories");
    assert_eq!(directories.len(), 1);
    assert_eq!(directories[0].workspaces, 2, "counted within the account");
    let overview = app::server::fleet::sync_overview(&crate::common::caller(&state, &dev_viewer))
        .await
        .expect("overview");
    assert!(overview.statuses.iter().all(|s| s.account == "dev"));
    assert_eq!(overview.regions, ["dev us-east-1"]);

    // Acting: a prod WorkSpace is not in a dev helpdesk's inventory, and no change in
    // prod gets through the one path for changes, whatever the plan.
    let client = app::server::auth::RequestOrigin::default();
    let reboot = app::server::actions::ActionRequest {
        action: app::model::ActionKind::Reboot,
        ids: vec![prod_id.clone()],
        reason: "INC-1".into(),
        confirm: String::new(),
        properties: Default::default(),
        bundle_id: None,
    };
    let report = app::server::actions::run(
        &crate::common::caller(&state, &limited_to(Role::Helpdesk, &["dev"])),
        reboot,
    )
    .await
    .expect("report");
    assert_eq!(report.results[0].outcome, app::model::TargetStatus::Skipped);
    assert_eq!(
        report.results[0].message.as_deref(),
        Some("not in the inventory")
    );
    let plan = app::server::changes::Plan::single(
        "ip_group.create",
        serde_json::json!({}),
        ("prod", "us-east-1"),
        "office",
        app::server::aws::Change::IpGroup(app::server::aws::IpGroupChange::Create {
            name: "office".into(),
            description: None,
            rules: Vec::new(),
        }),
        Vec::new(),
    );
    let dev_admin = limited_to(Role::Admin, &["dev"]);
    let refused = app::server::changes::execute(
        &state.pool,
        &state.workspaces,
        &client.actor(Some(&dev_admin), &dev_admin.name),
        plan,
    )
    .await;
    assert!(
        matches!(refused, Err(app::error::AppError::Forbidden)),
        "{refused:?}"
    );

    // Over HTTP, every page and export a dev-limited admin can open shows dev only.
    http_views_show_only_dev(&state, &seeded).await;
}

/// Signs in a user limited to dev and checks the pages and exports they can open.
async fn http_views_show_only_dev(state: &app::server::state::AppState, seeded: &Value) {
    use crate::auth::{get, send};
    let admin = app::server::users::create(
        &state.pool,
        &app::server::repo::audit::Actor::default(),
        "dev-admin",
        "admin",
        "a long enough password".into(),
    )
    .await
    .expect("user");
    app::server::users::set_accounts(
        &state.pool,
        &app::server::repo::audit::Actor::default(),
        admin.id,
        Some(vec!["dev".into()]),
    )
    .await
    .expect("limit");
    let (cookie, _) = crate::auth::login_as(state, "dev-admin", crate::auth::PASSWORD, None).await;
    let cookie = cookie.expect("session cookie");
    let prod_directory = seeded[PROD]["directory_id"].as_str().expect("id");
    let dev_directory = seeded[DEV]["directory_id"].as_str().expect("id");
    let prod_ids = ids(&seeded[PROD]);
    for path in [
        "/",
        "/connections",
        "/directories",
        "/fleet.csv",
        "/connections.csv",
        "/directories.csv",
        "/cost",
        "/cost.csv",
    ] {
        let response = send(state, get(path, Some(&cookie))).await;
        assert_eq!(response.status(), axum::http::StatusCode::OK, "{path}");
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .expect("body")
            .to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains(prod_directory),
            "{path} shows prod's directory"
        );
        for id in &prod_ids {
            assert!(!body.contains(id.as_str()), "{path} shows prod's {id}");
        }
        if !["/connections", "/connections.csv", "/cost", "/cost.csv"].contains(&path) {
            assert!(body.contains(dev_directory), "{path} shows dev's directory");
        }
    }
    // A prod WorkSpace's detail is not found for them (the page shows the 404 the
    // server function answers).
    let detail = send(
        state,
        crate::auth::post(
            "/api/fleet/workspace",
            &format!("id={}", prod_ids[0]),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(detail.status(), axum::http::StatusCode::NOT_FOUND);

    // Issue 20, finding 7: the other read paths filter by the caller's accounts first,
    // and answer a prod id exactly as an unknown one.
    let body_of = |response: axum::http::Response<axum::body::Body>| async move {
        let status = response.status();
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&bytes).to_string())
    };
    let call = |path: &str, body: String| crate::auth::post(path, &body, Some(&cookie));
    let (status, options) =
        body_of(send(state, call("/api/provision/options", String::new())).await).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(
        !options.contains(prod_directory),
        "provisioning offers prod's directory"
    );
    assert!(options.contains(dev_directory));
    let (_, health) = body_of(send(state, get("/healthz", Some(&cookie))).await).await;
    assert!(
        health.contains("\"dev\"") && !health.contains("\"prod\""),
        "{health}"
    );
    let (status, review) = body_of(
        send(
            state,
            call(
                "/api/applications/review",
                format!("ids%5B0%5D={}", prod_ids[0]),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK, "{review}");
    assert!(
        !review.contains(prod_ids[0].as_str()),
        "the review shows prod's WorkSpace: {review}"
    );
    for id in [prod_ids[0].as_str(), "ws-unknown00"] {
        let (status, _) = body_of(
            send(
                state,
                call("/api/applications/workspace", format!("id={id}")),
            )
            .await,
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::NOT_FOUND, "{id}");
    }
    for directory in [prod_directory, "d-unknown000"] {
        let (status, text) = body_of(
            send(
                state,
                call(
                    "/api/directories/change",
                    format!("op=deregister&directory_id={directory}"),
                ),
            )
            .await,
        )
        .await;
        assert_eq!(
            status,
            axum::http::StatusCode::NOT_FOUND,
            "{directory}: {text}"
        );
        assert!(!text.contains("WorkSpaces are in"), "{text}");
    }
}

#[tokio::test]
async fn an_account_whose_role_cannot_be_assumed_fails_alone() {
    let moto = start_moto();
    seed(&moto, &[&format!("{PROD}:2")]);
    let shared = base_config(&moto.endpoint).await;
    let prod = AccountsFile::parse(&format!(
        "[[account]]\nname = \"prod\"\nrole_arn = \"arn:aws:iam::{PROD}:role/fleetdesk-read\""
    ))
    .expect("valid")
    .clients(&shared, &["us-east-1".to_string()])
    .await
    .expect("clients");
    // The broken account's STS is a closed port: its role can never be assumed.
    let nowhere = base_config("http://127.0.0.1:9").await;
    let broken = AccountsFile::parse(
        "[[account]]\nname = \"broken\"\nrole_arn = \"arn:aws:iam::333333333333:role/fleetdesk-read\"",
    )
    .expect("valid")
    .clients(&nowhere, &["us-east-1".to_string()])
    .await
    .expect("clients");
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = SyncSettings {
        throttle_backoff: Duration::from_millis(5),
        ..SyncSettings::default()
    };
    let state =
        crate::common::state_over(&dir, prod.into_iter().chain(broken).collect(), &settings).await;

    let statuses = app::server::repo::inventory::sync_statuses(&state.pool)
        .await
        .expect("statuses");
    let workspaces = |account: &str| {
        statuses
            .iter()
            .find(|s| s.account == account && s.resource == "workspaces")
            .cloned()
            .expect("status")
    };
    assert_eq!(workspaces("prod").last_error, None);
    assert_eq!(workspaces("prod").item_count, 2);
    let error = workspaces("broken")
        .last_error
        .expect("the broken account is stale");
    assert!(error.contains("credentials"), "{error}");
    assert!(
        error.contains("broken us-east-1"),
        "names the account: {error}"
    );
}
