//! Server functions of the directories, images, IP groups and connections pages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Catalog, ConnectionsPage, ConnectionsQuery, DirectoriesView, IpGroupsView};

#[server(endpoint = "directories/list")]
pub async fn list_directories() -> Result<DirectoriesView, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    Ok(DirectoriesView {
        directories: crate::server::resources::directories(&state).await?,
        regions: state.region_names(),
        can_edit: user.role == crate::model::Role::Admin,
    })
}

/// Images and bundles, shown together on the images page.
#[server(endpoint = "images/list")]
pub async fn list_catalog() -> Result<Catalog, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    let mut catalog = crate::server::resources::catalog(&state).await?;
    catalog.can_edit = user.role == crate::model::Role::Admin;
    Ok(catalog)
}

/// Shares (`share`), unshares (`unshare`) or deletes (`delete`) an image (admin).
#[server(endpoint = "images/change")]
pub async fn change_image(
    op: String,
    image_id: String,
    #[server(default)] account: String,
) -> Result<String, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::images::apply(
        &state.pool,
        &state.regions,
        &user,
        &client,
        &op,
        &image_id,
        &account,
    )
    .await
}

#[server(endpoint = "ip-groups/list")]
pub async fn list_ip_groups() -> Result<IpGroupsView, AppError> {
    use crate::server::repo::inventory::{ItemKind, items};
    let user = crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    Ok(IpGroupsView {
        groups: crate::server::resources::ip_groups(&state).await?,
        directories: items(&state.pool, ItemKind::Directory).await?,
        regions: state.region_names(),
        can_edit: user.role == crate::model::Role::Admin,
    })
}

/// One change to IP groups (admin): `op` is create, delete, add_rule, edit_rule,
/// remove_rule, associate or disassociate; the other fields as the change needs them.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "ip-groups/change")]
pub async fn change_ip_group(
    op: String,
    #[server(default)] region: String,
    #[server(default)] group_id: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] cidr: String,
    #[server(default)] old_cidr: String,
    #[server(default)] directory_id: String,
) -> Result<String, AppError> {
    use crate::server::ip_groups::{IpGroupEdit, apply};
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let edit = match op.as_str() {
        "create" => IpGroupEdit::Create {
            region,
            name,
            description,
        },
        "delete" => IpGroupEdit::Delete { group_id },
        "add_rule" => IpGroupEdit::AddRule {
            group_id,
            cidr,
            description,
        },
        "edit_rule" => IpGroupEdit::EditRule {
            group_id,
            old_cidr,
            cidr,
            description,
        },
        "remove_rule" => IpGroupEdit::RemoveRule { group_id, cidr },
        "associate" => IpGroupEdit::Associate {
            group_id,
            directory_id,
        },
        "disassociate" => IpGroupEdit::Disassociate {
            group_id,
            directory_id,
        },
        other => {
            return Err(AppError::Validation {
                field: "op".into(),
                message: format!("unknown change {other}"),
            });
        }
    };
    apply(&state.pool, &state.regions, &user, &client, edit).await
}

#[server(endpoint = "connections/list")]
pub async fn list_connections(query: ConnectionsQuery) -> Result<ConnectionsPage, AppError> {
    crate::server::authz::require_role(crate::model::Role::Viewer).await?;
    let state = crate::server::state::app_state()?;
    crate::server::resources::connections(&state, &query).await
}

/// Creates (`create`), updates (`update`: new image) or deletes (`delete`) a custom bundle
/// (admin).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "bundles/change")]
pub async fn change_bundle(
    op: String,
    #[server(default)] bundle_id: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] image_id: String,
    #[server(default)] compute_type: String,
    #[server(default)] root_gib: String,
    #[server(default)] user_gib: String,
) -> Result<String, AppError> {
    use crate::server::bundles::{BundleEdit, apply};
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let size = |field: &str, value: &str| {
        value
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::Validation {
                field: field.into(),
                message: "enter a size in GiB".into(),
            })
    };
    let edit = match op.as_str() {
        "create" => BundleEdit::Create {
            name,
            description,
            image_id,
            compute_type,
            root_gib: size("root_gib", &root_gib)?,
            user_gib: size("user_gib", &user_gib)?,
        },
        "update" => BundleEdit::Update {
            bundle_id,
            image_id,
        },
        "delete" => BundleEdit::Delete { bundle_id },
        other => {
            return Err(AppError::Validation {
                field: "op".into(),
                message: format!("unknown change {other}"),
            });
        }
    };
    apply(&state.pool, &state.regions, &user, &client, edit).await
}

/// Registers (`register`) or deregisters (`deregister`) a directory, or sets its
/// self-service permissions (`self_service`, with the names of the checked boxes in
/// `permissions`) (admin).
#[server(endpoint = "directories/change")]
pub async fn change_directory(
    op: String,
    directory_id: String,
    #[server(default)] region: String,
    #[server(default)] permissions: Vec<String>,
) -> Result<String, AppError> {
    use crate::server::aws::DirectoryChange;
    use crate::server::directories::{apply, self_service_from};
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let change = match op.as_str() {
        "register" => DirectoryChange::Register { directory_id },
        "deregister" => DirectoryChange::Deregister { directory_id },
        "self_service" => DirectoryChange::SetSelfService {
            directory_id,
            permissions: self_service_from(&permissions),
        },
        other => {
            return Err(AppError::Validation {
                field: "op".into(),
                message: format!("unknown change {other}"),
            });
        }
    };
    apply(&state.pool, &state.regions, &user, &client, &region, change).await
}
