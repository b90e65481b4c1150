//! The migrations on a fresh SQLite file, and the connection settings Fleetdesk relies on.

#[tokio::test]
async fn migrations_create_the_schema_on_a_fresh_file_and_rerun_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub").join("fresh.db");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let url = format!("sqlite://{}", path.display());

    let pool = server::db::connect(&url).await.expect("first start");
    assert!(path.exists(), "the database file is created");
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&pool)
            .await
            .expect("tables");
    for table in [
        "workspaces",
        "workspace_state_changes",
        "workspace_tags",
        "sync_status",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "{table} missing from {tables:?}"
        );
    }
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .expect("mode");
    assert_eq!(mode, "wal");
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .expect("timeout");
    assert!(timeout >= 1000, "busy timeout {timeout} ms");
    pool.close().await;

    // A second start on the same file finds every migration applied.
    let pool = server::db::connect(&url).await.expect("second start");
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(applied as usize, server::db::SQLITE_MIGRATOR.iter().count());
}
