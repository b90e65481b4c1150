//! Changing images (admin): share with or unshare from an AWS account, copy into a
//! configured Region of the image's account (its own Region included), delete. A delete is refused while a cached bundle uses the image or
//! while the image is shared. A pure [`plan`] decides; the shared executor carries out.

use serde_json::json;

use crate::error::AppError;
use crate::model::{Bundle, BundleSummary, Catalog, Image, ImageSummary};
use crate::server::aws::{Change, ImageChange};
use crate::server::caller::Caller;
use crate::server::changes::{CacheOp, Plan, invalid, item};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::resources::{count_of, visible_items};

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
    /// Copy to `destination` (a configured Region of the image's account, the image's
    /// own included) under `name`.
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

/// Decides one image change from the cached images and bundles and the configured
/// Regions: the call, the audit parameters, the cache afterwards and a sentence for the
/// admin. Pure: no database, no AWS.
pub fn plan(
    edit: &ImageEdit,
    images: &[Image],
    bundles: &[Bundle],
    regions: &[String],
) -> Result<(Plan, String), AppError> {
    let image_id = match edit {
        ImageEdit::Share { image_id, .. }
        | ImageEdit::Unshare { image_id, .. }
        | ImageEdit::Delete { image_id }
        | ImageEdit::Copy { image_id, .. } => image_id,
    };
    let image = images
        .iter()
        .find(|i| &i.id == image_id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("image {image_id}")))?;
    match edit {
        ImageEdit::Share { account, .. } => plan_share(&image, image_id, account, true),
        ImageEdit::Unshare { account, .. } => plan_share(&image, image_id, account, false),
        ImageEdit::Delete { .. } => plan_delete(&image, image_id, bundles),
        ImageEdit::Copy {
            destination,
            name,
            description,
            ..
        } => plan_copy(
            &image,
            image_id,
            destination,
            name,
            description,
            images,
            regions,
        ),
    }
}

/// Plans UpdateWorkspaceImagePermission: share with (`allow`) or unshare from `account`.
fn plan_share(
    image: &Image,
    image_id: &str,
    account: &str,
    allow: bool,
) -> Result<(Plan, String), AppError> {
    require_owner(image)?;
    let account = validate_account(account)?;
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
    let mut changed = image.clone();
    if allow {
        changed.shared_with.push(account.clone());
    } else {
        changed.shared_with.retain(|a| *a != account);
    }
    let (verb, action) = if allow {
        ("Shared", "image.share")
    } else {
        ("Unshared", "image.unshare")
    };
    let plan = Plan::single(
        action,
        json!({ "image": image.name, "account": account }),
        (&image.account, &image.region),
        image_id,
        Change::Image(ImageChange::Share {
            image_id: image_id.to_string(),
            account_id: account.clone(),
            allow,
        }),
        vec![put(&changed, Some(image_id.to_string()))],
    );
    Ok((plan, format!("{verb} {} with {account}", image.name)))
}

/// Plans DeleteWorkspaceImage.
fn plan_delete(
    image: &Image,
    image_id: &str,
    bundles: &[Bundle],
) -> Result<(Plan, String), AppError> {
    require_owner(image)?;
    let users: Vec<String> = bundles
        .iter()
        .filter(|b| b.image_id.as_deref() == Some(image_id))
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
    // 000_694e23744a3a4a46.txt:2196: "To delete an image, you must first delete any
    // bundles that are associated with the image and unshare the image if it is
    // shared with other accounts."
    if !image.shared_with.is_empty() {
        return Err(invalid(
            "image",
            format!(
                "{} is shared with {}; unshare it first",
                image.name,
                image.shared_with.join(", ")
            ),
        ));
    }
    let plan = Plan::single(
        "image.delete",
        json!({ "image": image.name }),
        (&image.account, &image.region),
        image_id,
        Change::Image(ImageChange::Delete {
            image_id: image_id.to_string(),
        }),
        vec![CacheOp::Delete {
            account: image.account.clone(),
            region: image.region.clone(),
            kind: ItemKind::Image,
            id: image_id.to_string(),
        }],
    );
    Ok((plan, format!("Deleted {}", image.name)))
}

