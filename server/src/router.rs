//! The HTTP router: Leptos pages and server functions, the CSV exports, static files and
//! `/healthz`. Built by a function so tests can drive it with `oneshot` without a socket.

use std::collections::HashMap;

use app::app::{App, shell};
use app::error::AppError;
use app::model::{ConnectionsQuery, FleetQuery};
use app::server::export::fleet_csv;
use app::server::repo::inventory;
use app::server::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde_json::json;

/// The complete application router over `state`.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/fleet.csv", get(fleet_export))
        .route("/connections.csv", get(connections_export))
        .leptos_routes_with_context(&state, routes, || (), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
}

/// Liveness and configuration at a glance: version, database status, Regions, and the
/// freshness of each synced resource.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let statuses = inventory::sync_statuses(&state.pool).await;
    let database_ok = statuses.is_ok();
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let sync: Vec<_> = statuses
        .unwrap_or_default()
        .into_iter()
        .map(|s| {
            json!({
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
        "status": if database_ok { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": if database_ok { "ok" } else { "unavailable" },
        "regions": state.region_names(),
        "demo": state.demo,
        "sync_running": state.sync.progress().running,
        "sync": sync,
    });
    (status, Json(body))
}

/// `GET /fleet.csv` with the fleet page's query parameters: the full filtered list.
async fn fleet_export(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query = FleetQuery::from_params(|key| params.get(key).cloned());
    csv_response(
        app::server::fleet::fleet_export(&state, &query).await,
        "fleet.csv",
    )
}

/// `GET /connections.csv` with the connections page's query parameters.
async fn connections_export(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query = ConnectionsQuery::from_params(|key| params.get(key).cloned());
    csv_response(
        app::server::resources::connections_export(&state, &query).await,
        "connections.csv",
    )
}

fn csv_response(rows: Result<Vec<app::model::Workspace>, AppError>, name: &str) -> Response {
    match rows {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            fleet_csv(&rows),
        )
            .into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}
