//! SQL only, one file per table group. Services call these; nothing else writes SQL.

pub mod audit;
pub mod copy;
pub mod inventory;
pub mod leases;
pub mod login_throttle;
pub mod provision;
pub mod sessions;
pub mod sql;
pub mod usage;
pub mod users;

use sqlx::{AnyConnection, AnyPool};

pub use sql::Backend;

/// Starts a write transaction. On SQLite `BEGIN IMMEDIATE` takes the write lock up front,
/// so concurrent writers (the Regions sync in parallel) wait for each other through the
/// busy timeout instead of failing with "database is locked" when a read would have to
/// be upgraded to a write; PostgreSQL's row locks need nothing of the kind.
pub async fn write(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Backend::of(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

/// Serialises the transactions that take lock `key`, across every node: on PostgreSQL an
/// advisory lock held until the transaction of `conn` ends; on SQLite nothing (a write
/// transaction already holds the database's one write lock).
pub async fn lock_until_commit(conn: &mut AnyConnection, key: i64) -> Result<(), sqlx::Error> {
    if Backend::of_connection(conn) == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
