//! Server function of the connections page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ConnectionsPage, ConnectionsQuery};

#[server(endpoint = "connections/list")]
pub async fn list_connections(query: ConnectionsQuery) -> Result<ConnectionsPage, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::connections::page(&caller, &query).await
}
