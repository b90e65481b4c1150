//! Connection status per WorkSpace (DescribeWorkspacesConnectionStatus) and the
//! connections page's query.

use sqlx::AnyPool;

use crate::server::repo::sql::{Backend, Sql};

use crate::model::{ConnectionStatus, ConnectionsPage, ConnectionsQuery, Workspace};

use super::fleet_query::{
    export_record_sql, like_escape, push_account_limit, push_page, send_records,
};
use super::workspaces::{WORKSPACE_COLUMNS, WorkspaceRow};
use super::write;

/// Stores connection status for WorkSpaces already in the cache.
pub async fn store_connection_status(
    pool: &AnyPool,
    statuses: &[ConnectionStatus],
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    for status in statuses {
        sqlx::query(
            "UPDATE workspaces SET connection_state = $1, connection_checked_at = $2, \
             last_user_connection_at = $3 WHERE id = $4",
        )
        .bind(&status.connection_state)
        .bind(&status.connection_state_checked)
        .bind(&status.last_known_user_connection)
        .bind(&status.workspace_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

pub(super) fn push_connection_filters(sql: &mut Sql, query: &ConnectionsQuery, view: &str) {
    sql.push(" WHERE removed_at IS NULL");
    if let Some(accounts) = &query.visible_accounts {
        push_account_limit(sql, accounts);
    }
    if !query.account.is_empty() {
        sql.push(" AND account = ").push_bind(query.account.clone());
    }
    if !query.region.is_empty() {
        sql.push(" AND region = ").push_bind(query.region.clone());
    }
    let needle = query.q.trim();
    if !needle.is_empty() {
        let anywhere = format!("%{}%", like_escape(needle));
        let like = sql.backend().ilike();
        sql.push(format!(" AND (id {like} "))
            .push_bind(anywhere.clone())
            .push(format!(" ESCAPE '\\' OR user_name {like} "))
            .push_bind(anywhere)
            .push(" ESCAPE '\\')");
    }
    match view {
        "connected" => {
            sql.push(" AND connection_state = 'CONNECTED'");
        }
        "idle" => push_idle_for(sql, query.days),
        "never" => push_never_connected(sql),
        _ => {}
    }
}

/// Keeps WorkSpaces whose last user connection was at least `days` ago (the
/// connections page's idle view and the fleet's idle filter).
pub(super) fn push_idle_for(sql: &mut Sql, days: u32) {
    let at_least = sql.backend().at_least_days_ago("last_user_connection_at");
    sql.push(format!(
        " AND last_user_connection_at IS NOT NULL AND {at_least}"
    ))
    .push_bind(f64::from(days));
}

/// Keeps WorkSpaces no user ever connected to (as far as AWS reports).
pub(super) fn push_never_connected(sql: &mut Sql) {
    // Someone connected right now has connected, whatever the timestamp says.
    sql.push(
        " AND last_user_connection_at IS NULL \
         AND (connection_state IS NULL OR connection_state != 'CONNECTED')",
    );
}

/// One page of the connections listing (longest idle first) with the count of each view.
pub async fn connections_page(
    pool: &AnyPool,
    query: &ConnectionsQuery,
) -> Result<ConnectionsPage, sqlx::Error> {
    let mut counts = Vec::new();
    for view in ["all", "connected", "idle", "never"] {
        let mut sql = Sql::new(Backend::of(pool), "SELECT COUNT(*) FROM workspaces");
        push_connection_filters(&mut sql, query, view);
        let count: i64 = sql.build_query_scalar()?.fetch_one(pool).await?;
        counts.push((view.to_string(), usize::try_from(count).unwrap_or(0)));
    }
    let total = counts
        .iter()
        .find(|(view, _)| *view == query.view)
        .map(|(_, count)| *count)
        .unwrap_or(0);
    let rows = connection_rows(pool, query, query.page).await?;
    Ok(ConnectionsPage {
        rows,
        total,
        counts,
        accounts: Vec::new(),
    })
}

/// Appends the filters and order of a connections view, longest idle first.
pub(super) fn push_connections_query(sql: &mut Sql, query: &ConnectionsQuery) {
    push_connection_filters(sql, query, &query.view);
    let user_name = sql.backend().nocase("user_name");
    sql.push(format!(
        " ORDER BY last_user_connection_at IS NOT NULL, last_user_connection_at, {user_name}, id"
    ));
}

/// One page of the WorkSpaces of a connections view, longest idle first.
pub async fn connection_rows(
    pool: &AnyPool,
    query: &ConnectionsQuery,
    page: usize,
) -> Result<Vec<Workspace>, sqlx::Error> {
    let mut sql = Sql::new(
        Backend::of(pool),
        format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces"),
    );
    push_connections_query(&mut sql, query);
    push_page(&mut sql, page);
    let rows: Vec<WorkspaceRow> = sql.build_query_as()?.fetch_all(pool).await?;
    Ok(rows.into_iter().map(Workspace::from).collect())
}

/// Sends the export record of every WorkSpace of a connections view (the connections CSV
/// streams them).
pub async fn send_connection_records(
    pool: &AnyPool,
    query: &ConnectionsQuery,
    records: tokio::sync::mpsc::Sender<String>,
) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new(Backend::of(pool), export_record_sql(Backend::of(pool)));
    push_connections_query(&mut sql, query);
    send_records(pool, sql, records).await
}
