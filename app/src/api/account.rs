//! Server functions of the account page (BYOL) and the BYOL image import.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AccountView;

/// Every configured Region's BYOL configuration and history, read from AWS now; with
/// `region` and `cidr`, also the management ranges AWS offers within `cidr` there.
#[server(endpoint = "account/get")]
pub async fn get_account(
    #[server(default)] region: String,
    #[server(default)] cidr: String,
) -> Result<AccountView, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    let search =
        (!region.is_empty() && !cidr.trim().is_empty()).then(|| (region.as_str(), cidr.trim()));
    crate::server::account::account_view(&caller, search).await
}

/// Enables BYOL in `region` with the management range `management_cidr` (admin).
#[server(endpoint = "account/enable-byol")]
pub async fn enable_byol(
    #[server(default)] region: String,
    #[server(default)] management_cidr: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::account::enable(&caller, &region, &management_cidr, &reason).await
}

/// Imports a licensed EC2 image as a BYOL WorkSpaces image (admin).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "images/import")]
pub async fn import_image(
    #[server(default)] region: String,
    #[server(default)] ec2_image_id: String,
    #[server(default)] ingestion_process: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
    #[server(default)] application: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::server::account::{ImportForm, import};
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let tags = crate::model::form_tags("tags", &tags)?;
    let (account, region) = crate::model::split_place(&region);
    let form = ImportForm {
        account: account.to_string(),
        region: region.to_string(),
        ec2_image_id,
        ingestion_process,
        name,
        description,
        tags,
        application,
        reason,
    };
    import(&caller, form).await
}
