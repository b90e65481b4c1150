//! Helpers shared by the integration tests: a demo-fleet `AppState` on a fresh database.

use std::sync::Arc;

use app::server::state::AppState;
use leptos::config::LeptosOptions;

/// The state `fleetdesk serve --demo` runs with, on a database file inside `dir`.
pub async fn demo_state(dir: &tempfile::TempDir) -> AppState {
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = server::db::connect(&url).await.expect("database");
    let regions = server::demo::demo_clients().await.expect("demo fleet");
    AppState {
        pool,
        regions: Arc::new(regions),
        demo: true,
        leptos_options: LeptosOptions::builder().output_name("fleetdesk").build(),
    }
}
