//! When each account, Region and resource was last synced, and what went wrong.

use sqlx::{AnyPool, FromRow};

use crate::model::SyncStatus;

/// Records the outcome of syncing one resource of one account and Region.
pub async fn record_sync(
    pool: &AnyPool,
    (account, region): (&str, &str),
    resource: &str,
    attempt_at: &str,
    outcome: Result<usize, String>,
) -> Result<(), sqlx::Error> {
    match outcome {
        Ok(count) => sqlx::query(
            "INSERT INTO sync_status (account, region, resource, last_attempt_at, \
             last_success_at, last_error, item_count) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6) ON CONFLICT (account, region, resource) DO UPDATE SET \
             last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at, \
             last_error = NULL, item_count = excluded.item_count",
        )
        .bind(account)
        .bind(region)
        .bind(resource)
        .bind(attempt_at)
        .bind(attempt_at)
        .bind(count as i64),
        Err(error) => sqlx::query(
            "INSERT INTO sync_status (account, region, resource, last_attempt_at, last_error) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account, region, resource) DO UPDATE SET \
             last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error",
        )
        .bind(account)
        .bind(region)
        .bind(resource)
        .bind(attempt_at)
        .bind(error),
    }
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(FromRow)]
pub(super) struct SyncStatusRow {
    account: String,
    region: String,
    resource: String,
    last_attempt_at: Option<String>,
    last_success_at: Option<String>,
    last_error: Option<String>,
    item_count: i64,
}

/// The sync status of every Region and resource.
pub async fn sync_statuses(pool: &AnyPool) -> Result<Vec<SyncStatus>, sqlx::Error> {
    let rows: Vec<SyncStatusRow> = sqlx::query_as(
        "SELECT account, region, resource, last_attempt_at, last_success_at, last_error, \
         item_count FROM sync_status ORDER BY account, region, resource",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SyncStatus {
            account: row.account,
            region: row.region,
            resource: row.resource,
            last_attempt_at: row.last_attempt_at,
            last_success_at: row.last_success_at,
            last_error: row.last_error,
            item_count: usize::try_from(row.item_count).unwrap_or(0),
        })
        .collect())
}

/// Asks the leading node for a sync (a user pressed "Refresh now" on another node).
pub async fn request_sync(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sync_requests (id, requested_at) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET requested_at = excluded.requested_at",
    )
    .bind(super::now())
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes the pending sync request, if any: `true` once per request.
pub async fn take_sync_request(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query("DELETE FROM sync_requests WHERE id = 1")
        .execute(pool)
        .await?
        .rows_affected();
    Ok(taken > 0)
}
