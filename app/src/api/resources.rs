//! Server functions of the directories, images, IP groups and connections pages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    Catalog, ConnectionsPage, ConnectionsQuery, DirectoriesView, IpGroupsView, RuleDiff,
};

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

/// Shares (`share`), unshares (`unshare`), copies (`copy`: to `destination` as `name`)
/// or deletes (`delete`) an image (admin).
#[server(endpoint = "images/change")]
pub async fn change_image(
    op: String,
    image_id: String,
    #[server(default)] account: String,
    #[server(default)] destination: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    use crate::server::images::{ImageEdit, apply};
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let edit = match op.as_str() {
        "share" => ImageEdit::Share { image_id, account },
        "unshare" => ImageEdit::Unshare { image_id, account },
        "delete" => ImageEdit::Delete { image_id },
        "copy" => ImageEdit::Copy {
            image_id,
            destination,
            name,
            description,
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

/// The change an IP groups form asks for; `op` is create, delete, add_rule, edit_rule,
/// remove_rule, associate or disassociate, the other fields as the change needs them.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn ip_group_edit(
    op: &str,
    region: String,
    group_id: String,
    name: String,
    description: String,
    cidr: String,
    old_cidr: String,
    directory_id: String,
) -> Result<crate::server::ip_groups::IpGroupEdit, AppError> {
    use crate::server::ip_groups::IpGroupEdit;
    Ok(match op {
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
    })
}

/// One change to IP groups (admin), see [`ip_group_edit`]. A rule change confirmed on the
/// review page (`confirmed`) sends the browser back to the IP groups page.
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
    #[server(default)] confirmed: bool,
    #[server(default)] shown: Option<String>,
) -> Result<String, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let back = format!(
        "/ip-groups?changed={}",
        crate::model::encode_query_value(&group_id)
    );
    let edit = ip_group_edit(
        &op,
        region,
        group_id,
        name,
        description,
        cidr,
        old_cidr,
        directory_id,
    )?;
    let done = crate::server::ip_groups::apply(
        &state.pool,
        &state.regions,
        &user,
        &client,
        edit,
        shown.as_deref(),
    )
    .await?;
    if confirmed {
        leptos_axum::redirect(&back);
    }
    Ok(done)
}

/// The rules of a group before and after a rule change (`add_rule`, `edit_rule`,
/// `remove_rule`), for the confirmation page; nothing is changed (admin).
#[server(endpoint = "ip-groups/preview")]
pub async fn preview_rule_change(
    op: String,
    group_id: String,
    #[server(default)] cidr: String,
    #[server(default)] old_cidr: String,
    #[server(default)] description: String,
) -> Result<RuleDiff, AppError> {
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let edit = ip_group_edit(
        &op,
        String::new(),
        group_id,
        String::new(),
        description,
        cidr,
        old_cidr,
        String::new(),
    )?;
    crate::server::ip_groups::preview(&state.pool, &state.regions, &user, &edit).await
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

/// Registers (`register`, with subnets, tenancy, tags and the WorkDocs and self-service
/// boxes) or deregisters (`deregister`) a directory, or sets its
/// self-service permissions (`self_service`), WorkSpace creation properties (`creation`,
/// with the three text fields) or access properties (`access`) (admin). `checked` holds
/// the names of the checked boxes of the form; `access` the access form's choice per
/// platform (`access[windows]=TRUST`), every platform once.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "directories/change")]
pub async fn change_directory(
    op: String,
    directory_id: String,
    #[server(default)] region: String,
    #[server(default)] checked: Vec<String>,
    #[server(default)] default_ou: String,
    #[server(default)] security_group: String,
    #[server(default)] iam_role: String,
    #[server(default)] subnet_ids: String,
    #[server(default)] tenancy: String,
    #[server(default)] tags: String,
    #[server(default)] access: std::collections::BTreeMap<String, String>,
) -> Result<String, AppError> {
    use crate::model::AccessProperties;
    use crate::server::aws::DirectoryChange;
    use crate::server::directories::{apply, creation_from, registration_from, self_service_from};
    let user = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let change = match op.as_str() {
        "register" => DirectoryChange::Register {
            directory_id,
            registration: registration_from(&checked, &subnet_ids, &tenancy, &tags)?,
        },
        "deregister" => DirectoryChange::Deregister { directory_id },
        "self_service" => DirectoryChange::SetSelfService {
            directory_id,
            permissions: self_service_from(&checked),
        },
        "creation" => DirectoryChange::SetCreationProperties {
            directory_id,
            properties: creation_from(&checked, &default_ou, &security_group, &iam_role),
        },
        "access" => DirectoryChange::SetAccessProperties {
            directory_id,
            access: AccessProperties::from_form(
                access
                    .iter()
                    .map(|(key, value)| (key.as_str(), value.as_str())),
            )?,
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
