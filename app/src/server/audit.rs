//! The audit page: one page of entries as the caller may see them (their accounts; detail
//! by role, see `AuditEntry::as_seen_by`), and the hash chain checked from where the
//! last load left off.

use crate::error::AppError;
use crate::model::{AuditPage, AuditQuery};
use crate::server::caller::Caller;
use crate::server::repo::audit;

/// One page of the audit log, newest first, and whether its hash chain verifies.
pub async fn page(caller: &Caller, query: AuditQuery) -> Result<AuditPage, AppError> {
    let query = AuditQuery {
        visible_accounts: caller.user.accounts.clone(),
        ..query
    };
    let (entries, total) = audit::list(caller.pool(), &query, Some(query.page)).await?;
    let entries = entries
        .into_iter()
        .map(|e| e.as_seen_by(caller.user.role))
        .collect();
    // New entries only: the chain up to the last load verified then (the full check is
    // `fleetdesk audit verify`).
    let mut verified = caller.state.audit_verified.lock().await;
    let (check, reached) = audit::verify_from(caller.pool(), &verified).await?;
    if matches!(check, audit::ChainCheck::Intact { .. }) {
        *verified = reached;
    }
    let (chain_problem, chain_entries) = match check {
        audit::ChainCheck::Intact { entries } => (None, entries),
        audit::ChainCheck::Broken { entry_id, reason } => {
            (Some(format!("entry {entry_id} fails: {reason}")), 0)
        }
    };
    let accounts = caller.accounts();
    Ok(AuditPage {
        entries,
        total,
        chain_problem,
        chain_entries,
        accounts,
    })
}
