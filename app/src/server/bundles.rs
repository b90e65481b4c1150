//! Changing custom bundles (admin): create from an image, point at a new image, delete
//! (refused while WorkSpaces use the bundle). A pure [`plan`] decides; the shared
//! executor carries out.

use serde_json::json;

use crate::error::AppError;
use crate::model::{BUNDLE_COMPUTE_TYPES, BUNDLE_UPDATE_WARNING, Bundle, Image};
use crate::server::aws::{BundleChange, Change};
use crate::server::caller::Caller;
use crate::server::changes::{CacheOp, Plan, invalid, item};
use crate::server::repo::inventory::{self, ItemKind};

/// Decides one bundle edit from the cached images and bundles and the number of cached
/// WorkSpaces using the bundle: the call, the audit parameters, the cache afterwards.
/// Pure: no database, no AWS.
pub fn plan(
    edit: BundleChange,
    images: &[Image],
    bundles: &[Bundle],
    workspaces_using_bundle: usize,
) -> Result<(Plan, String), AppError> {
    match edit {
        BundleChange::Create {
            name,
            description,
            image_id,
            compute_type,
            root_gib,
            user_gib,
        } => plan_create(
            name,
            description,
            image_id,
            compute_type,
            root_gib,
            user_gib,
            images,
        ),
        BundleChange::Update {
            bundle_id,
            image_id,
        } => plan_update(bundle_id, image_id, images, bundles),
        BundleChange::Delete { bundle_id } => {
            plan_delete(bundle_id, bundles, workspaces_using_bundle)
        }
    }
}

/// Plans CreateWorkspaceBundle from an AVAILABLE image.
fn plan_create(
    name: String,
    description: String,
    image_id: String,
    compute_type: String,
    root_gib: i32,
    user_gib: i32,
    images: &[Image],
) -> Result<(Plan, String), AppError> {
    let name = name.trim().to_string();
    if name.is_empty() || name.len() > 64 {
        return Err(invalid(
            "name",
            "give the bundle a name of up to 64 characters",
        ));
    }
    // BundleDescription is required (000_694e23744a3a4a46.txt:1062).
    let description = description.trim().to_string();
    if description.is_empty() || description.len() > 255 {
        return Err(invalid(
            "description",
            "describe the bundle (up to 255 characters); AWS requires a description",
        ));
    }
    let image = find_image(images, &image_id)?;
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
        account: image.account.clone(),
        region: image.region.clone(),
        name: name.clone(),
        owner: image.owner_account_id.clone(),
        description: Some(description.clone()),
        compute_type: Some(compute_type.clone()),
        root_storage_gib: Some(root_gib.to_string()),
        user_storage_gib: Some(user_gib.to_string()),
        image_id: Some(image.id.clone()),
        state: None,
        last_updated: None,
        bundle_type: None,
        created: None,
    };
    let params = json!({ "name": name, "description": description, "image": image.id, "compute_type": compute_type, "root_gib": root_gib, "user_gib": user_gib });
    Ok(single_plan(
        (image.account, image.region),
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
        put(&new, None),
    ))
}

/// Plans UpdateWorkspaceBundle: the custom bundle gets an image from its account and
/// Region. The answer says that WorkSpaces already launched from the bundle keep their
/// image (000_694e23744a3a4a46.txt:7034).
fn plan_update(
    bundle_id: String,
    image_id: String,
    images: &[Image],
    bundles: &[Bundle],
) -> Result<(Plan, String), AppError> {
    let mut bundle = find_bundle(bundles, &bundle_id)?;
    let image = find_image(images, &image_id)?;
    if image.region != bundle.region || image.account != bundle.account {
        return Err(invalid(
            "image_id",
            "the image is in another account or Region than the bundle",
        ));
    }
    let params =
        json!({ "bundle": bundle.name, "image_before": bundle.image_id, "image_after": image.id });
    bundle.image_id = Some(image.id);
    let (plan, done) = single_plan(
        (bundle.account.clone(), bundle.region.clone()),
        bundle_id.clone(),
        BundleChange::Update {
            bundle_id: bundle_id.clone(),
            image_id,
        },
        "bundle.update",
        params,
        put(&bundle, Some(bundle_id)),
    );
    Ok((plan, format!("{done}. {BUNDLE_UPDATE_WARNING}")))
}

