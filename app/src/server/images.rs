//! Changing images (admin): share with or unshare from an AWS account, copy to another
//! configured Region, delete. A delete is refused while a cached bundle uses the image.
//! Audited like every change.

use serde_json::json;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{Bundle, Image, Role, UserInfo};
use crate::server::auth::Client;
use crate::server::aws::{ImageChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item, region_api};
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

/// One image change as an admin asked for it.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageEdit {
    Share {
        image_id: String,
        account: String,
    },
    Unshare {
        image_id: String,
        account: String,
    },
    Delete {
        image_id: String,
    },
    /// Copy to `destination` (another configured Region) under `name`.
    Copy {
        image_id: String,
        destination: String,
        name: String,
        description: String,
    },
}

/// Checks a name for a copied image: 1–64 letters, digits and `_ . / ( ) -`.
pub fn validate_image_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_./()-".contains(c);
    if !name.is_empty() && name.len() <= 64 && name.chars().all(allowed) {
        Ok(name.to_string())
    } else {
        Err(AppError::Validation {
            field: "name".into(),
            message: format!(
                "{name:?} is not an image name (1–64 letters, digits and _ . / ( ) -)"
            ),
        })
    }
}

/// Checks an image description: at most 256 letters, digits, spaces and `_ . / ( ) -`.
fn validate_image_description(description: &str) -> Result<Option<String>, AppError> {
    let description = description.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_./() -".contains(c);
    if description.is_empty() {
        Ok(None)
    } else if description.len() <= 256 && description.chars().all(allowed) {
        Ok(Some(description.to_string()))
    } else {
        Err(AppError::Validation {
            field: "description".into(),
            message: "at most 256 letters, digits, spaces and _ . / ( ) -".into(),
        })
    }
}

fn invalid(field: &str, message: String) -> AppError {
    AppError::Validation {
        field: field.into(),
        message,
    }
}

