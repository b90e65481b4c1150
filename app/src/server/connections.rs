//! The connections page (DescribeWorkspacesConnectionStatus, as the sync caches it) and
//! its CSV export, limited to the accounts the caller may see.

use crate::error::AppError;
use crate::model::{ConnectionsPage, ConnectionsQuery};
use crate::server::caller::Caller;
use crate::server::repo::inventory;

/// `query` limited to the accounts the caller may see.
fn visible(caller: &Caller, query: &ConnectionsQuery) -> ConnectionsQuery {
    ConnectionsQuery {
        visible_accounts: caller.user.accounts.clone(),
        ..query.clone()
    }
}

/// One page of the connections view.
pub async fn page(caller: &Caller, query: &ConnectionsQuery) -> Result<ConnectionsPage, AppError> {
    crate::model::check_search(&query.q)?;
    let query = visible(caller, query);
    let mut page = inventory::connections_page(caller.pool(), &query).await?;
    page.accounts = caller.accounts();
    Ok(page)
}

/// Every WorkSpace of a connections view as a streamed CSV body.
pub async fn export(
    caller: &Caller,
    query: &ConnectionsQuery,
) -> Result<axum::body::Body, AppError> {
    let query = visible(caller, query);
    let accounts = !caller.state.account_names().is_empty();
    crate::server::export::connections_csv_stream(caller.pool().clone(), query, accounts).await
}
