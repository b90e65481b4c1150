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
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::applications::applications_view(&caller, &query).await
}

/// The bulk association review of the WorkSpaces `ids` with the application `app`
/// (empty: none chosen yet), decided from the cache as the association will be (admin).
#[server(endpoint = "applications/review")]
pub async fn review_bulk_application(
    #[server(default)] ids: Vec<String>,
    #[server(default)] app: String,
) -> Result<BulkApplicationReview, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::applications::review_bulk(&caller, &ids, &app).await
}

/// A WorkSpace's applications, read from AWS now.
#[server(endpoint = "applications/workspace")]
pub async fn get_workspace_applications(id: String) -> Result<WorkspaceApplications, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::applications::workspace_applications(&caller, &id).await
}

/// The applications of the account's images and custom bundles, by resource id, from
/// the inventory cache.
#[server(endpoint = "applications/images")]
pub async fn get_image_applications() -> Result<Vec<(String, Vec<NamedAssociation>)>, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::applications::image_and_bundle_applications(caller.pool()).await
}

/// Associates `application_id` with the WorkSpace `id` (admin).
#[server(endpoint = "applications/associate")]
pub async fn associate_application(
    id: String,
    #[server(default)] application_id: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::applications::associate(&caller, &id, &application_id, &reason).await
}

/// Disassociates `application_id` from the WorkSpace `id` (admin).
#[server(endpoint = "applications/disassociate")]
pub async fn disassociate_application(
    id: String,
    application_id: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::applications::disassociate(&caller, &id, &application_id, &reason).await
}

/// Deploys the WorkSpace's pending applications; with `force`, failed deployments are
/// retried too (help desk).
#[server(endpoint = "applications/deploy")]
pub async fn deploy_applications(
    id: String,
    #[server(default)] force: Option<String>,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Helpdesk).await?;
    let force = force.is_some_and(|value| matches!(value.as_str(), "on" | "true" | "1"));
    crate::server::applications::deploy(&caller, &id, force, &reason).await
}

/// Associates `application_id` with every WorkSpace of `ids` that can take it (admin).
#[server(endpoint = "applications/bulk")]
pub async fn bulk_associate(
    ids: Vec<String>,
    #[server(default)] application_id: String,
    #[server(default)] reason: String,
    #[server(default)] form_token: String,
) -> Result<ActionReport, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let change =
        crate::server::applications::associate_many(&caller, &ids, &application_id, &reason);
    crate::server::form_token::send_once(caller.pool(), caller.user.id, &form_token, change).await
}
