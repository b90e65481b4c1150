//! The router over HTTP, without a socket: health check and server-rendered pages.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A viewer's session cookie.
async fn viewer(state: &app::server::state::AppState) -> String {
    use app::server::repo::audit::Actor;
    if app::server::repo::users::by_name(&state.pool, "viewer")
        .await
        .expect("query")
        .is_none()
    {
        app::server::users::create(
            &state.pool,
            &Actor::default(),
            "viewer",
            "viewer",
            "a long enough password".into(),
        )
        .await
        .expect("user");
    }
    let response = server::router::build_router(state.clone())
        .oneshot(
            Request::post("/api/auth/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(
                    "username=viewer&password=a+long+enough+password&next=%2F",
                ))
                .expect("request"),
        )
        .await
        .expect("response");
    let cookie = response.headers()["set-cookie"].to_str().expect("cookie");
    cookie.split(';').next().expect("pair").to_string()
}

async fn get(state: &app::server::state::AppState, uri: &str) -> (StatusCode, String) {
    let cookie = viewer(state).await;
    crate::auth::status_and_body(state, crate::auth::get(uri, Some(&cookie))).await
}

#[tokio::test]
async fn healthz_reports_version_database_and_regions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let (status, body) = get(&state, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["database"], "ok");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        json["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
}

#[tokio::test]
async fn the_fleet_page_is_rendered_on_the_server_with_search_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;

    let (status, body) = get(&state, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("1–50 of 280 WorkSpaces"),
        "fleet count missing"
    );
    assert!(body.contains("eu-west-1") && body.contains("us-east-1"));

    // The contractors directory holds the 40 `ext.` users and nobody else.
    let (_, body) = get(&state, "/?q=ext.").await;
    assert!(body.contains("1–40 of 40 WorkSpaces"), "search not applied");
}

#[tokio::test]
async fn every_navigation_page_renders_and_unknown_paths_are_404() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    for (path, expected) in [
        ("/directories", "corp.example.com"),
        ("/images", "Win2022-Office-2026-10"),
        ("/ip-groups", "203.0.113.0/24"),
        ("/connection-aliases", "partners.example.com"),
        ("/connections", "Never connected"),
        ("/audit", "Audit log"),
    ] {
        let (status, body) = get(&state, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.contains(expected), "{path} lacks {expected}");
    }
    let (status, _) = get(&state, "/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_csv_export_has_the_whole_filtered_fleet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    let response = server::router::build_router(state.clone())
        .oneshot(
            Request::get("/fleet.csv?q=ext.&sort=ip")
                .header("cookie", cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("\"workspace_id\",\"user_name\","));
    assert_eq!(lines.len(), 41, "header and 40 contractors");
    assert!(lines[1..].iter().all(|line| line.contains(",\"ext.")));
}

#[tokio::test]
async fn a_workspace_detail_page_shows_properties_tags_and_timeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let id: String = sqlx::query_scalar("SELECT id FROM workspaces ORDER BY id LIMIT 1")
        .fetch_one(&state.pool)
        .await
        .expect("a WorkSpace");
    let (status, body) = get(&state, &format!("/workspaces/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Compute and storage"));
    assert!(
        body.contains("Department"),
        "tags are fetched when the page opens"
    );
    assert!(body.contains("first seen as"), "timeline entry");
    assert!(
        body.contains("Snapshots could not be fetched"),
        "the emulator lacks snapshots"
    );
    let (status, _) = get(&state, "/workspaces/ws-doesnotexist").await;
    assert_eq!(status, StatusCode::OK, "an error box, not a crash");
}

#[tokio::test]
async fn every_list_exports_as_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    for (path, header, expected, rows) in [
        (
            "/directories.csv",
            "\"directory_id\",\"region\",",
            "contractors.example.com",
            4,
        ),
        (
            "/images.csv",
            "\"image_id\",\"region\",",
            "Win2022-Office-2026-10",
            4,
        ),
        (
            "/bundles.csv",
            "\"bundle_id\",\"region\",",
            "Office Standard",
            9,
        ),
        (
            "/ip-groups.csv",
            "\"group_id\",\"region\",",
            "203.0.113.0/24",
            5,
        ),
        ("/audit.csv", "\"id\",\"at\",\"actor\",", "login", 2),
        (
            "/connections.csv?view=never",
            "\"workspace_id\",",
            "ws-",
            91,
        ),
    ] {
        let (status, body) = get(&state, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            body.starts_with(header),
            "{path}: {}",
            &body[..body.len().min(80)]
        );
        assert!(body.contains(expected), "{path} lacks {expected}");
        assert!(
            body.lines().count() >= rows,
            "{path}: {} lines",
            body.lines().count()
        );
    }
}

