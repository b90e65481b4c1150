//! The audit guarantees for changes to directories, images, bundles and IP groups, in
//! one place: the entry is committed `pending` before AWS is called, and its outcome is
//! written in the same transaction as the cache update (see also [`crate::server::actions`]).

use std::sync::Arc;

use serde_json::Value;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::server::aws::{WorkspacesApi, WorkspacesError};
use crate::server::repo::audit::{self, Actor, NewEntry, TargetOutcome};
use crate::server::repo::inventory::{self, ItemKind};

/// One change to the cached items, applied once AWS has accepted the change.
pub enum CacheOp {
    Put {
        region: String,
        kind: ItemKind,
        id: String,
        item: Value,
    },
    Delete {
        region: String,
        kind: ItemKind,
        id: String,
    },
}

/// Runs `call` under an audit entry. `on_success` names the target (e.g. the id AWS
/// gave a new group) and the cache changes; on failure the target is `target`.
pub async fn audited<T, Fut>(
    pool: &SqlitePool,
    actor: &Actor,
    entry: NewEntry,
    region: &str,
    target: &str,
    call: Fut,
    on_success: impl FnOnce(&T) -> (String, Vec<CacheOp>),
) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, WorkspacesError>>,
{
    let audit_id = {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = audit::begin(&mut tx, actor, &entry).await?;
        tx.commit().await?;
        id
    };
    let answer = call.await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (target, outcome, error) = match &answer {
        Ok(value) => {
            let (target, ops) = on_success(value);
            for op in ops {
                match op {
                    CacheOp::Put {
                        region,
                        kind,
                        id,
                        item,
                    } => inventory::put_item(&mut tx, &region, kind, &id, &item).await?,
                    CacheOp::Delete { region, kind, id } => {
                        inventory::delete_item(&mut tx, &region, kind, &id).await?
                    }
                }
            }
            (target, "succeeded", None)
        }
        Err(error) => (target.to_string(), "failed", Some(error.clone())),
    };
    let targets = [TargetOutcome {
        target,
        region: Some(region.to_string()),
        outcome: outcome.into(),
        error_code: error.as_ref().map(|e| e.code.clone()),
        error_message: error.as_ref().map(|e| e.message.clone()),
        request_id: None,
    }];
    audit::finish(&mut tx, audit_id, outcome, None, &targets).await?;
    tx.commit().await?;
    answer.map_err(AppError::from)
}

/// The client of a configured Region, or a validation error naming the Region.
pub fn region_api(
    regions: &[Arc<dyn WorkspacesApi>],
    region: &str,
) -> Result<Arc<dyn WorkspacesApi>, AppError> {
    regions
        .iter()
        .find(|api| api.region() == region)
        .cloned()
        .ok_or_else(|| AppError::Validation {
            field: "region".into(),
            message: format!("{region} is not configured"),
        })
}

/// A model value as the JSON the cache stores.
pub fn item<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
