//! Helpers shared by the integration tests: a demo-fleet `AppState` on a fresh database.
//!
//! The database is a SQLite file in the test's directory, or, when
//! `FLEETDESK_TEST_POSTGRES` names a PostgreSQL server (`scripts/test.sh` starts a
//! throwaway cluster and runs the tests once more with it), a new database on that server
//! for each test: every test that opens its database here runs on both backends.

use std::sync::Arc;
use std::time::Duration;

use app::server::state::AppState;
use app::server::sync::{SyncHandle, SyncSettings, sync_all};
use leptos::config::LeptosOptions;

/// The state `fleetdesk serve --demo` runs with, on a database file inside `dir`,
/// after one full sync of the demo fleet.
pub async fn demo_state(dir: &tempfile::TempDir) -> AppState {
    let regions = server::demo::demo_clients().await.expect("demo fleet");
    state_over(dir, regions, &SyncSettings::default()).await
}

/// The same over the demo overlay, which answers what the emulator lacks (BYOL,
/// standby, snapshots), as `serve --demo` does.
pub async fn demo_overlay_state(dir: &tempfile::TempDir) -> AppState {
    let regions = server::demo::demo_fleet().await.expect("demo fleet");
    state_over(dir, regions, &SyncSettings::default()).await
}

/// The state over `regions`, synced once with `settings`.
pub async fn state_over(
    dir: &tempfile::TempDir,
    regions: Vec<Arc<dyn app::server::aws::WorkspacesApi>>,
    settings: &SyncSettings,
) -> AppState {
    let state = unsynced_state(dir, regions).await;
    sync_all(&state.pool, &state.workspaces, &state.sync, settings)
        .await
        .expect("no sync running");
    state
}

/// The state over `regions` on a fresh database, before any sync.
pub async fn unsynced_state(
    dir: &tempfile::TempDir,
    regions: Vec<Arc<dyn app::server::aws::WorkspacesApi>>,
) -> AppState {
    let pool = test_pool(dir, "test").await;
    load_chain_key();
    state_of(pool, regions)
}

/// The state over `pool` and `regions`, as `serve` builds it.
pub fn state_of(
    pool: sqlx::AnyPool,
    regions: Vec<Arc<dyn app::server::aws::WorkspacesApi>>,
) -> AppState {
    AppState {
        pool,
        workspaces: Arc::new(regions),
        health: app::server::health::Health::none(),
        cost: Default::default(),
        sync: SyncHandle::default(),
        leader: Default::default(),
        oidc: None,
        local_login: true,
        absolute_timeout: Duration::from_secs(3600),
        idle_timeout: Duration::from_secs(1800),
        secure_cookies: false,
        demo: true,
        request_timeout: Duration::from_secs(30),
        trusted_proxies: Vec::new(),
        audit_verified: Default::default(),
        metrics_token: Some(crate::http::METRICS_TOKEN.into()),
        leptos_options: LeptosOptions::builder().output_name("fleetdesk").build(),
    }
}

/// Loads the audit chain key, as `serve` does from its key file; one for the whole test
/// process. The key is process-wide: a test that writes audit entries and verifies the
/// chain loads it before its first entry, or its entries are unkeyed when no other test
/// happened to load it first, and its check fails once another test has.
pub fn load_chain_key() {
    app::server::repo::audit::set_chain_key(b"fleetdesk integration tests".to_vec(), 1);
}

/// A signed-in user with `role`, named after it (`admin-user`, …).
pub fn user(role: app::model::Role) -> app::model::UserInfo {
    app::model::UserInfo {
        id: 1,
        name: format!("{role}-user"),
        role,
        disabled: false,
        source: app::model::UserSource::Local,
        accounts: None,
    }
}

/// `user` calling the services over `state` from an unknown address, as a server
/// function would after its role check.
pub fn caller(state: &AppState, user: &app::model::UserInfo) -> app::server::caller::Caller {
    app::server::caller::Caller::new(state, user.clone(), Default::default())
}

/// The same for tests that hold a database and clients but no `AppState`.
pub fn caller_over(
    pool: &sqlx::AnyPool,
    regions: &[Arc<dyn app::server::aws::WorkspacesApi>],
    user: &app::model::UserInfo,
) -> app::server::caller::Caller {
    caller(&state_of(pool.clone(), regions.to_vec()), user)
}

/// Seconds since the epoch, now.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The PostgreSQL server the tests run against, if any (`FLEETDESK_TEST_POSTGRES`).
pub fn postgres_server() -> Option<String> {
    std::env::var("FLEETDESK_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The URL of a fresh database for one test: `name.db` in `dir`, or a new database on
/// the PostgreSQL server of [`postgres_server`].
pub async fn test_database_url(dir: &tempfile::TempDir, name: &str) -> String {
    match postgres_server() {
        Some(server) => new_postgres_database(&server).await,
        None => format!(
            "sqlite://{}",
            dir.path().join(format!("{name}.db")).display()
        ),
    }
}

/// A fresh, migrated database for one test (see [`test_database_url`]).
pub async fn test_pool(dir: &tempfile::TempDir, name: &str) -> sqlx::AnyPool {
    let url = test_database_url(dir, name).await;
    server::db::connect(&url).await.expect("database")
}

/// Creates an empty database on `server` (a URL ending in `/postgres`) and returns its URL.
pub async fn new_postgres_database(server: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("t{}_{n}", std::process::id());
    server::db::create_postgres_database(server, &name)
        .await
        .expect("a test database on the PostgreSQL test server")
}

/// Drops `trigger` of `table`, as someone who can write the database could (both
/// backends' syntax).
pub async fn drop_trigger(pool: &sqlx::AnyPool, trigger: &str, table: &str) {
    let sql = match postgres_server() {
        Some(_) => format!("DROP TRIGGER {trigger} ON {table}"),
        None => format!("DROP TRIGGER {trigger}"),
    };
    sqlx::query(&sql).execute(pool).await.expect("drop trigger");
}

/// Creates `trigger` on `table`, refusing every insert with `message` (a database that
/// fails writes).
pub async fn refuse_inserts(pool: &sqlx::AnyPool, trigger: &str, table: &str, message: &str) {
    let statements = match postgres_server() {
        Some(_) => vec![
            format!(
                "CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION '{message}'; END $$"
            ),
            format!(
                "CREATE TRIGGER {trigger} BEFORE INSERT ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {trigger}()"
            ),
        ],
        None => vec![format!(
            "CREATE TRIGGER {trigger} BEFORE INSERT ON {table} \
             BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )],
    };
    for sql in statements {
        sqlx::query(&sql)
            .execute(pool)
            .await
            .expect("create trigger");
    }
}
