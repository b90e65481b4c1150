//! Server functions of the images page: images and bundles, and the admin's changes.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{BundleOp, Catalog, ImageOp};

/// Images and bundles, shown together on the images page.
#[server(endpoint = "images/list")]
pub async fn list_catalog() -> Result<Catalog, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::images::catalog(&caller).await
}

/// Shares (`share`), unshares (`unshare`), copies (`copy`: to `destination` as `name`)
/// or deletes (`delete`) an image (admin).
#[server(endpoint = "images/change")]
pub async fn change_image(
    op: ImageOp,
    image_id: String,
    #[server(default)] account: String,
    #[server(default)] destination: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    use crate::server::images::{ImageEdit, apply};
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let edit = match op {
        ImageOp::Share => ImageEdit::Share { image_id, account },
        ImageOp::Unshare => ImageEdit::Unshare { image_id, account },
        ImageOp::Delete => ImageEdit::Delete { image_id },
        ImageOp::Copy => ImageEdit::Copy {
            image_id,
            destination,
            name,
            description,
        },
    };
    apply(&caller, edit).await
}

/// Creates (`create`), updates (`update`: new image) or deletes (`delete`) a custom bundle
/// (admin).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "bundles/change")]
pub async fn change_bundle(
    op: BundleOp,
    #[server(default)] bundle_id: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] image_id: String,
    #[server(default)] compute_type: String,
    #[server(default)] root_gib: String,
    #[server(default)] user_gib: String,
) -> Result<String, AppError> {
    use crate::server::aws::BundleChange;
    use crate::server::bundles::apply;
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let size = |field: &str, value: &str| {
        value
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::Validation {
                field: field.into(),
                message: "enter a size in GiB".into(),
            })
    };
    let edit = match op {
        BundleOp::Create => BundleChange::Create {
            name,
            description,
            image_id,
            compute_type,
            root_gib: size("root_gib", &root_gib)?,
            user_gib: size("user_gib", &user_gib)?,
        },
        BundleOp::Update => BundleChange::Update {
            bundle_id,
            image_id,
        },
        BundleOp::Delete => BundleChange::Delete { bundle_id },
    };
    apply(&caller, edit).await
}
