//! Tags of WorkSpaces as the cache holds them.

use sqlx::{AnyConnection, AnyPool};

use crate::model::Tag;
use crate::server::aws::TaggedWorkspace;

use super::write;

/// Replaces the tags of one WorkSpace and notes when they were loaded.
pub async fn store_tags(
    pool: &AnyPool,
    workspace_id: &str,
    tags: &[Tag],
    at: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    replace_tags(&mut tx, workspace_id, tags, at).await?;
    tx.commit().await
}

/// Stores one page of a Region's tag listing: each listed WorkSpace's tags replaced
/// and noted as loaded `at` (WorkSpaces the cache does not hold yet are left out).
pub async fn store_tag_listing(
    pool: &AnyPool,
    listed: &[TaggedWorkspace],
    at: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    for workspace in listed {
        replace_tags(&mut tx, &workspace.workspace_id, &workspace.tags, at).await?;
    }
    tx.commit().await
}

/// After a complete tag listing of a place that started `at`: the WorkSpaces it did not
/// list have no tags. Those whose tags were loaded (or edited) since are left alone.
pub async fn clear_unlisted_tags(
    pool: &AnyPool,
    (account, region): (&str, &str),
    at: &str,
) -> Result<u64, sqlx::Error> {
    const UNLISTED: &str = "SELECT id FROM workspaces WHERE account = $1 AND region = $2 \
         AND removed_at IS NULL AND (tags_loaded_at IS NULL OR tags_loaded_at < $3)";
    let mut tx = write(pool).await?;
    sqlx::query(&format!(
        "DELETE FROM workspace_tags WHERE workspace_id IN ({UNLISTED})"
    ))
    .bind(account)
    .bind(region)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let cleared = sqlx::query(&format!(
        "UPDATE workspaces SET tags_loaded_at = $3 WHERE id IN ({UNLISTED})"
    ))
    .bind(account)
    .bind(region)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(cleared)
}

/// Replaces the tags of one cached WorkSpace (none when the cache does not hold it).
async fn replace_tags(
    conn: &mut AnyConnection,
    workspace_id: &str,
    tags: &[Tag],
    at: &str,
) -> Result<(), sqlx::Error> {
    let cached = sqlx::query("UPDATE workspaces SET tags_loaded_at = $1 WHERE id = $2")
        .bind(at)
        .bind(workspace_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if cached == 0 {
        return Ok(());
    }
    sqlx::query("DELETE FROM workspace_tags WHERE workspace_id = $1")
        .bind(workspace_id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO workspace_tags (workspace_id, key, value) VALUES ($1, $2, $3)")
            .bind(workspace_id)
            .bind(&tag.key)
            .bind(&tag.value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Applies a tag edit AWS accepted `at` to a WorkSpace's cached tags: set keys are
/// written (or overwritten), removed keys deleted, the others kept. Tags that were
/// loaded count as loaded `at`, so a tag listing already under way keeps the edit.
pub async fn edit_tags(
    conn: &mut AnyConnection,
    workspace_id: &str,
    edit: &crate::model::TagEdit,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workspaces SET tags_loaded_at = $1 WHERE id = $2 AND tags_loaded_at IS NOT NULL",
    )
    .bind(at)
    .bind(workspace_id)
    .execute(&mut *conn)
    .await?;
    for tag in &edit.set {
        sqlx::query(
            "INSERT INTO workspace_tags (workspace_id, key, value) VALUES ($1, $2, $3) \
             ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(workspace_id)
        .bind(&tag.key)
        .bind(&tag.value)
        .execute(&mut *conn)
        .await?;
    }
    for key in &edit.remove {
        sqlx::query("DELETE FROM workspace_tags WHERE workspace_id = $1 AND key = $2")
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
    pool: &AnyPool,
    loaded_before: &str,
    limit: usize,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account, region FROM ( \
           SELECT id, account, region, 0 AS rank, first_seen_at AS since FROM workspaces \
           WHERE tags_loaded_at IS NULL AND removed_at IS NULL \
           UNION ALL \
           SELECT id, account, region, 1, tags_loaded_at FROM workspaces \
           WHERE tags_loaded_at < $1 AND removed_at IS NULL) AS due \
         ORDER BY rank, since, id LIMIT $2",
    )
    .bind(loaded_before)
    .bind(limit as i64)
    .fetch_all(pool)
    .await
}
