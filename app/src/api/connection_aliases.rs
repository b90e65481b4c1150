//! Server functions of the connection aliases page: list, and the admin's changes.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AliasOp, ConnectionAliasesView};

#[server(endpoint = "connection-aliases/list")]
pub async fn list_connection_aliases() -> Result<ConnectionAliasesView, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    crate::server::connection_aliases::view(&caller).await
}

/// One change to connection aliases (admin): `create` (Region, connection string, tags
/// one `Key=Value` a line), `delete`, `associate` (with `directory_id`), `disassociate`,
/// `share` or `unshare` (with `account`).
#[server(endpoint = "connection-aliases/change")]
pub async fn change_connection_alias(
    op: AliasOp,
    #[server(default)] alias_id: String,
    #[server(default)] region: String,
    #[server(default)] connection_string: String,
    #[server(default)] tags: String,
    #[server(default)] directory_id: String,
    #[server(default)] account: String,
) -> Result<String, AppError> {
    use crate::server::connection_aliases::{AliasEdit, apply};
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let edit = match op {
        AliasOp::Create => AliasEdit::Create {
            place: region,
            connection_string,
            tags,
        },
        AliasOp::Delete => AliasEdit::Delete { alias_id },
        AliasOp::Associate => AliasEdit::Associate {
            alias_id,
            directory_id,
        },
        AliasOp::Disassociate => AliasEdit::Disassociate { alias_id },
        AliasOp::Share | AliasOp::Unshare => AliasEdit::Share {
            alias_id,
            account,
            allow: op == AliasOp::Share,
        },
    };
    apply(&caller, edit).await
}
