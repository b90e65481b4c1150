//! Changing directories (admin): register, deregister (refused while WorkSpaces use the
//! directory), and self-service permissions. Audited like every change.

use serde_json::json;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{Directory, Role, SelfService, UserInfo};
use crate::server::auth::Client;
use crate::server::aws::{DirectoryChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item};
use crate::server::repo::audit::NewEntry;
use crate::server::repo::inventory::{self, ItemKind};

/// Checks a Directory Service id: `d-` and ten hexadecimal characters.
pub fn validate_directory_id(id: &str) -> Result<String, AppError> {
    let id = id.trim();
    let ok =
        id.len() == 12 && id.starts_with("d-") && id[2..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(id.to_lowercase())
    } else {
        Err(AppError::Validation {
            field: "directory_id".into(),
            message: format!("{id:?} is not a directory id (d- and 10 hex digits)"),
        })
    }
}

pub async fn apply(
    pool: &SqlitePool,
    regions: &[std::sync::Arc<dyn WorkspacesApi>],
    user: &UserInfo,
    client: &Client,
    region: &str,
    change: DirectoryChange,
) -> Result<String, AppError> {
    if user.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let directories: Vec<Directory> = inventory::items(pool, ItemKind::Directory).await?;
    let known = |id: &str| directories.iter().find(|d| d.id == id).cloned();
    let (directory_id, action, params, cached) = match &change {
        DirectoryChange::Register { directory_id } => {
            let id = validate_directory_id(directory_id)?;
            if known(&id).is_some() {
                return Err(AppError::Validation {
                    field: "directory_id".into(),
                    message: format!("{id} is already registered"),
                });
            }
            let directory = Directory {
                id: id.clone(),
                region: region.to_string(),
                alias: None,
                name: None,
                directory_type: None,
                state: Some("REGISTERING".into()),
                registration_code: None,
                dns_ip_addresses: Vec::new(),
                subnet_ids: Vec::new(),
                ip_group_ids: Vec::new(),
                self_service: None,
            };
            (
                id.clone(),
                "directory.register",
                json!({ "directory": id, "region": region }),
                Some(directory),
            )
        }
        DirectoryChange::Deregister { directory_id } => {
            let directory = known(directory_id)
                .ok_or_else(|| AppError::NotFound(format!("directory {directory_id}")))?;
            let in_use = inventory::count_by(pool, "directory_id")
                .await?
                .get(directory_id)
                .copied()
                .unwrap_or(0);
            if in_use > 0 {
                return Err(AppError::Validation {
                    field: "directory".into(),
                    message: format!(
                        "{in_use} WorkSpaces are in {directory_id}; terminate or move them first"
                    ),
                });
            }
            (
                directory.id.clone(),
                "directory.deregister",
                json!({ "directory": directory.id }),
                None,
            )
        }
        DirectoryChange::SetSelfService {
            directory_id,
            permissions,
        } => {
            let mut directory = known(directory_id)
                .ok_or_else(|| AppError::NotFound(format!("directory {directory_id}")))?;
            let params = json!({ "directory": directory.id, "before": directory.self_service, "after": permissions });
            directory.self_service = Some(*permissions);
            (
                directory.id.clone(),
                "directory.self_service",
                params,
                Some(directory),
            )
        }
    };
    let region = match &cached {
        Some(directory) => directory.region.clone(),
        None => known(&directory_id)
            .map(|d| d.region)
            .unwrap_or_else(|| region.to_string()),
    };
    let api = regions
        .iter()
        .find(|api| api.region() == region)
        .ok_or_else(|| AppError::Validation {
            field: "region".into(),
            message: format!("{region} is not configured"),
        })?;
    let entry = NewEntry {
        action: action.into(),
        params,
        reason: None,
    };
    let actor = client.actor(Some(user), &user.name);
    let cache_region = region.clone();
    let id = directory_id.clone();
    audited(
        pool,
        &actor,
        entry,
        &region,
        &directory_id,
        api.change_directory(&change),
        move |_| {
            let op = match cached {
                Some(directory) => CacheOp::Put {
                    region: cache_region,
                    kind: ItemKind::Directory,
                    id: id.clone(),
                    item: item(&directory),
                },
                None => CacheOp::Delete {
                    region: cache_region,
                    kind: ItemKind::Directory,
                    id: id.clone(),
                },
            };
            (id, vec![op])
        },
    )
    .await?;
    Ok(format!("Done: {action} {directory_id}"))
}

/// Self-service permissions from a form: a box is on when its field is present.
pub fn self_service_from(fields: &[String]) -> SelfService {
    let on = |name: &str| fields.iter().any(|f| f == name);
    SelfService {
        restart: on("restart"),
        increase_volume_size: on("increase_volume_size"),
        change_compute_type: on("change_compute_type"),
        switch_running_mode: on("switch_running_mode"),
        rebuild: on("rebuild"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_ids_are_d_and_ten_hex_digits() {
        assert_eq!(
            validate_directory_id(" d-93670C1E5A ").ok(),
            Some("d-93670c1e5a".into())
        );
        assert!(validate_directory_id("d-123").is_err());
        assert!(validate_directory_id("x-93670c1e5a").is_err());
        assert!(validate_directory_id("d-93670c1e5z").is_err());
    }

    #[test]
    fn unchecked_boxes_are_off() {
        let permissions = self_service_from(&["restart".into(), "rebuild".into()]);
        assert!(permissions.restart && permissions.rebuild && !permissions.switch_running_mode);
    }
}