/// Plans CopyWorkspaceImage into a configured Region of the image's account. The
/// destination may be the image's own Region: the reference allows copies within a
/// Region, and in China (Ningxia) they are the only ones (000_694e23744a3a4a46.txt:502,
/// :7113); the copy then needs a name the Region's images do not have yet. AWS starts
/// the copy `PENDING`, and so does the cache.
fn plan_copy(
    image: &Image,
    image_id: &str,
    destination: &str,
    name: &str,
    description: &str,
    images: &[Image],
    regions: &[String],
) -> Result<(Plan, String), AppError> {
    let name = validate_image_name(name)?;
    let description = validate_image_description(description)?;
    // CopyWorkspaceImage copies into the account that calls it: the copy stays
    // in the image's account.
    let (destination_account, destination) = crate::model::split_place(destination);
    if destination_account != image.account {
        return Err(invalid(
            "destination",
            format!(
                "{} is copied within its own account; choose one of its Regions",
                image.name
            ),
        ));
    }
    let place = crate::model::place_value(destination_account, destination);
    if !regions.contains(&place) {
        return Err(invalid(
            "region",
            format!("{destination} is not configured"),
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
        .any(|i| i.account == image.account && i.region == destination && i.name == name)
    {
        return Err(invalid(
            "name",
            format!("{destination} already has an image named {name}"),
        ));
    }
    let params = json!({
        "image": image.name,
        "source_region": image.region,
        "destination": destination,
        "name": name,
        "description": description,
    });
    let done = format!(
        "Copying {} to {destination} as {name}; the copy is PENDING until AWS finishes it",
        image.name
    );
    // Cached under the id AWS gives the copy.
    let copy = Image {
        id: String::new(),
        region: destination.to_string(),
        name: name.clone(),
        description: description.clone(),
        state: Some("PENDING".into()),
        shared_with: Vec::new(),
        created: None,
        error: None,
        owned: true,
        permissions_error: None,
        ..image.clone()
    };
    // The call goes to the destination Region's client.
    let plan = Plan::single(
        "image.copy",
        params,
        (&image.account, destination),
        image_id,
        Change::Image(ImageChange::Copy {
            source_region: image.region.clone(),
            source_image_id: image_id.to_string(),
            name,
            description,
        }),
        vec![put(&copy, None)],
    );
    Ok((plan, done))
}

/// Refuses sharing or deleting an image another account owns and shares with this one.
fn require_owner(image: &Image) -> Result<(), AppError> {
    if !image.owned {
        return Err(invalid(
            "image",
            format!(
                "{} belongs to account {}, which shares it with this one; only its owner can share or delete it",
                image.name,
                image
                    .owner_account_id
                    .clone()
                    .unwrap_or_else(|| "another account".into())
            ),
        ));
    }
    Ok(())
}

/// The cache entry storing `image` under `id` (under the id AWS creates when `None`).
fn put(image: &Image, id: Option<String>) -> CacheOp {
    CacheOp::Put {
        account: image.account.clone(),
        region: image.region.clone(),
        kind: ItemKind::Image,
        id,
        item: item(image),
    }
}

/// Applies one image change; returns what was done.
pub async fn apply(caller: &Caller, edit: ImageEdit) -> Result<String, AppError> {
    caller.require_admin()?;
    let images: Vec<Image> = inventory::items(caller.pool(), ItemKind::Image).await?;
    let bundles: Vec<Bundle> = inventory::items(caller.pool(), ItemKind::Bundle).await?;
    let places = caller.places();
    let planned = plan(&edit, &images, &bundles, &places)?;
    caller.execute_single(planned).await
}

/// Images with the bundles that use them, and the bundles the account owns or its
/// WorkSpaces use, with usage counts: the images page.
pub async fn catalog(caller: &Caller) -> Result<Catalog, AppError> {
    let images: Vec<Image> = visible_items(caller, ItemKind::Image).await?;
    let counts = inventory::count_by(caller.pool(), "bundle_id").await?;
    let bundles: Vec<Bundle> = visible_items(caller, ItemKind::Bundle).await?;
    let images = images
        .into_iter()
        .map(|image| ImageSummary {
            bundles: bundles
                .iter()
                .filter(|b| {
                    b.account == image.account && b.image_id.as_deref() == Some(image.id.as_str())
                })
                .map(|b| format!("{} ({})", b.name, b.id))
                .collect(),
            image,
        })
        .collect();
    let bundles = bundles
        .into_iter()
        .map(|bundle| BundleSummary {
            workspaces: count_of(&counts, &bundle.account, &bundle.id),
            bundle,
        })
        .filter(|summary| {
            summary.bundle.owner.as_deref() != Some("AMAZON") || summary.workspaces > 0
        })
        .collect();
    Ok(Catalog {
        images,
        bundles,
        regions: caller.places(),
        can_edit: caller.is_admin(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(id: &str, shared_with: &[&str]) -> Image {
        Image {
            id: id.into(),
            account: String::new(),
            region: "eu-west-1".into(),
            name: id.into(),
            description: None,
            state: Some("AVAILABLE".into()),
            operating_system: None,
            owner_account_id: Some("123456789012".into()),
            required_tenancy: None,
            created: None,
            shared_with: shared_with.iter().map(|a| a.to_string()).collect(),
            error: None,
            owned: true,
            permissions_error: None,
        }
    }

    /// 000_694e23744a3a4a46.txt:2196: unshare before deleting.
    #[test]
    fn a_shared_image_is_not_deleted_until_unshared() {
        let delete = ImageEdit::Delete {
            image_id: "wsi-1".into(),
        };
        let shared = [image("wsi-1", &["210987654321"])];
        match plan(&delete, &shared, &[], &[]) {
            Err(AppError::Validation { message, .. }) => {
                assert!(message.contains("unshare it first"), "{message}")
            }
            other => panic!("a shared image was deleted: {other:?}"),
        }
        let (planned, _) = plan(&delete, &[image("wsi-1", &[])], &[], &[]).expect("plan");
        assert_eq!(
            planned.calls[0].change,
            Change::Image(ImageChange::Delete {
                image_id: "wsi-1".into()
            })
        );
    }

    #[test]
    fn only_the_owner_shares_or_deletes_an_image() {
        let mut theirs = image("wsi-2", &[]);
        theirs.owned = false;
        let share = ImageEdit::Share {
            image_id: "wsi-2".into(),
            account: "210987654321".into(),
        };
        assert!(matches!(
            plan(&share, &[theirs], &[], &[]),
            Err(AppError::Validation { .. })
        ));
    }

    /// 000_694e23744a3a4a46.txt:502 and :7113: "In the China (Ningxia) Region, you can
    /// copy images only within the same Region": a copy into the image's own Region is
    /// planned (under a name the Region does not have yet) and cached `PENDING`.
    #[test]
    fn an_image_is_copied_within_its_own_region() {
        let copy = |name: &str| ImageEdit::Copy {
            image_id: "wsi-1".into(),
            destination: "cn-northwest-1".into(),
            name: name.into(),
            description: String::new(),
        };
        let mut source = image("wsi-1", &[]);
        source.region = "cn-northwest-1".into();
        source.name = "base".into();
        let regions = ["cn-northwest-1".to_string()];
        let images = [source];
        let (planned, done) = plan(&copy("base-v2"), &images, &[], &regions).expect("plan");
        assert!(done.contains("PENDING"), "{done}");
        let call = &planned.calls[0];
        assert_eq!(call.region, "cn-northwest-1");
        assert_eq!(
            call.change,
            Change::Image(ImageChange::Copy {
                source_region: "cn-northwest-1".into(),
                source_image_id: "wsi-1".into(),
                name: "base-v2".into(),
                description: None,
            })
        );
        let CacheOp::Put { region, item, .. } = &planned.cache[0].1 else {
            panic!("the copy is not cached");
        };
        assert_eq!(region, "cn-northwest-1");
        let cached: Image = serde_json::from_value(item.clone()).expect("image");
        assert_eq!(cached.state.as_deref(), Some("PENDING"));
        // The source's own name is taken in its Region.
        match plan(&copy("base"), &images, &[], &regions) {
            Err(AppError::Validation { field, .. }) => assert_eq!(field, "name"),
            other => panic!("a copy under the source's name was planned: {other:?}"),
        }
    }

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
