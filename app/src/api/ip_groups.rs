//! Server functions of the IP groups page and the rule review page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{IpGroupOp, IpGroupsView, RuleDiff};

#[server(endpoint = "ip-groups/list")]
pub async fn list_ip_groups() -> Result<IpGroupsView, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::ip_groups::view(&caller).await
}

/// The change an IP groups form asks for: `op` and the fields that change needs.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn ip_group_edit(
    op: IpGroupOp,
    region: String,
    group_id: String,
    name: String,
    description: String,
    cidr: String,
    old_cidr: String,
    directory_id: String,
) -> crate::server::ip_groups::IpGroupEdit {
    use crate::server::ip_groups::IpGroupEdit;
    match op {
        IpGroupOp::Create => IpGroupEdit::Create {
            place: region,
            name,
            description,
        },
        IpGroupOp::Delete => IpGroupEdit::Delete { group_id },
        IpGroupOp::AddRule => IpGroupEdit::AddRule {
            group_id,
            cidr,
            description,
        },
        IpGroupOp::EditRule => IpGroupEdit::EditRule {
            group_id,
            old_cidr,
            cidr,
            description,
        },
        IpGroupOp::RemoveRule => IpGroupEdit::RemoveRule { group_id, cidr },
        IpGroupOp::Associate => IpGroupEdit::Associate {
            group_id,
            directory_id,
        },
        IpGroupOp::Disassociate => IpGroupEdit::Disassociate {
            group_id,
            directory_id,
        },
    }
}

/// One change to IP groups (admin), see [`ip_group_edit`]. A rule change confirmed on the
/// review page (`confirmed`) sends the browser back to the IP groups page.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "ip-groups/change")]
pub async fn change_ip_group(
    op: IpGroupOp,
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
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let back = format!(
        "/ip-groups?changed={}",
        crate::model::encode_query_value(&group_id)
    );
    let edit = ip_group_edit(
        op,
        region,
        group_id,
        name,
        description,
        cidr,
        old_cidr,
        directory_id,
    );
    let done = crate::server::ip_groups::apply(&caller, edit, shown.as_deref()).await?;
    if confirmed {
        leptos_axum::redirect(&back);
    }
    Ok(done)
}

/// The rules of a group before and after a rule change (`add_rule`, `edit_rule`,
/// `remove_rule`), for the confirmation page; nothing is changed (admin).
#[server(endpoint = "ip-groups/preview")]
pub async fn preview_rule_change(
    op: IpGroupOp,
    group_id: String,
    #[server(default)] cidr: String,
    #[server(default)] old_cidr: String,
    #[server(default)] description: String,
) -> Result<RuleDiff, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let edit = ip_group_edit(
        op,
        String::new(),
        group_id,
        String::new(),
        description,
        cidr,
        old_cidr,
        String::new(),
    );
    crate::server::ip_groups::preview(&caller, &edit).await
}
