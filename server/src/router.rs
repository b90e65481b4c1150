//! The HTTP router: Leptos pages and server functions, the CSV exports, static files and
//! `/healthz`, behind the session layer, the login gate, the cross-site check and the
//! security headers. Built by a function so tests can drive it with `oneshot`.
//!
//! One file (about 630 lines) so that the order of the layers, which is what makes them
//! safe, reads top to bottom in one place.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use app::app::{App, shell};
use app::error::AppError;
use app::model::{AuditQuery, ConnectionsQuery, FleetQuery, Role, encode_query_value};
use app::server::auth::{allows, session_user};
use app::server::authz::{Access, endpoint_access};
use app::server::caller::Caller;
use app::server::export;
use app::server::metrics::metrics;
use app::server::plain_form::{accepts_html, referer_path};
use app::server::repo::inventory;
use app::server::repo::sessions::DbSessionStore;
use app::server::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::get;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use serde_json::json;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// Paths anyone may open without logging in: the login page, the two single sign-on
/// endpoints, the health check and the static files. A static path must be a plain file name under `/pkg/`: no dot segments,
/// encoded or not, so `/pkg/%2e%2e/users` is not a way past the gate.
fn is_public(path: &str) -> bool {
    let static_file = path.strip_prefix("/pkg/").is_some_and(|file| {
        !file.is_empty()
            && !file.contains("..")
            && !file.contains('%')
            && !file.contains('\\')
            && file
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
    });
    // `/metrics` checks its own bearer token.
    path == "/login"
        || path == "/healthz"
        || path == "/metrics"
        || path == "/favicon.svg"
        || path == "/auth/oidc/login"
        || path == "/auth/oidc/callback"
        || static_file
}

/// The page routes, generated once per process.
///
/// Generating Leptos' route list renders the app with resource loading switched off, and
/// that switch (`leptos_server`'s `SuppressResourceLoad`) is one flag for the whole process,
/// not for the one render: a page rendered on another thread while the list is generated
/// awaits its data forever (leptos-rs/leptos#4773). This hung the integration tests, which
/// build a router per request, about one run in six. Generated once, inside a `OnceLock`
/// that every router waits for, the list can never be generated while a page renders.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The complete application router over `state`.
pub fn build_router(state: AppState) -> Router {
    let routes = page_routes();
    let options = state.leptos_options.clone();
    let idle = tower_sessions::cookie::time::Duration::seconds(
        i64::try_from(state.idle_timeout.as_secs()).unwrap_or(i64::MAX),
    );
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.pool.clone()))
        .with_name("fleetdesk_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.secure_cookies)
        .with_expiry(Expiry::OnInactivity(idle));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_export))
        .route("/auth/oidc/login", get(crate::sso::login))
        .route("/auth/oidc/callback", get(crate::sso::callback))
        .route("/fleet.csv", get(fleet_export))
        .route("/workspaces/{id}/health/{chart}", get(health_chart))
        .route("/connections.csv", get(connections_export))
        .route("/health.csv", get(health_export))
        .route("/cost.csv", get(cost_export))
        .route("/audit.csv", get(audit_export))
        .route("/directories.csv", get(directories_export))
        .route("/images.csv", get(images_export))
        .route("/bundles.csv", get(bundles_export))
        .route("/ip-groups.csv", get(ip_groups_export))
        .merge(crate::static_files::pkg_routes(
            &std::path::Path::new(state.leptos_options.site_root.as_ref())
                .join(state.leptos_options.site_pkg_dir.as_ref()),
        ))
        .leptos_routes_with_context(&state, routes, || (), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(state.clone(), login_gate))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_cross_site,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(middleware::from_fn(limit_body))
        .layer(crate::static_files::compression())
        .layer(middleware::from_fn(access_log))
        .with_state(state)
}

/// A request's route for the metrics, from a bounded set: the matched route pattern
/// (`/workspaces/{id}`), a server function's path, `/pkg` for static files, or `other`.
fn route_label(request: &Request) -> String {
    let path = request.uri().path();
    if let Some(matched) = request.extensions().get::<axum::extract::MatchedPath>() {
        return matched.as_str().to_string();
    }
    if endpoint_access(path).is_some() {
        path.to_string()
    } else if path.starts_with("/pkg/") {
        "/pkg".to_string()
    } else {
        "other".to_string()
    }
}

/// `GET /metrics`: the Prometheus exposition, to callers with the configured bearer
/// token (404 when none is configured, 401 for a wrong one).
async fn metrics_export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), token.as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            "send Authorization: Bearer <metrics token>",
        )
            .into_response();
    }
    let statuses = inventory::sync_statuses(&state.pool)
        .await
        .unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics().render(&statuses, now),
    )
        .into_response()
}

