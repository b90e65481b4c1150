//! The HTTP router: Leptos pages and server functions, static files, and `/healthz`.
//! Built by a function so tests can drive it with `oneshot` without a socket.

use app::app::{App, shell};
use app::server::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use axum::routing::get;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde_json::json;

/// The complete application router over `state`.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .leptos_routes_with_context(&state, routes, || (), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
}

/// Liveness and configuration at a glance: version, database status and Regions.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database_ok = sqlx::query("SELECT 1").execute(&state.pool).await.is_ok();
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if database_ok { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": if database_ok { "ok" } else { "unavailable" },
        "regions": state.region_names(),
        "demo": state.demo,
    });
    (status, Json(body))
}
