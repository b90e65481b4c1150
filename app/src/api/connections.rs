//! Server function of the connections page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ConnectionsPage, ConnectionsQuery};

#[server(endpoint = "connections/list")]
pub async fn list_connections(query: ConnectionsQuery) -> Result<ConnectionsPage, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::connections(&state, &user, &query).await
}
