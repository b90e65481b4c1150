//! Tags of WorkSpaces as the cache holds them.

use sqlx::{SqliteConnection, SqlitePool};

use crate::model::Tag;

use super::write;

/// Replaces the tags of one WorkSpace and notes when they were loaded.
pub async fn store_tags(
    pool: &SqlitePool,
    workspace_id: &str,
    tags: &[Tag],
    at: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    sqlx::query("DELETE FROM workspace_tags WHERE workspace_id = ?")
        .bind(workspace_id)
        .execute(&mut *tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO workspace_tags (workspace_id, key, value) VALUES (?, ?, ?)")
            .bind(workspace_id)
            .bind(&tag.key)
            .bind(&tag.value)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE workspaces SET tags_loaded_at = ? WHERE id = ?")
        .bind(at)
        .bind(workspace_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Applies a tag edit AWS accepted to a WorkSpace's cached tags: set keys are written
/// (or overwritten), removed keys deleted, the others kept.
pub async fn edit_tags(
    conn: &mut SqliteConnection,
    workspace_id: &str,
    edit: &crate::model::TagEdit,
) -> Result<(), sqlx::Error> {
    for tag in &edit.set {
        sqlx::query(
            "INSERT INTO workspace_tags (workspace_id, key, value) VALUES (?, ?, ?) \
             ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(workspace_id)
        .bind(&tag.key)
        .bind(&tag.value)
        .execute(&mut *conn)
        .await?;
    }
    for key in &edit.remove {
        sqlx::query("DELETE FROM workspace_tags WHERE workspace_id = ? AND key = ?")
            .bind(workspace_id)
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// WorkSpaces (id, account, Region) whose tags were never loaded (first, oldest
/// WorkSpace first) or were loaded before `loaded_before` (oldest load first).
pub async fn workspaces_needing_tags(
    pool: &SqlitePool,
    loaded_before: &str,
    limit: usize,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account, region FROM ( \
           SELECT id, account, region, 0 AS rank, first_seen_at AS since FROM workspaces \
           WHERE tags_loaded_at IS NULL AND removed_at IS NULL \
           UNION ALL \
           SELECT id, account, region, 1, tags_loaded_at FROM workspaces \
           WHERE tags_loaded_at < ? AND removed_at IS NULL) \
         ORDER BY rank, since, id LIMIT ?",
    )
    .bind(loaded_before)
    .bind(limit as i64)
    .fetch_all(pool)
    .await
}
