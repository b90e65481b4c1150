//! SQL of the login throttle's shared counts (`auth::LoginGuard` decides with them): the
//! attempts of a key and the name-and-address pairs known to have signed in. Callers
//! read and write them inside one write transaction under [`LOCK`], so parallel attempts
//! on any node are counted one after the other.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::server::auth::Attempts;

/// The lock (see `repo::lock_until_commit`) every throttle transaction takes.
pub const LOCK: i64 = 0x6c6f_6769_6e5f_7468; // "login_th"

/// The most name-and-address pairs remembered as known good (as `auth`'s guard keeps).
const KNOWN_GOOD_PAIRS: i64 = crate::server::auth::KNOWN_GOOD_PAIRS as i64;

#[derive(FromRow)]
struct AttemptsRow {
    key: String,
    count: i64,
    since_ms: i64,
    locked_until_ms: Option<i64>,
    refused: i64,
}

/// The stored attempts of `keys` (those that have any).
pub async fn attempts(
    conn: &mut AnyConnection,
    keys: [&str; 2],
) -> Result<Vec<(String, Attempts)>, sqlx::Error> {
    let rows: Vec<AttemptsRow> = sqlx::query_as(
        "SELECT key, count, since_ms, locked_until_ms, refused FROM login_attempts \
         WHERE key IN ($1, $2)",
    )
    .bind(keys[0])
    .bind(keys[1])
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let attempts = Attempts {
                count: u32::try_from(row.count).unwrap_or(u32::MAX),
                since_ms: row.since_ms,
                locked_until_ms: row.locked_until_ms,
                refused: u32::try_from(row.refused).unwrap_or(u32::MAX),
            };
            (row.key, attempts)
        })
        .collect())
}

/// Stores the attempts of `key`, or forgets them (`None`).
pub async fn store(
    conn: &mut AnyConnection,
    key: &str,
    attempts: Option<&Attempts>,
) -> Result<(), sqlx::Error> {
    match attempts {
        Some(attempts) => {
            sqlx::query(
                "INSERT INTO login_attempts (key, count, since_ms, locked_until_ms, refused) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET \
                 count = excluded.count, since_ms = excluded.since_ms, \
                 locked_until_ms = excluded.locked_until_ms, refused = excluded.refused",
            )
            .bind(key)
            .bind(i64::from(attempts.count))
            .bind(attempts.since_ms)
            .bind(attempts.locked_until_ms)
            .bind(i64::from(attempts.refused))
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM login_attempts WHERE key = $1")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Whether `pair` signed in before.
pub async fn is_known_good(conn: &mut AnyConnection, pair: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT at_ms FROM login_known_good WHERE pair = $1")
            .bind(pair)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Remembers that `pair` signed in at `at_ms`, keeping the most recent pairs only.
pub async fn remember_good(
    conn: &mut AnyConnection,
    pair: &str,
    at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_known_good (pair, at_ms) VALUES ($1, $2) \
         ON CONFLICT (pair) DO UPDATE SET at_ms = excluded.at_ms",
    )
    .bind(pair)
    .bind(at_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM login_known_good WHERE at_ms < (SELECT at_ms FROM login_known_good \
         ORDER BY at_ms DESC LIMIT 1 OFFSET $1)",
    )
    .bind(KNOWN_GOOD_PAIRS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Forgets the attempts counted before `before_ms` whose lock (if any) is over: they no
/// longer count (see `auth::ATTEMPT_WINDOW`).
pub async fn forget_stale(pool: &AnyPool, before_ms: i64, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM login_attempts WHERE since_ms < $1 \
         AND (locked_until_ms IS NULL OR locked_until_ms < $2)",
    )
    .bind(before_ms)
    .bind(now_ms)
    .execute(pool)
    .await?;
    Ok(())
}
