//! Helpers shared by the integration tests: a demo-fleet `AppState` on a fresh database.

use std::sync::Arc;
use std::time::Duration;

use app::server::state::AppState;
use app::server::sync::{SyncHandle, SyncSettings, sync_all};
use leptos::config::LeptosOptions;

/// The state `fleetdesk serve --demo` runs with, on a database file inside `dir`,
/// after one full sync of the demo fleet.
pub async fn demo_state(dir: &tempfile::TempDir) -> AppState {
    let regions = server::demo::demo_clients().await.expect("demo fleet");
    state_over(dir, regions).await
}

/// The same over the demo overlay, which answers what the emulator lacks (BYOL,
/// standby, snapshots), as `serve --demo` does.
pub async fn demo_overlay_state(dir: &tempfile::TempDir) -> AppState {
    let regions = server::demo::demo_fleet().await.expect("demo fleet");
    state_over(dir, regions).await
}

async fn state_over(
    dir: &tempfile::TempDir,
    regions: Vec<Arc<dyn app::server::aws::WorkspacesApi>>,
) -> AppState {
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = server::db::connect(&url).await.expect("database");
    key_audit_chain();
    let regions = Arc::new(regions);
    let sync = SyncHandle::default();
    sync_all(&pool, &regions, &sync, &SyncSettings::default())
        .await
        .expect("no sync running");
    AppState {
        pool,
        regions,
        sync,
        login_guard: Default::default(),
        absolute_timeout: Duration::from_secs(3600),
        idle_timeout: Duration::from_secs(1800),
        secure_cookies: false,
        demo: true,
        request_timeout: Duration::from_secs(30),
        trusted_proxies: Vec::new(),
        audit_verified: Default::default(),
        leptos_options: LeptosOptions::builder().output_name("fleetdesk").build(),
    }
}

/// Keys the audit chain as `serve` does from its key file. The key is one for the whole
/// test process: every test that writes audit entries sets it before its first entry, so
/// no chain is left half plain, half keyed when tests run side by side.
pub fn key_audit_chain() {
    app::server::repo::audit::set_chain_key(b"fleetdesk integration tests".to_vec(), 1);
}

/// A signed-in user with `role`, named after it (`admin-user`, …).
pub fn user(role: app::model::Role) -> app::model::UserInfo {
    app::model::UserInfo {
        id: 1,
        name: format!("{role}-user"),
        role,
        disabled: false,
    }
}