/// Compares two secrets in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signed-in user of a request, left on its response by the login gate for the
/// access log.
#[derive(Clone)]
struct LoggedUser(String);

/// One line per request: method, path (never the query string, which can carry search
/// text or sign-in codes), status, time to the response head, and the user. Cookies,
/// passwords and bodies are never logged.
async fn access_log(request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let route = route_label(&request);
    let response = next.run(request).await;
    metrics().record_request(
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    let user = response
        .extensions()
        .get::<LoggedUser>()
        .map_or("-", |u| u.0.as_str());
    tracing::info!(
        target: "fleetdesk::access",
        %method,
        %path,
        status = response.status().as_u16(),
        ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        user,
        "request"
    );
    response
}

/// The largest request body accepted. The largest form, a bulk action on 500
/// WorkSpaces, is about 10 kB.
const BODY_LIMIT: usize = 256 * 1024;

/// How long a request body may take to arrive: the largest one is 256 kB.
const BODY_TIME_LIMIT: Duration = Duration::from_secs(20);

/// Reads the request body up to [`BODY_LIMIT`] before anything else sees it, so a larger
/// one is refused with 413 Payload Too Large whether or not it announced its length, and
/// one that trickles in for longer than [`BODY_TIME_LIMIT`] with 408 Request Timeout.
async fn limit_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(BODY_TIME_LIMIT, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over {} kB", BODY_LIMIT / 1024),
        )
            .into_response(),
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body did not arrive within {} s",
                BODY_TIME_LIMIT.as_secs()
            ),
        )
            .into_response(),
    }
}

/// How long a change may take: it waits for AWS, 25 WorkSpaces per call at the
/// configured request rate (500 rebuilds, one per call, or a tag edit on 500 WorkSpaces,
/// take minutes).
const CHANGE_TIME_LIMIT: Duration = Duration::from_secs(900);

/// Ends a request that takes longer than its limit with 503 Service Unavailable, so a
/// stuck render or a hanging upstream never holds a connection forever. Server functions
/// that only the help desk or admins may call (every change is one) get
/// [`CHANGE_TIME_LIMIT`]; everything else the configured request timeout.
async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let limit = match endpoint_access(&path) {
        Some(Access::AtLeast(role)) if role >= Role::Helpdesk => CHANGE_TIME_LIMIT,
        _ => state.request_timeout,
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, seconds = limit.as_secs_f64(), "request timed out");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the request took longer than {} s and was stopped; try again",
                    limit.as_secs()
                ),
            )
                .into_response()
        }
    }
}

/// Server functions answer 401/403 as their access rule says (unlisted ones are
/// refused); pages and exports send anonymous visitors to the login page and back.
async fn login_gate(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if is_public(&path) {
        return next.run(request).await;
    }
    let required = if path.starts_with("/api/") {
        match endpoint_access(&path) {
            None => {
                return (StatusCode::FORBIDDEN, "this endpoint has no access rule").into_response();
            }
            Some(Access::Public) => return next.run(request).await,
            Some(Access::AtLeast(role)) => Some(role),
        }
    } else {
        None
    };
    let user = match session_user(
        &state.pool,
        &session,
        state.absolute_timeout,
        state.idle_timeout,
    )
    .await
    {
        Ok(user) => user,
        Err(error) => {
            return (status_of(&error), error.to_string()).into_response();
        }
    };
    match (user, required) {
        // A plain form post (JavaScript off) whose session has ended: to the login page,
        // and from there back to the page the form was on.
        (None, Some(_)) if accepts_html(request.headers()) => {
            let back = referer_path(request.headers()).unwrap_or_else(|| "/".to_string());
            Redirect::to(&format!("/login?next={}", encode_query_value(&back))).into_response()
        }
        (None, Some(_)) => (StatusCode::UNAUTHORIZED, Json(AppError::Unauthorized)).into_response(),
        (None, None) => {
            let target = request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/");
            Redirect::to(&format!("/login?next={}", encode_query_value(target))).into_response()
        }
        (Some(user), Some(role)) if !allows(user.role, role) => {
            let mut response = (StatusCode::FORBIDDEN, Json(AppError::Forbidden)).into_response();
            response.extensions_mut().insert(LoggedUser(user.name));
            response
        }
        (Some(user), _) => {
            let name = user.name.clone();
            // Handlers behind the gate read the user from here instead of loading it again.
            request.extensions_mut().insert(user);
            let mut response = next.run(request).await;
            response.extensions_mut().insert(LoggedUser(name));
            response
        }
    }
}

