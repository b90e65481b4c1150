//! Server functions of the fleet page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{FleetPage, FleetQuery};

/// One page of the fleet for the given search, filters and sort.
#[server(endpoint = "fleet/list")]
pub async fn list_fleet(query: FleetQuery) -> Result<FleetPage, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::fleet::fleet_page(&state, &query).await
}
