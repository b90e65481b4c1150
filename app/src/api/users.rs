//! Server functions of the users page (admin only).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::UsersView;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<UsersView, AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    Ok(UsersView {
        users: crate::server::users::list(caller.pool(), &caller.actor()).await?,
        accounts: caller.accounts(),
    })
}

/// Limits a user to some accounts (`prod,dev`), or lifts the limit (`all`).
#[server(endpoint = "users/set-accounts")]
pub async fn set_user_accounts(id: i64, accounts: String) -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    let limit = crate::server::users::parse_accounts(&accounts, &caller.state.account_names())?;
    crate::server::users::set_accounts(caller.pool(), &caller.actor(), id, limit).await
}

#[server(endpoint = "users/create")]
pub async fn create_user(username: String, role: String, password: String) -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::users::create(caller.pool(), &caller.actor(), &username, &role, password)
        .await
        .map(|_| ())
}

#[server(endpoint = "users/set-role")]
pub async fn set_user_role(id: i64, role: String) -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::users::set_role(caller.pool(), &caller.actor(), id, &role).await
}

#[server(endpoint = "users/set-disabled")]
pub async fn set_user_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::users::set_disabled(caller.pool(), &caller.actor(), id, disabled).await
}

#[server(endpoint = "users/reset-password")]
pub async fn reset_user_password(id: i64, password: String) -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Admin).await?;
    crate::server::users::reset_password(caller.pool(), &caller.actor(), id, password).await
}
