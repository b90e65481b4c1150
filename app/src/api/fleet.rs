//! Server functions of the fleet and WorkSpace pages and of the sync display.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{FleetFacets, FleetPage, FleetQuery, SyncOverview, WorkspaceDetail};

/// One page of the fleet for the given search, filters and sort.
#[server(endpoint = "fleet/list")]
pub async fn list_fleet(query: FleetQuery) -> Result<FleetPage, AppError> {
    use crate::model::ActionKind;
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    let mut page = crate::server::fleet::fleet_page(&state, &user, &query).await?;
    page.actions = ActionKind::ALL
        .into_iter()
        .filter(|action| !matches!(action, ActionKind::Modify | ActionKind::Migrate))
        .filter(|action| user.role >= action.required_role())
        .collect();
    page.show_accounts = !state.account_names().is_empty();
    Ok(page)
}

/// The cached WorkSpaces with these ids (at most 500), for the bulk confirmation, with
/// a new one-time token for its form.
#[server(endpoint = "fleet/selection")]
pub async fn get_selection(
    #[server(default)] ids: Vec<String>,
) -> Result<crate::model::BulkSelection, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Helpdesk).await?;
    let state = crate::server::state::app_state()?;
    let ids: Vec<String> = ids
        .into_iter()
        .take(crate::server::actions::MAX_TARGETS)
        .collect();
    let mut found = crate::server::repo::inventory::workspaces_by_id(&state.pool, &ids).await?;
    found.retain(|ws| user.may_use(&ws.account));
    Ok(crate::model::BulkSelection {
        workspaces: found,
        form_token: crate::server::form_token::issue(),
    })
}

/// The values each fleet filter can take, for the filter menus.
#[server(endpoint = "fleet/facets")]
pub async fn get_fleet_facets() -> Result<FleetFacets, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::fleet::fleet_facets(&state, &user).await
}

/// Everything about one WorkSpace, for its detail page.
#[server(endpoint = "fleet/workspace")]
pub async fn get_workspace(id: String) -> Result<WorkspaceDetail, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::fleet::workspace_detail(&state, &user, &id).await
}

/// How fresh the inventory is and what a running sync is doing.
#[server(endpoint = "sync/status")]
pub async fn get_sync_overview() -> Result<SyncOverview, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::sync_overview(&state, &user).await
}

/// Asks the background sync to run now.
#[server(endpoint = "sync/request")]
pub async fn request_sync() -> Result<(), AppError> {
    crate::server::authz::require_role(crate::model::Role::Helpdesk).await?;
    let state = crate::server::state::app_state()?;
    state.sync.request();
    Ok(())
}
