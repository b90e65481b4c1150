//! Server functions of the directories, images, IP groups and connections pages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Catalog, ConnectionsPage, ConnectionsQuery, DirectorySummary, IpGroup};

#[server(endpoint = "directories/list")]
pub async fn list_directories() -> Result<Vec<DirectorySummary>, AppError> {
    crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::directories(&state).await
}

/// Images and bundles, shown together on the images page.
#[server(endpoint = "images/list")]
pub async fn list_catalog() -> Result<Catalog, AppError> {
    crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::catalog(&state).await
}

#[server(endpoint = "ip-groups/list")]
pub async fn list_ip_groups() -> Result<Vec<IpGroup>, AppError> {
    crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::ip_groups(&state).await
}

#[server(endpoint = "connections/list")]
pub async fn list_connections(query: ConnectionsQuery) -> Result<ConnectionsPage, AppError> {
    crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::connections(&state, &query).await
}
