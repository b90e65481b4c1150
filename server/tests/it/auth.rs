//! Logins, sessions and roles over HTTP: the role matrix over every server function and
//! page, login throttling, session id cycling, disabled users, the last admin, cross-site
//! posts and security headers.

use app::model::Role;
use app::server::authz::{Access, ENDPOINTS};
use app::server::repo::audit::Actor;
use app::server::state::AppState;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use tower::ServiceExt;

pub(crate) const PASSWORD: &str = "a long enough password";

pub(crate) async fn with_users() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    for role in Role::ALL {
        app::server::users::create(
            &state.pool,
            &Actor::default(),
            role.as_str(),
            role.as_str(),
            PASSWORD.into(),
        )
        .await
        .expect("user");
    }
    (dir, state)
}

pub(crate) async fn send(state: &AppState, request: Request<Body>) -> Response<Body> {
    server::router::build_router(state.clone())
        .oneshot(request)
        .await
        .expect("response")
}

/// A form post as the browser sends it from one of the server's pages (same origin).
pub(crate) fn post(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).expect("request")
}

pub(crate) fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).expect("request")
}

fn location(response: &Response<Body>) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Logs in through the login form and returns the session cookie and the redirect.
pub(crate) async fn login_as(
    state: &AppState,
    name: &str,
    password: &str,
    cookie: Option<&str>,
) -> (Option<String>, String) {
    let body = format!(
        "username={name}&password={}&next=%2Fdirectories",
        password.replace(' ', "+")
    );
    let response = send(state, post("/api/auth/login", &body, cookie)).await;
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    (cookie, location(&response))
}

pub(crate) async fn cookie_for(state: &AppState, role: Role) -> String {
    let (cookie, location) = login_as(state, role.as_str(), PASSWORD, None).await;
    assert_eq!(
        location, "/directories",
        "login as {role} redirects to next"
    );
    cookie.expect("session cookie")
}