/// The largest server function error body read back by [`error_status`]; an `AppError`
/// is a few hundred bytes.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Gives every server function error its HTTP status ([`AppError::status`]: 400, 401,
/// 403, 404, 502, 500), in this one place for all of them.
///
/// `server_fn` answers every error with 500 and the `AppError` as JSON; this reads that
/// JSON back and sets the status the error stands for. Redirects (a plain form post with
/// JavaScript off goes back to its page with the error in the URL) and statuses a server
/// function set itself are left alone.
async fn error_status(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, ERROR_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!("could not read a server function's error: {error}");
            return (StatusCode::INTERNAL_SERVER_ERROR, Json(AppError::Internal)).into_response();
        }
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&error);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The HTTP status of `error`.
fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An export's error: its status and message as plain text.
fn export_error(error: AppError) -> Response {
    (status_of(&error), error.to_string()).into_response()
}

/// Refuses state-changing requests sent by another site (login CSRF, forged actions):
/// browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`. An `Origin`
/// must be this server's, scheme included (`https` unless cookies are insecure, i.e.
/// plain HTTP). A request that carries a cookie but neither header did not come from a
/// current browser's page and is refused too; scripts without a session (and every
/// browser) are unaffected.
async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let refused = || (StatusCode::FORBIDDEN, "cross-site requests are refused").into_response();
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return refused();
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = origin {
        let scheme = if state.secure_cookies {
            "https"
        } else {
            "http"
        };
        if host.is_none_or(|host| origin != format!("{scheme}://{host}")) {
            return refused();
        }
    } else if fetch_site.is_none() && headers.contains_key(header::COOKIE) {
        return refused();
    }
    next.run(request).await
}

