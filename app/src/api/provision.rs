//! Server functions of the "New WorkSpaces" pages (admin): the form's choices, saving
//! the form as a draft for review, the review, and creating the WorkSpaces.
//!
//! Everything is posted URL-encoded, which works with and without JavaScript; a file
//! input would need a multipart body that a plain `ActionForm` cannot send, so with
//! JavaScript the page reads a chosen CSV file into the CSV text area instead.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ProvisionForm, ProvisionOptions, ProvisionReport, ProvisionReview};

/// The cached directories and bundles to choose from, and the form of draft `draft`
/// when the admin goes back to edit it (empty otherwise).
#[server(endpoint = "provision/options")]
pub async fn get_provision_options(draft: Option<i64>) -> Result<ProvisionOptions, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::provision::options(&caller, draft).await
}

/// Checks the form, stores it as a draft and sends the browser to its review page.
/// Nothing is sent to AWS.
#[server(endpoint = "provision/draft")]
pub async fn save_provision_draft(form: ProvisionForm) -> Result<i64, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let draft = crate::server::provision::save_draft(&caller, &form).await?;
    leptos_axum::redirect(&format!("/workspaces/new/review?draft={draft}"));
    Ok(draft)
}

/// What draft `draft` will create, row by row, against the cache as it is now; with
/// AWS's answer once it has run.
#[server(endpoint = "provision/review")]
pub async fn review_provision(draft: i64) -> Result<ProvisionReview, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::provision::review_draft(&caller, draft).await
}

/// Creates the WorkSpaces of draft `draft` (once), audited with `reason`.
#[server(endpoint = "provision/create")]
pub async fn create_workspaces(draft: i64, reason: String) -> Result<ProvisionReport, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::provision::run(&caller, draft, &reason).await
}
