//! Changing custom bundles (admin): create from an image, point at a new image, delete
//! (refused while WorkSpaces use the bundle). Audited like every change.

use serde_json::json;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{BUNDLE_COMPUTE_TYPES, Bundle, Image, Role, UserInfo};
use crate::server::auth::Client;
use crate::server::aws::{BundleChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item, region_api};
use crate::server::repo::audit::NewEntry;
use crate::server::repo::inventory::{self, ItemKind};

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation {
        field: field.into(),
        message: message.into(),
    }
}

/// A bundle edit as asked for on the images page.
#[derive(Debug, Clone)]
pub enum BundleEdit {
    Create {
        name: String,
        description: String,
        image_id: String,
        compute_type: String,
        root_gib: i32,
        user_gib: i32,
    },
    Update {
        bundle_id: String,
        image_id: String,
    },
    Delete {
        bundle_id: String,
    },
}

pub async fn apply(
    pool: &SqlitePool,
    regions: &[std::sync::Arc<dyn WorkspacesApi>],
    user: &UserInfo,
    client: &Client,
    edit: BundleEdit,
) -> Result<String, AppError> {
    if user.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let images: Vec<Image> = inventory::items(pool, ItemKind::Image).await?;
    let bundles: Vec<Bundle> = inventory::items(pool, ItemKind::Bundle).await?;
    let image = |id: &str| {
        images
            .iter()
            .find(|i| i.id == id)
            .cloned()
            .ok_or_else(|| invalid("image_id", format!("no image {id} in the inventory")))
    };
    let bundle = |id: &str| {
        bundles
            .iter()
            .find(|b| b.id == id && b.owner.as_deref() != Some("AMAZON"))
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("custom bundle {id}")))
    };
    let (region, target, change, action, params, result): (
        String,
        String,
        BundleChange,
        &str,
        serde_json::Value,
        Option<Bundle>,
    ) = match edit {
        BundleEdit::Create {
            name,
            description,
            image_id,
            compute_type,
            root_gib,
            user_gib,
        } => {
            let name = name.trim().to_string();
            if name.is_empty() || name.len() > 64 {
                return Err(invalid(
                    "name",
                    "give the bundle a name of up to 64 characters",
                ));
            }
            let image = image(&image_id)?;
            if image.state.as_deref() != Some("AVAILABLE") {
                return Err(invalid(
                    "image_id",
                    format!(
                        "{} is {}; only AVAILABLE images make bundles",
                        image.name,
                        image.state.unwrap_or_default()
                    ),
                ));
            }
            if !BUNDLE_COMPUTE_TYPES.contains(&compute_type.as_str()) {
                return Err(invalid(
                    "compute_type",
                    format!("choose one of {}", BUNDLE_COMPUTE_TYPES.join(", ")),
                ));
            }
            if !(80..=2000).contains(&root_gib) || !(10..=2000).contains(&user_gib) {
                return Err(invalid(
                    "storage",
                    "root volume 80–2000 GiB, user volume 10–2000 GiB",
                ));
            }
            let new = Bundle {
                id: String::new(),
                region: image.region.clone(),
                name: name.clone(),
                owner: image.owner_account_id.clone(),
                description: Some(description.clone()).filter(|d| !d.is_empty()),
                compute_type: Some(compute_type.clone()),
                root_storage_gib: Some(root_gib.to_string()),
                user_storage_gib: Some(user_gib.to_string()),
                image_id: Some(image.id.clone()),
                state: None,
                last_updated: None,
            };
            let params = json!({ "name": name, "image": image.id, "compute_type": compute_type, "root_gib": root_gib, "user_gib": user_gib });
            (
                image.region,
                name.clone(),
                BundleChange::Create {
                    name,
                    description,
                    image_id,
                    compute_type,
                    root_gib,
                    user_gib,
                },
                "bundle.create",
                params,
                Some(new),
            )
        }
        BundleEdit::Update {
            bundle_id,
            image_id,
        } => {
            let mut bundle = bundle(&bundle_id)?;
            let image = image(&image_id)?;
            if image.region != bundle.region {
                return Err(invalid(
                    "image_id",
                    "the image is in another Region than the bundle",
                ));
            }
            let params = json!({ "bundle": bundle.name, "image_before": bundle.image_id, "image_after": image.id });
            bundle.image_id = Some(image.id);
            (
                bundle.region.clone(),
                bundle_id.clone(),
                BundleChange::Update {
                    bundle_id,
                    image_id,
                },
                "bundle.update",
                params,
                Some(bundle),
            )
        }
        BundleEdit::Delete { bundle_id } => {
            let bundle = bundle(&bundle_id)?;
            let in_use = inventory::count_by(pool, "bundle_id")
                .await?
                .get(&bundle_id)
                .copied()
                .unwrap_or(0);
            if in_use > 0 {
                return Err(invalid(
                    "bundle",
                    format!(
                        "{} WorkSpaces use {}; migrate them first",
                        in_use, bundle.name
                    ),
                ));
            }
            (
                bundle.region.clone(),
                bundle_id.clone(),
                BundleChange::Delete { bundle_id },
                "bundle.delete",
                json!({ "bundle": bundle.name }),
                None,
            )
        }
    };
    let api = region_api(regions, &region)?;
    let entry = NewEntry {
        action: action.into(),
        params,
        reason: None,
    };
    let actor = client.actor(Some(user), &user.name);
    let cache_region = region.clone();
    let fallback = target.clone();
    audited(
        pool,
        &actor,
        entry,
        &region,
        &target,
        api.change_bundle(&change),
        move |created| match result {
            Some(mut bundle) => {
                if let Some(id) = created {
                    bundle.id = id.clone();
                }
                let op = CacheOp::Put {
                    region: cache_region,
                    kind: ItemKind::Bundle,
                    id: bundle.id.clone(),
                    item: item(&bundle),
                };
                (bundle.id.clone(), vec![op])
            }
            None => (
                fallback.clone(),
                vec![CacheOp::Delete {
                    region: cache_region,
                    kind: ItemKind::Bundle,
                    id: fallback,
                }],
            ),
        },
    )
    .await?;
    Ok(format!("Done: {action} {target}"))
}
