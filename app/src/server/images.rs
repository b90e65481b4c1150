//! Changing images (admin): share with or unshare from an AWS account, delete. A delete
//! is refused while a cached bundle uses the image. Audited like every change.

use serde_json::json;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{Bundle, Image, Role, UserInfo};
use crate::server::auth::Client;
use crate::server::aws::{ImageChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item};
use crate::server::repo::audit::NewEntry;
use crate::server::repo::inventory::{self, ItemKind};

/// Checks an AWS account id: exactly 12 digits.
pub fn validate_account(account: &str) -> Result<String, AppError> {
    let account = account.trim();
    if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) {
        Ok(account.to_string())
    } else {
        Err(AppError::Validation {
            field: "account".into(),
            message: format!("{account:?} is not an AWS account id (12 digits)"),
        })
    }
}

/// Shares (`share`), unshares or deletes (`delete`) an image; returns what was done.
pub async fn apply(
    pool: &SqlitePool,
    regions: &[std::sync::Arc<dyn WorkspacesApi>],
    user: &UserInfo,
    client: &Client,
    op: &str,
    image_id: &str,
    account: &str,
) -> Result<String, AppError> {
    if user.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let images: Vec<Image> = inventory::items(pool, ItemKind::Image).await?;
    let mut image = images
        .into_iter()
        .find(|i| i.id == image_id)
        .ok_or_else(|| AppError::NotFound(format!("image {image_id}")))?;
    let api = regions
        .iter()
        .find(|api| api.region() == image.region)
        .ok_or_else(|| AppError::Validation {
            field: "region".into(),
            message: format!("{} is not configured", image.region),
        })?;
    let (change, action, done) = match op {
        "share" | "unshare" => {
            let account = validate_account(account)?;
            let allow = op == "share";
            if allow == image.shared_with.contains(&account) {
                let state = if allow {
                    "already shared with"
                } else {
                    "not shared with"
                };
                return Err(AppError::Validation {
                    field: "account".into(),
                    message: format!("{} is {state} {account}", image.name),
                });
            }
            if allow {
                image.shared_with.push(account.clone());
            } else {
                image.shared_with.retain(|a| *a != account);
            }
            let verb = if allow { "Shared" } else { "Unshared" };
            let done = format!("{verb} {} with {account}", image.name);
            (
                ImageChange::Share {
                    image_id: image_id.into(),
                    account_id: account,
                    allow,
                },
                format!("image.{op}"),
                done,
            )
        }
        "delete" => {
            let bundles: Vec<Bundle> = inventory::items(pool, ItemKind::Bundle).await?;
            let users: Vec<String> = bundles
                .into_iter()
                .filter(|b| b.image_id.as_deref() == Some(image_id))
                .map(|b| format!("{} ({})", b.name, b.id))
                .collect();
            if !users.is_empty() {
                return Err(AppError::Validation {
                    field: "image".into(),
                    message: format!(
                        "{} is used by the bundle(s) {}; delete or update them first",
                        image.name,
                        users.join(", ")
                    ),
                });
            }
            (
                ImageChange::Delete {
                    image_id: image_id.into(),
                },
                "image.delete".to_string(),
                format!("Deleted {}", image.name),
            )
        }
        other => {
            return Err(AppError::Validation {
                field: "op".into(),
                message: format!("unknown change {other}"),
            });
        }
    };
    let entry = NewEntry {
        action,
        params: json!({ "image": image.name, "account": account.trim() }),
        reason: None,
    };
    let actor = client.actor(Some(user), &user.name);
    let region = image.region.clone();
    let deleted = op == "delete";
    audited(
        pool,
        &actor,
        entry,
        &region,
        image_id,
        api.change_image(&change),
        move |_| {
            let ops = if deleted {
                vec![CacheOp::Delete {
                    region: image.region.clone(),
                    kind: ItemKind::Image,
                    id: image.id.clone(),
                }]
            } else {
                vec![CacheOp::Put {
                    region: image.region.clone(),
                    kind: ItemKind::Image,
                    id: image.id.clone(),
                    item: item(&image),
                }]
            };
            (image.id.clone(), ops)
        },
    )
    .await?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::validate_account;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert_eq!(
            validate_account(" 123456789012 ").ok(),
            Some("123456789012".into())
        );
        assert!(validate_account("12345678901").is_err());
        assert!(validate_account("1234567890123").is_err());
        assert!(validate_account("12345678901a").is_err());
    }
}