#[tokio::test]
async fn every_server_function_has_a_rule_and_the_rule_holds_for_every_role() {
    let (_dir, state) = with_users().await;
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(registered.len() >= ENDPOINTS.len(), "{registered:?}");
    for path in &registered {
        assert!(
            ENDPOINTS.iter().any(|(p, _)| p == path),
            "{path} has no access rule in app::server::authz::ENDPOINTS"
        );
    }
    let mut cookies = Vec::new();
    for role in Role::ALL {
        cookies.push((role, cookie_for(&state, role).await));
    }
    for (path, access) in ENDPOINTS {
        if *path == "/api/auth/logout" || *path == "/api/auth/login" {
            continue; // covered below: they end or start sessions
        }
        let anonymous = send(&state, post(path, "", None)).await.status();
        match access {
            Access::Public => assert_ne!(anonymous, StatusCode::UNAUTHORIZED, "{path}"),
            Access::AtLeast(_) => {
                assert_eq!(anonymous, StatusCode::UNAUTHORIZED, "{path} anonymously")
            }
        }
        for (role, cookie) in &cookies {
            let status = send(&state, post(path, "", Some(cookie))).await.status();
            let allowed = match access {
                Access::Public => true,
                Access::AtLeast(required) => role >= required,
            };
            if allowed {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{path} as {role}: {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{path} as {role}");
            }
        }
    }
    // Logging out needs a session.
    assert_eq!(
        send(&state, post("/api/auth/logout", "", None))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn pages_send_anonymous_visitors_to_login_and_back() {
    let (_dir, state) = with_users().await;
    for path in [
        "/",
        "/connections",
        "/directories",
        "/images",
        "/ip-groups",
        "/connection-aliases",
        "/audit",
        "/users",
        "/workspaces/ws-1",
        "/fleet.csv?q=a",
        "/connections.csv",
        "/audit.csv",
        "/directories.csv",
        "/images.csv",
        "/bundles.csv",
        "/ip-groups.csv",
        "/cost",
        "/cost.csv",
        "/bulk?action=stop",
    ] {
        let response = send(&state, get(path, None)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            location(&response).starts_with("/login?next=%2F"),
            "{path}: {}",
            location(&response)
        );
    }
    assert_eq!(
        send(&state, get("/login", None)).await.status(),
        StatusCode::OK
    );
    let viewer = cookie_for(&state, Role::Viewer).await;
    assert_eq!(
        send(&state, get("/", Some(&viewer))).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn login_changes_the_session_id_and_logout_ends_the_session() {
    let (_dir, state) = with_users().await;
    let first = cookie_for(&state, Role::Viewer).await;
    let (second, _) = login_as(&state, "admin", PASSWORD, Some(&first)).await;
    let second = second.expect("a new cookie");
    assert_ne!(first, second, "the session id changes at login");
    assert_eq!(
        send(&state, post("/api/users/list", "", Some(&first)))
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "the old id is void"
    );
    assert_eq!(
        send(&state, post("/api/users/list", "", Some(&second)))
            .await
            .status(),
        StatusCode::OK
    );
    let out = send(&state, post("/api/auth/logout", "", Some(&second))).await;
    assert_eq!(location(&out), "/login");
    assert_eq!(
        send(&state, post("/api/users/list", "", Some(&second)))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let logins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_entries WHERE action IN ('login', 'logout') AND outcome = 'succeeded'")
        .fetch_one(&state.pool)
        .await
        .expect("count");
    assert_eq!(logins, 3, "two logins and a logout are audited");
}

/// Issue 27, item 2: the idle timeout slides with activity. The session (store and
/// cookie) was written at login only, so a user working without pause was logged out
/// one idle timeout after signing in. Here the timeout is 3 s: requests every 2 s keep
/// the session for 6 s; 4 s without one end it.
#[tokio::test]
async fn working_keeps_the_session_and_idling_ends_it() {
    let (_dir, mut state) = with_users().await;
    state.idle_timeout = std::time::Duration::from_secs(3);
    let cookie = cookie_for(&state, Role::Viewer).await;
    let list = |cookie: String| {
        let state = state.clone();
        async move { send(&state, post("/api/fleet/facets", "", Some(&cookie))).await }
    };
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let response = list(cookie.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "still signed in");
        let renewed = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            renewed.starts_with("fleetdesk_session=") && renewed.contains("Max-Age=3"),
            "the cookie is sent again with a full idle timeout: {renewed:?}"
        );
    }
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(list(cookie).await.status(), StatusCode::UNAUTHORIZED);
}

/// Issue 27, item 2: a plain form post (JavaScript off) whose session has ended goes to
/// the login page and, from there, back to the page the form was on.
#[tokio::test]
async fn an_expired_session_on_a_plain_form_goes_to_login_and_back() {
    let (_dir, state) = with_users().await;
    let mut request = post(
        "/api/actions/run",
        "action=reboot&ids%5B0%5D=ws-1&reason=INC-1",
        Some("fleetdesk_session=expired"),
    );
    let headers = request.headers_mut();
    headers.insert(
        header::ACCEPT,
        "text/html,application/xhtml+xml".parse().expect("header"),
    );
    headers.insert(
        header::REFERER,
        "http://localhost/workspaces/ws-1".parse().expect("header"),
    );
    let response = send(&state, request).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=%2Fworkspaces%2Fws-1");
    // A request from an island (not asking for HTML) gets the 401 itself.
    let script = send(
        &state,
        post(
            "/api/actions/run",
            "action=reboot&ids%5B0%5D=ws-1&reason=INC-1",
            None,
        ),
    )
    .await;
    assert_eq!(script.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_failures_lock_the_user_name() {
    let (_dir, state) = with_users().await;
    for _ in 0..5 {
        let (cookie, location) = login_as(&state, "helpdesk", "wrong password!!", None).await;
        assert!(cookie.is_none());
        assert!(location.starts_with("/login?error="), "{location}");
    }
    let (cookie, location) = login_as(&state, "helpdesk", PASSWORD, None).await;
    assert!(cookie.is_none(), "locked even with the right password");
    assert!(location.starts_with("/login?error=locked"), "{location}");
    let failed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_entries WHERE action = 'login' AND outcome = 'failed'",
    )
    .fetch_one(&state.pool)
    .await
    .expect("count");
    assert_eq!(failed, 6);
}

#[tokio::test]
async fn disabled_users_are_refused_and_their_sessions_end() {
    let (_dir, state) = with_users().await;
    let cookie = cookie_for(&state, Role::Helpdesk).await;
    let helpdesk = app::server::repo::users::by_name(&state.pool, "helpdesk")
        .await
        .expect("query")
        .expect("user");
    app::server::users::set_disabled(&state.pool, &Actor::default(), helpdesk.id, true)
        .await
        .expect("disable");
    assert_eq!(
        send(&state, post("/api/fleet/facets", "", Some(&cookie)))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let (cookie, location) = login_as(&state, "helpdesk", PASSWORD, None).await;
    assert!(cookie.is_none());
    assert!(location.starts_with("/login?error=invalid"));
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_disabled() {
    let (_dir, state) = with_users().await;
    let admin = app::server::repo::users::by_name(&state.pool, "admin")
        .await
        .expect("query")
        .expect("user");
    let actor = Actor::default();
    assert!(
        app::server::users::set_role(&state.pool, &actor, admin.id, "viewer")
            .await
            .is_err()
    );
    assert!(
        app::server::users::set_disabled(&state.pool, &actor, admin.id, true)
            .await
            .is_err()
    );
    let viewer = app::server::repo::users::by_name(&state.pool, "viewer")
        .await
        .expect("query")
        .expect("user");
    app::server::users::set_role(&state.pool, &actor, viewer.id, "admin")
        .await
        .expect("second admin");
    app::server::users::set_role(&state.pool, &actor, admin.id, "viewer")
        .await
        .expect("now allowed");
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_security_headers_are_set() {
    let (_dir, state) = with_users().await;
    let mut forged = post(
        "/api/auth/login",
        "username=admin&password=x&next=%2F",
        None,
    );
    forged
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().expect("header"));
    assert_eq!(send(&state, forged).await.status(), StatusCode::FORBIDDEN);
    // Issue 20, finding 13: another origin, the same host over another scheme, and a
    // cookie-carrying post with neither Origin nor Sec-Fetch-Site are refused.
    for origin in ["https://evil.example", "https://localhost", "null"] {
        let mut other_origin = post(
            "/api/auth/login",
            "username=admin&password=x&next=%2F",
            None,
        );
        other_origin
            .headers_mut()
            .insert(header::ORIGIN, origin.parse().expect("header"));
        assert_eq!(
            send(&state, other_origin).await.status(),
            StatusCode::FORBIDDEN,
            "{origin}"
        );
    }
    let cookie = cookie_for(&state, Role::Admin).await;
    let mut bare = post("/api/users/list", "", Some(&cookie));
    bare.headers_mut().remove(header::ORIGIN);
    assert_eq!(send(&state, bare).await.status(), StatusCode::FORBIDDEN);
    let mut same_origin = post(
        "/api/auth/login",
        "username=admin&password=x&next=%2F",
        None,
    );
    same_origin
        .headers_mut()
        .insert(header::ORIGIN, "http://localhost".parse().expect("header"));
    assert_ne!(
        send(&state, same_origin).await.status(),
        StatusCode::FORBIDDEN
    );

    let response = send(&state, get("/login", None)).await;
    let headers = response.headers();
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("frame-ancestors 'none'")
    );
    let (cookie_header, _) = {
        let body = format!(
            "username=viewer&password={}&next=%2F",
            PASSWORD.replace(' ', "+")
        );
        let response = send(&state, post("/api/auth/login", &body, None)).await;
        (
            response.headers()[header::SET_COOKIE]
                .to_str()
                .expect("cookie")
                .to_string(),
            (),
        )
    };
    assert!(
        cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Strict"),
        "{cookie_header}"
    );
}

/// The status and body of `request`.
pub(crate) async fn status_and_body(
    state: &AppState,
    request: Request<Body>,
) -> (StatusCode, String) {
    use http_body_util::BodyExt;
    let response = send(state, request).await;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn a_login_without_its_next_field_is_a_bad_request() {
    let (_dir, state) = with_users().await;
    let body = format!("username=viewer&password={}", PASSWORD.replace(' ', "+"));
    let (status, body) = status_and_body(&state, post("/api/auth/login", &body, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let error: app::error::AppError = serde_json::from_str(&body).expect("an AppError");
    assert!(
        matches!(&error, app::error::AppError::Validation { message, .. } if message.contains("next")),
        "{error:?}"
    );
}

#[tokio::test]
async fn every_app_error_answers_with_its_status() {
    use app::error::AppError;
    let (_dir, state) = with_users().await;
    let viewer = cookie_for(&state, Role::Viewer).await;
    let admin = cookie_for(&state, Role::Admin).await;

    // 400: a missing field, a malformed field, a body that is not text.
    let (status, body) =
        status_and_body(&state, post("/api/fleet/workspace", "", Some(&viewer))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "missing id: {body}");
    let (status, body) = status_and_body(
        &state,
        post("/api/fleet/list", "query[page]=many", Some(&viewer)),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "page is not a number: {body}"
    );
    let not_utf8 = Request::post("/api/fleet/workspace")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, &viewer)
        .body(Body::from(vec![0xff, 0xfe, 0x3d]))
        .expect("request");
    assert_eq!(
        status_and_body(&state, not_utf8).await.0,
        StatusCode::BAD_REQUEST
    );
    // 400: a field the service refuses (an access form without Windows).
    let (status, body) = status_and_body(
        &state,
        post(
            "/api/directories/change",
            "op=access&directory_id=d-93670c1e5a&access%5Blinux%5D=ALLOW",
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(matches!(
        serde_json::from_str::<AppError>(&body),
        Ok(AppError::Validation { field, .. }) if field == "access[windows]"
    ));

    // 404: an unknown WorkSpace id.
    let (status, body) = status_and_body(
        &state,
        post("/api/fleet/workspace", "id=ws-000000000", Some(&viewer)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(matches!(
        serde_json::from_str::<AppError>(&body),
        Ok(AppError::NotFound(_))
    ));

    // 403: a viewer calling an admin function; 401: nobody logged in.
    let register = "op=register&directory_id=d-1234567890&region=eu-west-1";
    let (status, _) = status_and_body(
        &state,
        post("/api/directories/change", register, Some(&viewer)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        status_and_body(&state, post("/api/directories/change", register, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // 502: AWS refused (a mocked ModifyWorkspaceAccessProperties).
    let refused =
        aws_smithy_mocks::mock!(aws_sdk_workspaces::Client::modify_workspace_access_properties)
            .then_http_response(|| {
                crate::sdk_adapter::aws_error(400, "AccessDeniedException", "not authorized")
            });
    let eu: std::sync::Arc<dyn app::server::aws::WorkspacesApi> =
        std::sync::Arc::new(server::aws_sdk::SdkWorkspaces::from_client(
            aws_smithy_mocks::mock_client!(aws_sdk_workspaces, [&refused]),
            "eu-west-1",
        ));
    let mocked = AppState {
        workspaces: std::sync::Arc::new(vec![eu, state.workspaces[1].clone()]),
        health: app::server::health::Health::none(),
        ..state.clone()
    };
    let mut access = "op=access&directory_id=d-93670c1e5a".to_string();
    for platform in app::model::AccessProperties::PLATFORMS {
        access.push_str(&format!("&access%5B{}%5D=ALLOW", platform.key));
    }
    let (status, body) = status_and_body(
        &mocked,
        post("/api/directories/change", &access, Some(&admin)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(matches!(
        serde_json::from_str::<AppError>(&body),
        Ok(AppError::Upstream { code, .. }) if code == "AccessDeniedException"
    ));

    // 500: the database fails under a server function and under a CSV export.
    sqlx::query("DROP TABLE inventory_items")
        .execute(&state.pool)
        .await
        .expect("drop");
    let (status, body) =
        status_and_body(&state, post("/api/directories/list", "", Some(&viewer))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(
        serde_json::from_str::<AppError>(&body).ok(),
        Some(AppError::Internal)
    );
    let (status, _) = status_and_body(&state, get("/directories.csv", Some(&viewer))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_form_post_with_javascript_off_still_goes_back_to_its_page() {
    // Plain form posts (Accept: text/html) are redirected back with the error in the
    // URL, so the page can show it; the status mapping leaves those redirects alone.
    let (_dir, state) = with_users().await;
    let admin = cookie_for(&state, Role::Admin).await;
    let request = Request::post("/api/directories/change")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "localhost")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://localhost/directories")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, &admin)
        .body(Body::from(
            "op=access&directory_id=d-93670c1e5a&access%5Blinux%5D=ALLOW",
        ))
        .expect("request");
    let response = send(&state, request).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(location(&response).starts_with("http://localhost/directories"));
}

/// Issue 16, finding 1: an anonymous login with a huge user name stores no more than a
/// user name's worth of it, and a lock is one user name at one address.
#[tokio::test]
async fn oversized_login_names_are_cut_before_anything_is_stored() {
    let (_dir, state) = with_users().await;
    let huge = "x".repeat(100_000);
    let (cookie, location) = login_as(&state, &huge, "whatever", None).await;
    assert!(cookie.is_none());
    assert!(location.starts_with("/login?error="), "{location}");
    let longest: i64 = sqlx::query_scalar(
        "SELECT MAX(LENGTH(actor_name) + LENGTH(params)) FROM audit_entries WHERE action = 'login'",
    )
    .fetch_one(&state.pool)
    .await
    .expect("length");
    assert!(
        longest < 200,
        "the audit log grew by {longest} bytes for one login"
    );
}

/// Issue 16, finding 11: why a login failed (which names exist) is for admins only.
#[tokio::test]
async fn only_admins_read_why_a_login_failed() {
    let (_dir, state) = with_users().await;
    login_as(&state, "hunter2-typed-as-name", "wrong password!!", None).await;
    let viewer = cookie_for(&state, Role::Viewer).await;
    let admin = cookie_for(&state, Role::Admin).await;
    let csv = |cookie: String| {
        let state = state.clone();
        async move {
            status_and_body(&state, get("/audit.csv?action=login", Some(&cookie)))
                .await
                .1
        }
    };
    let as_viewer = csv(viewer).await;
    assert!(!as_viewer.contains("unknown user name"), "{as_viewer}");
    assert!(as_viewer.contains("refused"));
    // Issue 20, finding 10: nor the name typed (it may be a password).
    assert!(!as_viewer.contains("hunter2-typed-as-name"), "{as_viewer}");
    let as_admin = csv(admin).await;
    assert!(as_admin.contains("unknown user name"));
    assert!(as_admin.contains("hunter2-typed-as-name"));
}

/// Issue 16, finding 8: a password reset, role change or disable ends the sessions that
/// logged in before it.
#[tokio::test]
async fn a_password_reset_or_role_change_ends_older_sessions() {
    let (_dir, state) = with_users().await;
    let helpdesk = cookie_for(&state, Role::Helpdesk).await;
    let works = |cookie: String| {
        let state = state.clone();
        async move {
            send(&state, post("/api/fleet/facets", "", Some(&cookie)))
                .await
                .status()
        }
    };
    assert_eq!(works(helpdesk.clone()).await, StatusCode::OK);
    let id = app::server::repo::users::by_name(&state.pool, "helpdesk")
        .await
        .expect("query")
        .expect("user")
        .id;
    app::server::users::reset_password(
        &state.pool,
        &app::server::repo::audit::Actor::default(),
        id,
        "another long password".into(),
    )
    .await
    .expect("reset");
    assert_eq!(
        works(helpdesk).await,
        StatusCode::UNAUTHORIZED,
        "the session from before the reset is over"
    );
    let (cookie, _) = login_as(&state, "helpdesk", "another long password", None).await;
    let fresh = cookie.expect("new session");
    assert_eq!(works(fresh.clone()).await, StatusCode::OK);
    app::server::users::set_role(
        &state.pool,
        &app::server::repo::audit::Actor::default(),
        id,
        "viewer",
    )
    .await
    .expect("role");
    assert_eq!(works(fresh).await, StatusCode::UNAUTHORIZED);
}

/// Issue 16, finding 1: hammering a locked user name adds counted entries (1st, 10th,
/// 100th refusal), not one entry per request.
#[tokio::test]
async fn refused_logins_during_a_lock_collapse_into_counted_entries() {
    let (_dir, state) = with_users().await;
    for _ in 0..5 {
        login_as(&state, "viewer", "wrong password!!", None).await;
    }
    for _ in 0..30 {
        let (cookie, location) = login_as(&state, "viewer", "wrong password!!", None).await;
        assert!(cookie.is_none());
        assert!(location.starts_with("/login?error=locked"), "{location}");
    }
    let locked: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_entries WHERE action = 'login' AND detail LIKE 'locked%' ORDER BY id",
    )
    .fetch_all(&state.pool)
    .await
    .expect("entries");
    assert_eq!(
        locked,
        vec![
            "locked after repeated failures".to_string(),
            "locked: 10 attempts refused during this lock".to_string()
        ]
    );
}

/// The login throttle's counts live in the database: twelve wrong passwords sent at once
/// through two nodes (two pools on one database) get five counted attempts through, as
/// on one node; the lock then holds on both.
#[tokio::test]
async fn parallel_attempts_through_two_nodes_cannot_pass_the_limit() {
    use app::server::auth::{LoginKeys, Throttle, count_attempt};
    let dir = tempfile::tempdir().expect("tempdir");
    let url = crate::common::test_database_url(&dir, "throttle").await;
    let nodes = [
        server::db::connect(&url).await.expect("first node"),
        server::db::connect(&url).await.expect("second node"),
    ];
    let attempts: Vec<_> = (0..12)
        .map(|n| {
            let pool = nodes[n % 2].clone();
            tokio::spawn(async move {
                count_attempt(&pool, &LoginKeys::new("admin", Some("198.51.100.7")))
                    .await
                    .expect("counted")
            })
        })
        .collect();
    let mut allowed = 0;
    for attempt in attempts {
        if matches!(attempt.await.expect("task"), Throttle::Allowed(_)) {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5);
    for pool in &nodes {
        let next = count_attempt(pool, &LoginKeys::new("Admin", Some("198.51.100.7")))
            .await
            .expect("counted");
        assert!(matches!(next, Throttle::Locked { .. }), "{next:?}");
    }
}
