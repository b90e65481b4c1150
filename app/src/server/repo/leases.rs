//! SQL of the leases table: a named lease held by one node until it expires, renewed by
//! its holder, taken over by another node once it lapsed. Times come from the database's
//! clock, so the nodes' clocks need not agree.

use sqlx::AnyPool;

use super::Backend;

/// The database's clock in Unix seconds, as an SQL expression.
fn database_now(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(strftime('%s', 'now') AS INTEGER)",
        Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)",
    }
}

/// Takes or renews lease `name` for `holder` for `seconds`; `true` when `holder` holds it
/// now (it was free, lapsed, or already theirs), `false` while another holder's runs.
pub async fn hold(
    pool: &AnyPool,
    name: &str,
    holder: &str,
    seconds: i64,
) -> Result<bool, sqlx::Error> {
    let now = database_now(Backend::of(pool));
    let held: Option<String> = sqlx::query_scalar(&format!(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, {now} + $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
         expires_at = excluded.expires_at \
         WHERE leases.holder = excluded.holder OR leases.expires_at < {now} \
         RETURNING holder"
    ))
    .bind(name)
    .bind(holder)
    .bind(seconds)
    .fetch_optional(pool)
    .await?;
    Ok(held.is_some())
}

/// Gives lease `name` up if `holder` holds it (a node shutting down), so another node
/// takes over at its next try instead of when the lease lapses.
pub async fn release(pool: &AnyPool, name: &str, holder: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
        .bind(name)
        .bind(holder)
        .execute(pool)
        .await?;
    Ok(())
}

/// Who holds lease `name`, if anyone's has not lapsed.
pub async fn holder(pool: &AnyPool, name: &str) -> Result<Option<String>, sqlx::Error> {
    let now = database_now(Backend::of(pool));
    sqlx::query_scalar(&format!(
        "SELECT holder FROM leases WHERE name = $1 AND expires_at >= {now}"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await
}