/// Issue 15: pages rendered from many tasks at once, each through a router built for its
/// request (as these tests and a reloading server do), all finish. Building a router used to
/// generate Leptos' route list, which switches resource loading off for the whole process
/// while it runs; a page rendered on another thread meanwhile awaited its data forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_concurrently_with_router_builds_all_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    let renders = (0..16).map(|task| {
        let state = state.clone();
        let cookie = cookie.clone();
        tokio::spawn(async move {
            let mut pages = Vec::new();
            for round in 0..4 {
                let uri = if (task + round) % 2 == 0 {
                    "/"
                } else {
                    "/?q=ext."
                };
                let request = crate::auth::get(uri, Some(&cookie));
                pages.push(crate::auth::status_and_body(&state, request).await);
            }
            pages
        })
    });
    let all = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        join_tasks(renders.collect()),
    )
    .await
    .expect("64 concurrent renders finished within 60 s");
    for pages in all {
        for (status, body) in pages.expect("render task") {
            assert_eq!(status, StatusCode::OK);
            assert!(body.contains(" WorkSpaces"), "the fleet count is rendered");
        }
    }
}

/// Awaits every spawned task; they run concurrently meanwhile.
async fn join_tasks<T>(
    tasks: Vec<tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await);
    }
    results
}

/// A request that outlives its time limit ends with 503 instead of holding its connection.
#[tokio::test]
async fn a_request_over_its_time_limit_is_answered_503() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    // Rendering the fleet reads the session and the cache: never done within a nanosecond.
    state.request_timeout = std::time::Duration::from_nanos(1);
    let response = crate::auth::send(&state, crate::auth::get("/", Some(&cookie))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

/// Request bodies are capped before anything reads them.
#[tokio::test]
async fn an_oversized_request_body_is_refused_with_413() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let name = "a".repeat(300 * 1024);
    let body = format!("username={name}&password=x&next=%2F");
    let response =
        crate::auth::send(&state, crate::auth::post("/api/auth/login", &body, None)).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// Issue 16, finding 11: anonymous callers learn the status only.
#[tokio::test]
async fn anonymous_healthz_shows_the_status_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let (status, body) =
        crate::auth::status_and_body(&state, crate::auth::get("/healthz", None)).await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json, serde_json::json!({ "status": "ok" }));
}

/// Issue 16, finding 9: only plain static file names pass the login gate under `/pkg/`.
#[tokio::test]
async fn encoded_dot_segments_do_not_pass_the_login_gate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    for path in [
        "/pkg/%2e%2e/users",
        "/pkg/%2E%2E/audit",
        "/pkg/../users",
        "/pkg/",
    ] {
        let response = crate::auth::send(&state, crate::auth::get(&path, None)).await;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            location.starts_with("/login"),
            "{path} answered {} without sending to the login page",
            response.status()
        );
    }
}