/// Plans DeleteWorkspaceBundle for a custom bundle no WorkSpace uses.
fn plan_delete(
    bundle_id: String,
    bundles: &[Bundle],
    workspaces_using_bundle: usize,
) -> Result<(Plan, String), AppError> {
    let bundle = find_bundle(bundles, &bundle_id)?;
    if workspaces_using_bundle > 0 {
        return Err(invalid(
            "bundle",
            format!(
                "{} WorkSpaces use {}; migrate them first",
                workspaces_using_bundle, bundle.name
            ),
        ));
    }
    Ok(single_plan(
        (bundle.account.clone(), bundle.region.clone()),
        bundle_id.clone(),
        BundleChange::Delete {
            bundle_id: bundle_id.clone(),
        },
        "bundle.delete",
        json!({ "bundle": bundle.name }),
        CacheOp::Delete {
            account: bundle.account.clone(),
            region: bundle.region.clone(),
            kind: ItemKind::Bundle,
            id: bundle_id,
        },
    ))
}

/// The cached image `id`, or a validation error naming it.
fn find_image(images: &[Image], id: &str) -> Result<Image, AppError> {
    images
        .iter()
        .find(|i| i.id == id)
        .cloned()
        .ok_or_else(|| invalid("image_id", format!("no image {id} in the inventory")))
}

/// The cached custom (not Amazon-owned) bundle `id`, or not found.
fn find_bundle(bundles: &[Bundle], id: &str) -> Result<Bundle, AppError> {
    bundles
        .iter()
        .find(|b| b.id == id && b.owner.as_deref() != Some("AMAZON"))
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("custom bundle {id}")))
}

/// The cache entry storing `bundle` under `id` (under the id AWS creates when `None`).
fn put(bundle: &Bundle, id: Option<String>) -> CacheOp {
    CacheOp::Put {
        account: bundle.account.clone(),
        region: bundle.region.clone(),
        kind: ItemKind::Bundle,
        id,
        item: item(bundle),
    }
}

/// The single-call plan for one decided bundle edit, and the sentence for the admin.
fn single_plan(
    (account, region): (String, String),
    target: String,
    change: BundleChange,
    action: &str,
    params: serde_json::Value,
    cache: CacheOp,
) -> (Plan, String) {
    let done = format!("Done: {action} {target}");
    let plan = Plan::single(
        action,
        params,
        (&account, &region),
        &target,
        Change::Bundle(change),
        vec![cache],
    );
    (plan, done)
}

