//! Server functions of the applications page, a WorkSpace's applications card, the bulk
//! association review and the images page's application column.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    ActionReport, ApplicationsQuery, ApplicationsView, BulkApplicationReview, NamedAssociation,
    WorkspaceApplications,
};

/// Every configured Region's application catalog matching the filters, read from AWS now,
/// and the associations of the chosen application.
#[server(endpoint = "applications/list")]
pub async fn get_applications(query: ApplicationsQuery) -> Result<ApplicationsView, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    let clients = state.clients_for(&user);
    crate::server::applications::applications_view(&state.pool, &clients, &query).await
}

/// The bulk association review of the WorkSpaces `ids` with the application `app`
/// (empty: none chosen yet), decided from the cache as the association will be (admin).
#[server(endpoint = "applications/review")]
pub async fn review_bulk_application(
    #[server(default)] ids: Vec<String>,
    #[server(default)] app: String,
) -> Result<BulkApplicationReview, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    crate::server::applications::review_bulk(&state.pool, &user, &ids, &app).await
}

/// A WorkSpace's applications, read from AWS now.
#[server(endpoint = "applications/workspace")]
pub async fn get_workspace_applications(id: String) -> Result<WorkspaceApplications, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::applications::workspace_applications(
        &state.pool,
        &state.clients_for(&user),
        &user,
        &id,
    )
    .await
}

/// The applications of the account's images and custom bundles, by resource id, from
/// the inventory cache.
#[server(endpoint = "applications/images")]
pub async fn get_image_applications() -> Result<Vec<(String, Vec<NamedAssociation>)>, AppError> {
    crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::applications::image_and_bundle_applications(&state.pool).await
}

/// Associates `application_id` with the WorkSpace `id` (admin).
#[server(endpoint = "applications/associate")]
pub async fn associate_application(
    id: String,
    #[server(default)] application_id: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::applications::associate(
        &state.pool,
        &state.clients_for(&user),
        &user,
        &client,
        &id,
        &application_id,
        &reason,
    )
    .await
}

/// Disassociates `application_id` from the WorkSpace `id` (admin).
#[server(endpoint = "applications/disassociate")]
pub async fn disassociate_application(
    id: String,
    application_id: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::applications::disassociate(
        &state.pool,
        &state.clients_for(&user),
        &user,
        &client,
        &id,
        &application_id,
        &reason,
    )
    .await
}

/// Deploys the WorkSpace's pending applications; with `force`, failed deployments are
/// retried too (help desk).
#[server(endpoint = "applications/deploy")]
pub async fn deploy_applications(
    id: String,
    #[server(default)] force: Option<String>,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Helpdesk).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let force = force.is_some_and(|value| matches!(value.as_str(), "on" | "true" | "1"));
    crate::server::applications::deploy(
        &state.pool,
        &state.clients_for(&user),
        &user,
        &client,
        &id,
        force,
        &reason,
    )
    .await
}

/// Associates `application_id` with every WorkSpace of `ids` that can take it (admin).
#[server(endpoint = "applications/bulk")]
pub async fn bulk_associate(
    ids: Vec<String>,
    #[server(default)] application_id: String,
    #[server(default)] reason: String,
    #[server(default)] form_token: String,
) -> Result<ActionReport, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let clients = state.clients_for(&user);
    let change = crate::server::applications::associate_many(
        &state.pool,
        &clients,
        &user,
        &client,
        &ids,
        &application_id,
        &reason,
    );
    crate::server::form_token::send_once(&state.pool, user.id, &form_token, change).await
}
