//! Opens the database: SQLite (the embedded default: a file created if missing, WAL mode,
//! a busy timeout, foreign keys on) or PostgreSQL (the store several nodes share), chosen
//! by the URL's scheme, with that backend's migrations applied before anything else runs.
//! Everything above this module speaks to either through sqlx's `Any` driver (see
//! `app::server::repo::sql` for the SQL conventions that keep one text for both).

use std::time::Duration;

use app::server::repo::Backend;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::error::ServerError;

/// The SQLite migrations compiled into the binary.
pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
/// The PostgreSQL migrations compiled into the binary.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The settings every SQLite connection gets (WAL persists in the file; the rest is per
/// connection).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;";

/// Opens the database at `url` and brings its schema up to date. On PostgreSQL the
/// migrator holds an advisory lock while it runs, so nodes starting at once migrate one
/// after the other.
pub async fn connect(url: &str) -> Result<AnyPool, ServerError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::from_scheme(url.split(':').next().unwrap_or_default());
    let url = match backend {
        Backend::Sqlite => sqlite_create_if_missing(url),
        Backend::Postgres => url.to_string(),
    };
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(SQLITE_PRAGMAS).await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    match backend {
        Backend::Sqlite => SQLITE_MIGRATOR.run(&pool).await?,
        Backend::Postgres => POSTGRES_MIGRATOR.run(&pool).await?,
    }
    Ok(pool)
}

/// Creates an empty database named `name` on the PostgreSQL server of `server_url` (any
/// database of it, e.g. `…/postgres`) and returns the new database's URL. For the tests
/// and benchmarks, which get a database each.
pub async fn create_postgres_database(server_url: &str, name: &str) -> Result<String, ServerError> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(server_url).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    let mut url = url::Url::parse(server_url)
        .map_err(|error| ServerError::Config(format!("not a database URL: {error}")))?;
    url.set_path(name);
    Ok(url.to_string())
}

/// `url` without its password, for the log.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Only URLs that cannot have a password refuse one.
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// `url` with `mode=rwc` (read, write, create) unless it names a mode: a new data
/// directory gets its database file. In-memory URLs are left as they are.
fn sqlite_create_if_missing(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_file_is_created_unless_the_url_says_otherwise() {
        assert_eq!(
            sqlite_create_if_missing("sqlite:///data/fleetdesk.db"),
            "sqlite:///data/fleetdesk.db?mode=rwc"
        );
        assert_eq!(
            sqlite_create_if_missing("sqlite:///d.db?cache=shared"),
            "sqlite:///d.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            sqlite_create_if_missing("sqlite:///d.db?mode=ro"),
            "sqlite:///d.db?mode=ro"
        );
        assert_eq!(
            sqlite_create_if_missing("sqlite::memory:"),
            "sqlite::memory:"
        );
    }

    #[test]
    fn the_log_never_shows_a_database_password() {
        assert_eq!(
            redacted("postgres://fleetdesk:s3cret@db.internal:5432/fleetdesk"),
            "postgres://fleetdesk:redacted@db.internal:5432/fleetdesk"
        );
        assert_eq!(redacted("sqlite:///data/f.db"), "sqlite:///data/f.db");
    }
}
