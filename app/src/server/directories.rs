//! Changing directories (admin): register, deregister (refused while WorkSpaces use the
//! directory), self-service permissions, WorkSpace creation properties and access
//! properties (client platforms). Audited like every change, with before and after.

use serde_json::json;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{CreationProperties, Directory, Role, SelfService, UserInfo};
use crate::server::auth::Client;
use crate::server::aws::{DirectoryChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item, region_api};
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
                security_group_id: None,
                tenancy: None,
                creation: None,
                access: None,
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
        DirectoryChange::SetCreationProperties {
            directory_id,
            properties,
        } => {
            let mut directory = known(directory_id)
                .ok_or_else(|| AppError::NotFound(format!("directory {directory_id}")))?;
            validate_creation(properties)?;
            let after = properties.sent_over(&directory.creation.clone().unwrap_or_default());
            let params =
                json!({ "directory": directory.id, "before": directory.creation, "after": after });
            directory.creation = Some(after);
            (
                directory.id.clone(),
                "directory.creation_properties",
                params,
                Some(directory),
            )
        }
        DirectoryChange::SetAccessProperties {
            directory_id,
            access,
        } => {
            let mut directory = known(directory_id)
                .ok_or_else(|| AppError::NotFound(format!("directory {directory_id}")))?;
            if access.denies_everyone() {
                return Err(AppError::Validation {
                    field: "access".into(),
                    message: "allow at least one client platform (or its trusted devices), or nobody can connect".into(),
                });
            }
            let params =
                json!({ "directory": directory.id, "before": directory.access, "after": access });
            directory.access = Some(*access);
            (
                directory.id.clone(),
                "directory.access_properties",
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
    let api = region_api(regions, &region)?;
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

/// Checks the text fields of new creation properties (`None` fields are not sent).
pub fn validate_creation(properties: &CreationProperties) -> Result<(), AppError> {
    let invalid = |field: &str, message: String| AppError::Validation {
        field: field.into(),
        message,
    };
    if let Some(ou) = &properties.default_ou {
        let parts_ok = ou.split(',').all(|part| {
            part.split_once('=').is_some_and(|(key, value)| {
                !key.trim().is_empty()
                    && key.trim().chars().all(|c| c.is_ascii_alphabetic())
                    && !value.trim().is_empty()
            })
        });
        if !parts_ok {
            return Err(invalid(
                "default_ou",
                format!("{ou:?} is not a distinguished name like OU=WorkSpaces,DC=corp,DC=example"),
            ));
        }
    }
    if let Some(group) = &properties.custom_security_group_id {
        let hex = group.strip_prefix("sg-").unwrap_or("");
        let ok = (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(invalid(
                "custom_security_group_id",
                format!("{group:?} is not a security group id (sg- and 8 or 17 hex digits)"),
            ));
        }
    }
    if let Some(arn) = &properties.instance_iam_role_arn {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let ok = parts.len() == 6
            && parts[0] == "arn"
            && parts[1].starts_with("aws")
            && parts[2] == "iam"
            && parts[3].is_empty()
            && parts[4].len() == 12
            && parts[4].chars().all(|c| c.is_ascii_digit())
            && parts[5]
                .strip_prefix("role/")
                .is_some_and(|name| !name.is_empty());
        if !ok {
            return Err(invalid(
                "instance_iam_role_arn",
                format!("{arn:?} is not an IAM role ARN (arn:aws:iam::123456789012:role/name)"),
            ));
        }
    }
    Ok(())
}

/// Creation properties from a form: boxes named in `checked` are on; blank text fields
/// become `None` (not sent).
pub fn creation_from(
    checked: &[String],
    default_ou: &str,
    security_group: &str,
    iam_role: &str,
) -> CreationProperties {
    let on = |name: &str| checked.iter().any(|f| f == name);
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    CreationProperties {
        enable_internet_access: on("enable_internet_access"),
        user_enabled_as_local_administrator: on("user_enabled_as_local_administrator"),
        enable_maintenance_mode: on("enable_maintenance_mode"),
        default_ou: text(default_ou),
        custom_security_group_id: text(security_group),
        instance_iam_role_arn: text(iam_role),
    }
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
    fn creation_properties_text_fields_are_checked() {
        let good = creation_from(
            &["enable_internet_access".into()],
            "OU=WorkSpaces,DC=corp,DC=example",
            "sg-0123456789abcdef0",
            "arn:aws:iam::123456789012:role/workspaces-instance",
        );
        assert!(good.enable_internet_access && !good.enable_maintenance_mode);
        assert_eq!(validate_creation(&good), Ok(()));
        let blank = creation_from(&[], " ", "", "");
        assert_eq!(blank.default_ou, None);
        assert_eq!(validate_creation(&blank), Ok(()));
        for (ou, group, role) in [
            ("WorkSpaces", "", ""),
            ("OU=,DC=corp", "", ""),
            ("", "sg-123", ""),
            ("", "sg-0123456789abcdefg", ""),
            ("", "", "arn:aws:iam::12345:role/x"),
            ("", "", "arn:aws:iam::123456789012:user/x"),
        ] {
            let bad = creation_from(&[], ou, group, role);
            assert!(validate_creation(&bad).is_err(), "{ou} {group} {role}");
        }
    }

    #[test]
    fn unchecked_boxes_are_off() {
        let permissions = self_service_from(&["restart".into(), "rebuild".into()]);
        assert!(permissions.restart && permissions.rebuild && !permissions.switch_running_mode);
    }
}