/// Applies one bundle edit; returns what was done.
pub async fn apply(caller: &Caller, edit: BundleChange) -> Result<String, AppError> {
    caller.require_admin()?;
    let images: Vec<Image> = inventory::items(caller.pool(), ItemKind::Image).await?;
    let bundles: Vec<Bundle> = inventory::items(caller.pool(), ItemKind::Bundle).await?;
    let in_use = match &edit {
        BundleChange::Delete { bundle_id } => {
            inventory::count_using(caller.pool(), "bundle_id", bundle_id).await?
        }
        _ => 0,
    };
    let planned = plan(edit, &images, &bundles, in_use)?;
    caller.execute_single(planned).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AVAILABLE image `wsi-1` in eu-west-1.
    fn image() -> Image {
        Image {
            id: "wsi-1".into(),
            account: String::new(),
            region: "eu-west-1".into(),
            name: "base".into(),
            description: None,
            state: Some("AVAILABLE".into()),
            operating_system: None,
            owner_account_id: None,
            required_tenancy: None,
            created: None,
            shared_with: Vec::new(),
            error: None,
            owned: true,
            permissions_error: None,
        }
    }

    /// 000_694e23744a3a4a46.txt:1062: BundleDescription is required.
    #[test]
    fn a_bundle_needs_a_description() {
        let image = image();
        let create = |description: &str| BundleChange::Create {
            name: "Office".into(),
            description: description.into(),
            image_id: "wsi-1".into(),
            compute_type: "STANDARD".into(),
            root_gib: 80,
            user_gib: 50,
        };
        assert!(matches!(
            plan(create("  "), std::slice::from_ref(&image), &[], 0),
            Err(AppError::Validation { field, .. }) if field == "description"
        ));
        let (planned, _) = plan(create("Office workers"), &[image], &[], 0).expect("plan");
        assert!(matches!(
            &planned.calls[0].change,
            Change::Bundle(BundleChange::Create { description, .. }) if description == "Office workers"
        ));
    }

    /// 000_694e23744a3a4a46.txt:1038: CreateWorkspaceBundle takes `VALUE`, `STANDARD`,
    /// `PERFORMANCE`, `POWER`, `GRAPHICS`, `POWERPRO` and `GRAPHICSPRO`
    /// (002_363a3ccb364b572d.txt:75 adds the G4dn types); a `BYOL_GRAPHICS` or
    /// `BYOL_GRAPHICSPRO` import (000_694e23744a3a4a46.txt:4905) needs the graphics ones.
    #[test]
    fn every_compute_type_create_workspace_bundle_takes_makes_a_bundle() {
        let create = |compute_type: &str| BundleChange::Create {
            name: "Design".into(),
            description: "CAD workstations".into(),
            image_id: "wsi-1".into(),
            compute_type: compute_type.into(),
            root_gib: 100,
            user_gib: 100,
        };
        for compute_type in [
            "VALUE",
            "STANDARD",
            "PERFORMANCE",
            "POWER",
            "GRAPHICS",
            "POWERPRO",
            "GRAPHICSPRO",
            "GRAPHICS_G4DN",
            "GRAPHICSPRO_G4DN",
        ] {
            let (planned, _) = plan(create(compute_type), &[image()], &[], 0)
                .unwrap_or_else(|e| panic!("{compute_type} refused: {e:?}"));
            assert!(matches!(
                &planned.calls[0].change,
                Change::Bundle(BundleChange::Create { compute_type: sent, .. }) if sent == compute_type
            ));
        }
        assert!(matches!(
            plan(create("GRAPHICS_XL"), &[image()], &[], 0),
            Err(AppError::Validation { field, .. }) if field == "compute_type"
        ));
    }

    /// 000_694e23744a3a4a46.txt:7034: "Existing WorkSpaces aren't automatically updated
    /// when you update the bundle that they're based on"; the answer to an update says so.
    #[test]
    fn updating_a_bundle_says_existing_workspaces_keep_their_image() {
        let bundle = Bundle {
            id: "wsb-1".into(),
            region: "eu-west-1".into(),
            account: String::new(),
            name: "Office".into(),
            owner: Some("123456789012".into()),
            description: None,
            compute_type: Some("STANDARD".into()),
            root_storage_gib: Some("80".into()),
            user_storage_gib: Some("50".into()),
            image_id: Some("wsi-0".into()),
            state: Some("AVAILABLE".into()),
            last_updated: None,
            bundle_type: None,
            created: None,
        };
        let update = BundleChange::Update {
            bundle_id: "wsb-1".into(),
            image_id: "wsi-1".into(),
        };
        let (planned, done) = plan(update, &[image()], &[bundle], 3).expect("plan");
        assert_eq!(planned.action, "bundle.update");
        assert!(done.contains(BUNDLE_UPDATE_WARNING), "{done}");
        assert!(
            BUNDLE_UPDATE_WARNING.contains("Existing WorkSpaces aren't automatically updated")
                && BUNDLE_UPDATE_WARNING.contains("rebuild"),
            "{BUNDLE_UPDATE_WARNING}"
        );
    }
}
