//! Server functions of the tags page and the bulk tag review page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ActionReport, ResourceTags};

/// The tags of one resource as AWS holds them now.
#[server(endpoint = "tags/get")]
pub async fn get_resource_tags(id: String) -> Result<ResourceTags, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::tags::resource_tags(&caller, &id).await
}

/// Saves the tags of one resource: `shown` are the tags the page showed and `tags` those
/// asked for, one `Key=Value` per line. WorkSpaces need the help desk role, other
/// resources admin (checked by the service).
#[server(endpoint = "tags/edit")]
pub async fn edit_tags(
    id: String,
    #[server(default)] shown: String,
    #[server(default)] tags: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Helpdesk).await?;
    let shown = crate::model::form_tags("shown", &shown)?;
    let wanted = crate::model::form_tags("tags", &tags)?;
    crate::server::tags::edit(&caller, &id, &shown, &wanted, &reason).await
}

/// Sets the `set` tags (`Key=Value` lines) and removes the `remove` keys (one per line or
/// comma-separated) on every WorkSpace of `ids` (help desk).
#[server(endpoint = "tags/bulk")]
pub async fn bulk_tags(
    ids: Vec<String>,
    #[server(default)] set: String,
    #[server(default)] remove: String,
    #[server(default)] reason: String,
    #[server(default)] form_token: String,
) -> Result<ActionReport, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Helpdesk).await?;
    let edit = crate::model::TagEdit {
        set: crate::model::form_tags("set", &set)?,
        remove: crate::model::parse_tag_keys(&remove),
    };
    let change = crate::server::tags::edit_many(&caller, &ids, &edit, &reason);
    crate::server::form_token::send_once(caller.pool(), caller.user.id, &form_token, change).await
}
