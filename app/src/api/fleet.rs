//! Server functions of the fleet and WorkSpace pages and of the sync display.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{FleetFacets, FleetPage, FleetQuery, SyncOverview, WorkspaceDetail};

/// One page of the fleet for the given search, filters and sort.
#[server(endpoint = "fleet/list")]
pub async fn list_fleet(query: FleetQuery) -> Result<FleetPage, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::fleet::fleet_page(&caller, &query).await
}

/// The cached WorkSpaces with these ids (at most 500), for the bulk confirmation, with
/// a new one-time token for its form.
#[server(endpoint = "fleet/selection")]
pub async fn get_selection(
    #[server(default)] ids: Vec<String>,
) -> Result<crate::model::BulkSelection, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Helpdesk).await?;
    crate::server::fleet::selection(&caller, ids).await
}

/// The ids of the WorkSpaces matching `query` (at most 500, what one bulk review
/// takes), for the fleet's "select all matching".
#[server(endpoint = "fleet/ids")]
pub async fn get_matching_ids(query: FleetQuery) -> Result<Vec<String>, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Helpdesk).await?;
    crate::server::fleet::matching_ids(&caller, &query).await
}

/// The values each fleet filter can take, for the filter menus.
#[server(endpoint = "fleet/facets")]
pub async fn get_fleet_facets() -> Result<FleetFacets, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::fleet::fleet_facets(&caller).await
}

/// Everything about one WorkSpace, for its detail page.
#[server(endpoint = "fleet/workspace")]
pub async fn get_workspace(id: String) -> Result<WorkspaceDetail, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::fleet::workspace_detail(&caller, &id).await
}

/// A WorkSpace's cached state, for a page following it (see `islands::follow_state`).
#[server(endpoint = "fleet/workspace_state")]
pub async fn get_workspace_state(id: String) -> Result<crate::model::WorkspaceState, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::fleet::workspace_state(&caller, &id).await
}

/// How fresh the inventory is and what a running sync is doing.
#[server(endpoint = "sync/status")]
pub async fn get_sync_overview() -> Result<SyncOverview, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::fleet::sync_overview(&caller).await
}

/// Asks the background sync to run now.
#[server(endpoint = "sync/request")]
pub async fn request_sync() -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Helpdesk).await?;
    let state = &caller.state;
    state.leader.request_sync(&state.pool, &state.sync).await?;
    Ok(())
}
