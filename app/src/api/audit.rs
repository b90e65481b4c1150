//! Server function of the audit page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AuditPage, AuditQuery};

/// One page of the audit log, newest first, and whether its hash chain verifies.
#[server(endpoint = "audit/list")]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::audit::page(&caller, query).await
}
