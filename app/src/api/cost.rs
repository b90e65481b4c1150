//! Server function of cost insight's `/cost`. It only reads (a dry run); the switches go
//! through `actions/run` with its own role check.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CostPage, CostQuery};

/// `/cost`: the caller's WorkSpaces judged by the running-mode rules, one page of them,
/// with totals per account and Region.
#[server(endpoint = "cost/list")]
pub async fn list_cost(query: CostQuery) -> Result<CostPage, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::cost::cost_page(&caller, &query).await
}