/// Security headers on every response; pages and data behind the login are never kept
/// in a browser or proxy cache, and with `Secure` cookies browsers are told to use HTTPS
/// only (HSTS).
async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let private = !is_public(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Pages set their own policy with the render's nonce (see app::server::csp).
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&app::server::csp::policy(None)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    for (name, value) in [
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Liveness at a glance. Anonymous callers (load balancers) get the status only; a
/// logged-in user also gets the version, the database status, the Regions and the
/// freshness of each synced resource.
async fn healthz(State(state): State<AppState>, session: Session) -> impl IntoResponse {
    let statuses = inventory::sync_statuses(&state.pool).await;
    let database_ok = statuses.is_ok();
    let status = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let summary = if database_ok { "ok" } else { "degraded" };
    let signed_in = session_user(
        &state.pool,
        &session,
        state.absolute_timeout,
        state.idle_timeout,
    )
    .await;
    let Ok(Some(user)) = signed_in else {
        return (status, Json(json!({ "status": summary })));
    };
    // Only the accounts the user may see (issue 20, finding 7).
    let sync: Vec<_> = statuses
        .unwrap_or_default()
        .into_iter()
        .filter(|s| user.may_use(&s.account))
        .map(|s| {
            json!({
                "account": s.account,
                "region": s.region,
                "resource": s.resource,
                "last_success_at": s.last_success_at,
                "stale": s.last_error.is_some(),
                "last_error": s.last_error,
                "items": s.item_count,
            })
        })
        .collect();
    let body = json!({
        "status": summary,
        "version": env!("CARGO_PKG_VERSION"),
        "database": if database_ok { "ok" } else { "unavailable" },
        "regions": state.region_names(),
        "demo": state.demo,
        "sync_running": state.sync.progress().running,
        "sync": sync,
        // Which of the nodes sharing the database this is, and whether it runs the sync.
        "node": state.leader.node(),
        "leader": state.leader.is_leading(),
    });
    (status, Json(body))
}

/// `GET /fleet.csv` with the fleet page's query parameters: the full filtered list.
async fn fleet_export(caller: Caller, Query(params): Query<HashMap<String, String>>) -> Response {
    let query = FleetQuery::from_params(|key| params.get(key).cloned());
    let query = app::server::fleet::visible_to(&caller.user, &query);
    let accounts = !caller.state.account_names().is_empty();
    match export::fleet_csv_stream(caller.pool().clone(), query, accounts).await {
        Ok(body) => csv_body(body, "fleet.csv"),
        Err(error) => export_error(error),
    }
}

/// `GET /connections.csv` with the connections page's query parameters.
async fn connections_export(
    caller: Caller,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query = ConnectionsQuery::from_params(|key| params.get(key).cloned());
    match app::server::connections::export(&caller, &query).await {
        Ok(body) => csv_body(body, "connections.csv"),
        Err(error) => export_error(error),
    }
}

/// `GET /workspaces/{id}/health/{metric}.svg?window=3h`: one chart of the session-health
/// card, drawn on the server (no JavaScript, no wasm), from the card's cached figures.
async fn health_chart(
    caller: Caller,
    Path((id, chart)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    use app::model::{HealthMetric, HealthWindow};
    use app::server::chart::{ChartPoint, ChartSpec, chart_svg};
    let Some(metric) = chart.strip_suffix(".svg").and_then(HealthMetric::from_slug) else {
        return export_error(AppError::NotFound(format!("chart {chart}")));
    };
    let window = HealthWindow::parse(params.get("window").map(String::as_str).unwrap_or(""));
    let health = match app::server::health::session_health(&caller, &id, window).await {
        Ok(health) => health,
        Err(error) => return export_error(error),
    };
    let points: Vec<ChartPoint> = health
        .history(metric)
        .points
        .iter()
        .map(|p| ChartPoint {
            at: p.at,
            value: p.value,
        })
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let (start, end) = app::server::health::window_bounds(window, now);
    let spec = ChartSpec {
        title: metric.title(),
        unit: metric.unit(),
        start,
        end,
        threshold: health.thresholds.and_then(|t| t.of(metric)),
        max_hint: metric.is_percent().then_some(100.0),
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        chart_svg(&points, &spec),
    )
        .into_response()
}

/// `GET /health.csv` with `/health`'s filters: the WorkSpaces of the view, one column per
/// metric named with its unit.
async fn health_export(caller: Caller, Query(params): Query<HashMap<String, String>>) -> Response {
    let query = app::model::HealthQuery::from_params(|key| params.get(key).cloned());
    match app::server::health::fleet_csv(&caller, &query).await {
        Ok(csv) => csv_body(Body::from(csv), "health.csv"),
        Err(error) => export_error(error),
    }
}

/// `GET /cost.csv` with `/cost`'s filters: cost insight's dry-run report, every WorkSpace
/// of the view (a viewer may read it; switching needs an admin).
async fn cost_export(caller: Caller, Query(params): Query<HashMap<String, String>>) -> Response {
    let query = app::model::CostQuery::from_params(|key| params.get(key).cloned());
    match app::server::cost::cost_csv(&caller, &query).await {
        Ok(csv) => csv_body(Body::from(csv), "cost.csv"),
        Err(error) => export_error(error),
    }
}

/// `GET /audit.csv` with the audit page's filters: every matching entry, as the caller's
/// role may read it.
async fn audit_export(caller: Caller, Query(params): Query<HashMap<String, String>>) -> Response {
    let query = AuditQuery {
        visible_accounts: caller.user.accounts.clone(),
        ..AuditQuery::from_params(|key| params.get(key).cloned())
    };
    csv_body(
        export::audit_csv_stream(caller.pool().clone(), query, caller.user.role),
        "audit.csv",
    )
}

/// The item exports take the pages' `?account=` filter; the account column is there
/// when accounts are configured.
struct ItemExport {
    account: String,
    accounts: bool,
}

impl ItemExport {
    fn new(state: &AppState, params: &HashMap<String, String>) -> Self {
        ItemExport {
            account: params.get("account").cloned().unwrap_or_default(),
            accounts: !state.account_names().is_empty(),
        }
    }

    /// The `rows` of the chosen account (`account_of` names a row's) as the CSV `to_csv`
    /// writes, served as `name`.
    fn respond<T>(
        &self,
        rows: Result<Vec<T>, AppError>,
        account_of: impl Fn(&T) -> &str,
        to_csv: impl Fn(&[T], bool) -> String,
        name: &str,
    ) -> Response {
        match rows {
            Ok(mut rows) => {
                rows.retain(|row| self.account.is_empty() || account_of(row) == self.account);
                csv_body(to_csv(&rows, self.accounts), name)
            }
            Err(error) => export_error(error),
        }
    }
}

/// `GET /directories.csv`
async fn directories_export(
    caller: Caller,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    ItemExport::new(&caller.state, &params).respond(
        app::server::directories::list(&caller).await,
        |row| &row.directory.account,
        export::directories_csv,
        "directories.csv",
    )
}

/// `GET /images.csv`
async fn images_export(caller: Caller, Query(params): Query<HashMap<String, String>>) -> Response {
    let catalog = app::server::images::catalog(&caller).await;
    ItemExport::new(&caller.state, &params).respond(
        catalog.map(|catalog| catalog.images),
        |row| &row.image.account,
        export::images_csv,
        "images.csv",
    )
}

/// `GET /bundles.csv`
async fn bundles_export(caller: Caller, Query(params): Query<HashMap<String, String>>) -> Response {
    let catalog = app::server::images::catalog(&caller).await;
    ItemExport::new(&caller.state, &params).respond(
        catalog.map(|catalog| catalog.bundles),
        |row| &row.bundle.account,
        export::bundles_csv,
        "bundles.csv",
    )
}

/// `GET /ip-groups.csv`
async fn ip_groups_export(
    caller: Caller,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    ItemExport::new(&caller.state, &params).respond(
        app::server::ip_groups::list(&caller).await,
        |group| &group.account,
        export::ip_groups_csv,
        "ip-groups.csv",
    )
}

fn csv_body(body: impl Into<axum::body::Body>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}
