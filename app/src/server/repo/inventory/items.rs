//! The small resources (directories, bundles, images, IP groups, aliases, applications)
//! kept whole as JSON in `inventory_items`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{AnyConnection, AnyPool};

use super::{ItemKind, now, write};
use crate::server::repo::Backend;

/// Serialises a model value; these are plain structs, so failure is impossible in
/// practice, and an empty object is the harmless fallback.
pub(super) fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string())
}

/// Replaces the stored items of one kind in one account and Region.
pub async fn replace_items<T: Serialize>(
    pool: &AnyPool,
    (account, region): (&str, &str),
    kind: ItemKind,
    items: &[(String, T)],
    at: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    sqlx::query("DELETE FROM inventory_items WHERE account = $1 AND region = $2 AND kind = $3")
        .bind(account)
        .bind(region)
        .bind(kind.as_str())
        .execute(&mut *tx)
        .await?;
    for (id, item) in items {
        sqlx::query(
            "INSERT INTO inventory_items (account, region, kind, id, json, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(account)
        .bind(region)
        .bind(kind.as_str())
        .bind(id)
        .bind(to_json(item))
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Stores (or replaces) one item, inside the caller's transaction.
pub async fn put_item<T: Serialize>(
    conn: &mut AnyConnection,
    account: &str,
    region: &str,
    kind: ItemKind,
    id: &str,
    item: &T,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO inventory_items (account, region, kind, id, json, synced_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account, region, kind, id) \
         DO UPDATE SET json = excluded.json, synced_at = excluded.synced_at",
    )
    .bind(account)
    .bind(region)
    .bind(kind.as_str())
    .bind(id)
    .bind(to_json(item))
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes one item, inside the caller's transaction.
pub async fn delete_item(
    conn: &mut AnyConnection,
    account: &str,
    region: &str,
    kind: ItemKind,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM inventory_items WHERE account = $1 AND region = $2 AND kind = $3 AND id = $4",
    )
    .bind(account)
    .bind(region)
    .bind(kind.as_str())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every stored item of one kind, by account, Region and id, each with its `account`
/// field set from the row. Rows that no longer parse (after a model change) are skipped
/// with a warning; the next sync rewrites them.
pub async fn items<T: DeserializeOwned>(
    pool: &AnyPool,
    kind: ItemKind,
) -> Result<Vec<T>, sqlx::Error> {
    let json = Backend::of(pool).json_with("json", "account", "account");
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT id, {json} FROM inventory_items WHERE kind = $1 ORDER BY account, region, id"
    ))
    .bind(kind.as_str())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, json)| match serde_json::from_str(&json) {
            Ok(item) => Some(item),
            Err(error) => {
                tracing::warn!(%id, kind = kind.as_str(), "unreadable cached item: {error}");
                None
            }
        })
        .collect())
}