/// Issue 16, finding 12: absurd page numbers find nothing instead of overflowing, and a
/// search too long for SQLite is a 400, not a 500.
#[tokio::test]
async fn huge_page_numbers_and_searches_are_handled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let (status, body) = get(&state, &format!("/?page={}", usize::MAX)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("internal error"), "overflow");
    let (status, _) = get(&state, &format!("/audit?page={}", usize::MAX / 10)).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = viewer(&state).await;
    let long = "a".repeat(60_000);
    let response = crate::auth::send(
        &state,
        crate::auth::get(&format!("/fleet.csv?q={long}"), Some(&cookie)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

/// Issue 16, finding 10: signed-in pages and exports are never cached; static files may be.
#[tokio::test]
async fn private_responses_are_not_cached() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    for path in ["/", "/fleet.csv", "/audit"] {
        let response = crate::auth::send(&state, crate::auth::get(&path, Some(&cookie))).await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let response = crate::auth::send(&state, crate::auth::get("/login", None)).await;
    assert!(response.headers().get("cache-control").is_none());
}

/// Issue 16, finding 10: a page's policy allows only the inline scripts carrying this
/// response's nonce, never `'unsafe-inline'` scripts.
#[tokio::test]
async fn pages_allow_only_inline_scripts_with_their_nonce() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    let response = crate::auth::send(&state, crate::auth::get("/", Some(&cookie))).await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_string();
    let scripts = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("script-src");
    assert!(!scripts.contains("unsafe-inline"), "{csp}");
    let nonce = scripts
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_string();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = String::from_utf8_lossy(&bytes);
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries it"
    );
}

