//! Server functions of the users page (admin only).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::UsersView;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<UsersView, AppError> {
    let admin = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let actor = client.actor(Some(&admin), &admin.name);
    Ok(UsersView {
        users: crate::server::users::list(&state.pool, &actor).await?,
        accounts: state.accounts_for(&admin),
    })
}

/// Limits a user to some accounts (`prod,dev`), or lifts the limit (`all`).
#[server(endpoint = "users/set-accounts")]
pub async fn set_user_accounts(id: i64, accounts: String) -> Result<(), AppError> {
    let admin = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    let limit = crate::server::users::parse_accounts(&accounts, &state.account_names())?;
    crate::server::users::set_accounts(
        &state.pool,
        &client.actor(Some(&admin), &admin.name),
        id,
        limit,
    )
    .await
}

#[server(endpoint = "users/create")]
pub async fn create_user(username: String, role: String, password: String) -> Result<(), AppError> {
    let admin = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::users::create(
        &state.pool,
        &client.actor(Some(&admin), &admin.name),
        &username,
        &role,
        password,
    )
    .await
    .map(|_| ())
}

#[server(endpoint = "users/set-role")]
pub async fn set_user_role(id: i64, role: String) -> Result<(), AppError> {
    let admin = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::users::set_role(
        &state.pool,
        &client.actor(Some(&admin), &admin.name),
        id,
        &role,
    )
    .await
}

#[server(endpoint = "users/set-disabled")]
pub async fn set_user_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    let admin = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::users::set_disabled(
        &state.pool,
        &client.actor(Some(&admin), &admin.name),
        id,
        disabled,
    )
    .await
}

#[server(endpoint = "users/reset-password")]
pub async fn reset_user_password(id: i64, password: String) -> Result<(), AppError> {
    let admin = crate::server::authz::require_role(crate::model::Role::Admin).await?;
    let state = crate::server::state::app_state()?;
    let client = crate::server::authz::client().await;
    crate::server::users::reset_password(
        &state.pool,
        &client.actor(Some(&admin), &admin.name),
        id,
        password,
    )
    .await
}