/// Applies one image change; returns what was done.
pub async fn apply(
    pool: &SqlitePool,
    regions: &[std::sync::Arc<dyn WorkspacesApi>],
    user: &UserInfo,
    client: &Client,
    edit: ImageEdit,
) -> Result<String, AppError> {
    if user.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let image_id = match &edit {
        ImageEdit::Share { image_id, .. }
        | ImageEdit::Unshare { image_id, .. }
        | ImageEdit::Delete { image_id }
        | ImageEdit::Copy { image_id, .. } => image_id.clone(),
    };
    let images: Vec<Image> = inventory::items(pool, ItemKind::Image).await?;
    let mut image = images
        .iter()
        .find(|i| i.id == image_id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("image {image_id}")))?;
    // What to send, the audit entry, the message, and what the cache holds afterwards
    // (`None`: the image is gone). A copy caches a new image under the id AWS returns.
    let allow = matches!(edit, ImageEdit::Share { .. });
    let (api, change, entry, done, cached) = match edit {
        ImageEdit::Share { account, .. } | ImageEdit::Unshare { account, .. } => {
            let account = validate_account(&account)?;
            if allow && image.owner_account_id.as_deref() == Some(account.as_str()) {
                return Err(invalid(
                    "account",
                    format!("{account} owns {}; share with another account", image.name),
                ));
            }
            if allow == image.shared_with.contains(&account) {
                let state = if allow {
                    "already shared with"
                } else {
                    "not shared with"
                };
                return Err(invalid(
                    "account",
                    format!("{} is {state} {account}", image.name),
                ));
            }
            if allow {
                image.shared_with.push(account.clone());
            } else {
                image.shared_with.retain(|a| *a != account);
            }
            let (verb, action) = if allow {
                ("Shared", "image.share")
            } else {
                ("Unshared", "image.unshare")
            };
            let done = format!("{verb} {} with {account}", image.name);
            let entry = NewEntry {
                action: action.into(),
                params: json!({ "image": image.name, "account": account }),
                reason: None,
            };
            (
                region_api(regions, &image.region)?,
                ImageChange::Share {
                    image_id: image_id.clone(),
                    account_id: account,
                    allow,
                },
                entry,
                done,
                Some(image.clone()),
            )
        }
        ImageEdit::Delete { .. } => {
            let bundles: Vec<Bundle> = inventory::items(pool, ItemKind::Bundle).await?;
            let users: Vec<String> = bundles
                .into_iter()
                .filter(|b| b.image_id.as_deref() == Some(image_id.as_str()))
                .map(|b| format!("{} ({})", b.name, b.id))
                .collect();
            if !users.is_empty() {
                return Err(invalid(
                    "image",
                    format!(
                        "{} is used by the bundle(s) {}; delete or update them first",
                        image.name,
                        users.join(", ")
                    ),
                ));
            }
            let entry = NewEntry {
                action: "image.delete".into(),
                params: json!({ "image": image.name }),
                reason: None,
            };
            (
                region_api(regions, &image.region)?,
                ImageChange::Delete {
                    image_id: image_id.clone(),
                },
                entry,
                format!("Deleted {}", image.name),
                None,
            )
        }
        ImageEdit::Copy {
            destination,
            name,
            description,
            ..
        } => {
            let name = validate_image_name(&name)?;
            let description = validate_image_description(&description)?;
            let api = region_api(regions, &destination)?;
            if destination == image.region {
                return Err(invalid(
                    "destination",
                    format!(
                        "{} is already in {destination}; choose another Region",
                        image.name
                    ),
                ));
            }
            if image.state.as_deref() != Some("AVAILABLE") {
                return Err(invalid(
                    "image",
                    format!(
                        "{} is {}; only AVAILABLE images can be copied",
                        image.name,
                        image.state.clone().unwrap_or_default()
                    ),
                ));
            }
            if images
                .iter()
                .any(|i| i.region == destination && i.name == name)
            {
                return Err(invalid(
                    "name",
                    format!("{destination} already has an image named {name}"),
                ));
            }
            let entry = NewEntry {
                action: "image.copy".into(),
                params: json!({
                    "image": image.name,
                    "source_region": image.region,
                    "destination": destination,
                    "name": name,
                    "description": description,
                }),
                reason: None,
            };
            let done = format!(
                "Copying {} to {destination} as {name}; the copy is PENDING until AWS finishes it",
                image.name
            );
            let copy = Image {
                id: String::new(),
                region: destination,
                name: name.clone(),
                description: description.clone(),
                state: Some("PENDING".into()),
                shared_with: Vec::new(),
                created: None,
                error: None,
                ..image.clone()
            };
            (
                api,
                ImageChange::Copy {
                    source_region: image.region.clone(),
                    source_image_id: image_id.clone(),
                    name,
                    description,
                },
                entry,
                done,
                Some(copy),
            )
        }
    };
    let actor = client.actor(Some(user), &user.name);
    let region = api.region().to_string();
    let (source_region, source_id) = (image.region.clone(), image_id.clone());
    audited(
        pool,
        &actor,
        entry,
        &region,
        &image_id,
        api.change_image(&change),
        move |new_id: &Option<String>| {
            let ops = match cached {
                // A copy: cached under its new id once AWS has given one.
                Some(mut copy) if copy.id.is_empty() => match new_id {
                    Some(new_id) => {
                        copy.id = new_id.clone();
                        vec![CacheOp::Put {
                            region: copy.region.clone(),
                            kind: ItemKind::Image,
                            id: copy.id.clone(),
                            item: item(&copy),
                        }]
                    }
                    None => Vec::new(),
                },
                Some(image) => vec![CacheOp::Put {
                    region: image.region.clone(),
                    kind: ItemKind::Image,
                    id: image.id.clone(),
                    item: item(&image),
                }],
                None => vec![CacheOp::Delete {
                    region: source_region,
                    kind: ItemKind::Image,
                    id: source_id.clone(),
                }],
            };
            (new_id.clone().unwrap_or(source_id), ops)
        },
    )
    .await?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::{validate_account, validate_image_name};

    #[test]
    fn image_names_use_the_apis_characters() {
        assert_eq!(
            validate_image_name(" Win11-base_v2.1 ").ok(),
            Some("Win11-base_v2.1".into())
        );
        assert!(validate_image_name("").is_err());
        assert!(validate_image_name("has space").is_err());
        assert!(validate_image_name(&"a".repeat(65)).is_err());
    }

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