/// A `MakeWriter` that keeps what the log wrote, for the access log test.
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// Captures what this thread logs under `filter` until the guard is dropped.
    pub(crate) fn log(filter: &str) -> (Captured, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_env_filter(filter)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // Other tests' threads may have cached "nobody listens" for a callsite before
        // this subscriber existed.
        tracing::callsite::rebuild_interest_cache();
        (captured, guard)
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut kept) = self.0.lock() {
            kept.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_request_gets_one_access_log_line_without_query_or_cookie() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    let (captured, _guard) = Captured::log("fleetdesk::access=info");
    let response = crate::auth::send(
        &state,
        crate::auth::get("/fleet.csv?q=secret-search", Some(&cookie)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let anonymous = crate::auth::send(&state, crate::auth::get("/audit", None)).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("method=GET") && lines[0].contains("path=/fleet.csv"));
    assert!(
        lines[0].contains("status=200") && lines[0].contains("user=\"viewer"),
        "{log}"
    );
    assert!(lines[1].contains("path=/audit") && lines[1].contains("status=303"));
    assert!(lines[1].contains("user=\"-\""), "{log}");
    assert!(
        !log.contains("secret-search"),
        "the query string is never logged"
    );
    assert!(!log.contains("fleetdesk_session"), "nor the cookie");
}

/// The bearer token of `/metrics` in the integration tests' state.
pub(crate) const METRICS_TOKEN: &str = "integration-metrics-token";

#[tokio::test]
async fn metrics_need_their_token_and_count_requests_by_route_and_sync_age() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let cookie = viewer(&state).await;
    get(&state, "/workspaces/ws-nonexistent").await;
    let page = crate::auth::send(&state, crate::auth::get("/", Some(&cookie))).await;
    assert_eq!(page.status(), StatusCode::OK);

    let scrape = |token: Option<&str>| {
        let mut request = crate::auth::get("/metrics", None);
        if let Some(token) = token {
            request.headers_mut().insert(
                axum::http::header::AUTHORIZATION,
                format!("Bearer {token}").parse().expect("header"),
            );
        }
        request
    };
    let anonymous = crate::auth::send(&state, scrape(None)).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = crate::auth::send(&state, scrape(Some("not-the-metrics-token"))).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let (status, text) = crate::auth::status_and_body(&state, scrape(Some(METRICS_TOKEN))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains("fleetdesk_http_requests_total{route=\"/\",status=\"200\"}"),
        "{text}"
    );
    assert!(
        text.contains("route=\"/workspaces/{id}\""),
        "matched route, not the id"
    );
    assert!(!text.contains("ws-nonexistent"));
    assert!(text.contains(
        "fleetdesk_sync_age_seconds{account=\"\",region=\"eu-west-1\",resource=\"workspaces\"}"
    ));

    let mut without = state.clone();
    without.metrics_token = None;
    let off = crate::auth::send(&without, scrape(Some(METRICS_TOKEN))).await;
    assert_eq!(off.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_audit_csv_streams_every_entry_newest_first_past_one_batch() {
    use app::server::repo::audit::{self, Actor, NewEntry};
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let actor = Actor {
        id: None,
        name: "bulk-writer".into(),
        role: Some(app::model::Role::Admin),
        client_addr: None,
        user_agent: None,
        accounts: None,
    };
    for n in 0..1200 {
        let entry = NewEntry {
            action: "test.entry".into(),
            params: serde_json::json!({ "n": n }),
            reason: Some(format!("entry {n}")),
        };
        audit::record(
            &state.pool,
            &actor,
            &entry,
            app::model::EntryOutcome::Succeeded,
            None,
        )
        .await
        .expect("record");
    }
    let (status, text) = get(&state, "/audit.csv?action=test.entry").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines.len(),
        1 + 1200,
        "header and every entry, across batches of 500"
    );
    assert!(
        lines[1].contains("entry 1199"),
        "newest first: {}",
        lines[1]
    );
    assert!(lines[1200].contains("entry 0"));
}

/// Issue 20, finding 3: a tag value with markup (as another tool could set it) is shown
/// as text in the tag editor's `<textarea>`, never as markup of the page.
#[tokio::test]
async fn markup_in_a_tag_value_stays_text_in_the_tag_editor() {
    use app::server::aws::{Change, TagChange};
    let (_dir, state) = crate::auth::with_users().await;
    let id: String = sqlx::query_scalar("SELECT id FROM workspaces ORDER BY id LIMIT 1")
        .fetch_one(&state.pool)
        .await
        .expect("a WorkSpace");
    let region: String = sqlx::query_scalar("SELECT region FROM workspaces WHERE id = $1")
        .bind(&id)
        .fetch_one(&state.pool)
        .await
        .expect("its Region");
    let api = state
        .workspaces
        .iter()
        .find(|api| api.region() == region)
        .expect("its client");
    let markup = "</textarea><form action=//evil.example><button>Go";
    api.apply(&Change::Tags(TagChange::Create {
        resource_id: id.clone(),
        tags: vec![app::model::Tag {
            key: "note".into(),
            value: markup.into(),
        }],
    }))
    .await
    .expect("the emulator takes any tag");
    let cookie = crate::auth::cookie_for(&state, app::model::Role::Helpdesk).await;
    let (status, body) = crate::auth::status_and_body(
        &state,
        crate::auth::get(&format!("/tags/{id}"), Some(&cookie)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("note=&lt;/textarea&gt;&lt;form"),
        "escaped in the editor"
    );
    assert!(
        !body.contains("<form action=//evil.example>"),
        "no injected form"
    );
}

/// Issue 20, finding 6: a client trickling its headers (a line every half second here)
/// is cut off at the header read timeout, and connections beyond the cap wait: the
/// third of two allowed is answered only once one of the others closes.
#[tokio::test]
async fn slow_headers_are_cut_off_and_connections_are_capped() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let limits = server::listener::Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 2,
    };
    let app = server::router::build_router(state);
    tokio::spawn(server::listener::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));

    // A header line every 500 ms: closed within about a second, never answered 200.
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    let started = Instant::now();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let mut closed = false;
    for n in 0..10 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if slow
            .write_all(format!("X-Slow-{n}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            closed = true;
            break;
        }
        let mut buf = [0u8; 512];
        if let Ok(Ok(read)) =
            tokio::time::timeout(Duration::from_millis(10), slow.read(&mut buf)).await
        {
            let text = String::from_utf8_lossy(&buf[..read]).to_string();
            assert!(!text.contains("200 OK"), "{text}");
            closed = true;
            break;
        }
    }
    assert!(closed, "the trickling connection is still open");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    drop(slow);
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Two idle connections take both places; a third waits until one goes.
    let first = TcpStream::connect(addr).await.expect("connect");
    let _second = TcpStream::connect(addr).await.expect("connect");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = TcpStream::connect(addr).await.expect("connect");
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut buf = vec![0u8; 4096];
    assert!(
        tokio::time::timeout(Duration::from_millis(400), third.read(&mut buf))
            .await
            .is_err(),
        "the third connection was served while two were open"
    );
    drop(first);
    let read = tokio::time::timeout(Duration::from_secs(3), third.read(&mut buf))
        .await
        .expect("served once a place is free")
        .expect("read");
    assert!(String::from_utf8_lossy(&buf[..read]).starts_with("HTTP/1.1 200"));
}
