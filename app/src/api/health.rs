//! Server function of the WorkSpace page's session-health card.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SessionHealth;

/// WorkSpace `id`'s session health over `window` (`3h`, `24h`, `7d`), from CloudWatch,
/// with cost insight's line for it.
#[server(endpoint = "health/workspace")]
pub async fn get_session_health(id: String, window: String) -> Result<SessionHealth, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    let window = crate::model::HealthWindow::parse(&window);
    let health = crate::server::health::session_health(&caller, &id, window).await?;
    Ok(SessionHealth {
        cost: crate::server::cost::workspace_cost(&caller, &id).await?,
        ..health
    })
}

/// The fleet-wide view (`/health`): WorkSpaces in trouble now, across the caller's
/// accounts and Regions, from the last background refresh.
#[server(endpoint = "health/fleet")]
pub async fn list_fleet_health(
    query: crate::model::HealthQuery,
) -> Result<crate::model::HealthPage, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::health::fleet_page(&caller, &query).await
}
