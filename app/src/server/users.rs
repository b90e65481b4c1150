//! Managing users (from the users page and the command line): validation, the rule that
//! the last active admin stays, and an audit entry for every change. Each change, its
//! checks and its audit entry run in one transaction: both are stored, or neither.

use serde_json::json;
use sqlx::{SqliteConnection, SqliteExecutor, SqlitePool};

use crate::error::AppError;
use crate::model::{Role, UserInfo, UserSource};
use crate::server::auth::{hash_password, validate_new_user, validate_password};
use crate::server::repo::audit::{self, Actor, NewEntry};
use crate::server::repo::users;

fn parse_role(role: &str) -> Result<Role, AppError> {
    Role::parse(role).ok_or_else(|| AppError::Validation {
        field: "role".into(),
        message: "choose viewer, helpdesk or admin".into(),
    })
}

/// Audits a change to a user, in the change's transaction (also the changes a single
/// sign-on makes, see `oidc::sign_in`).
pub(crate) async fn audit_change(
    conn: &mut SqliteConnection,
    actor: &Actor,
    action: &str,
    params: serde_json::Value,
) -> Result<(), AppError> {
    let entry = NewEntry {
        action: action.into(),
        params,
        reason: None,
    };
    audit::record_in(
        conn,
        actor,
        &entry,
        crate::model::EntryOutcome::Succeeded,
        None,
    )
    .await?;
    Ok(())
}

async fn existing(db: impl SqliteExecutor<'_>, id: i64) -> Result<UserInfo, AppError> {
    users::by_id(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))
}

/// Refuses a role or password change of a single sign-on user: their role follows the
/// provider's groups at every sign-in, and they have no password.
fn local_only(user: &UserInfo, what: &str) -> Result<(), AppError> {
    if user.source == UserSource::Oidc {
        return Err(AppError::Validation {
            field: "user".into(),
            message: format!(
                "{} signs in through single sign-on: their {what} comes from the provider",
                user.name
            ),
        });
    }
    Ok(())
}

/// Refuses a change that would leave no active admin.
async fn keep_an_admin(
    conn: &mut SqliteConnection,
    user: &UserInfo,
    still_admin: bool,
) -> Result<(), AppError> {
    let was_active_admin = user.role == Role::Admin && !user.disabled;
    if was_active_admin && !still_admin && users::other_active_admins(conn, user.id).await? == 0 {
        return Err(AppError::Validation {
            field: "user".into(),
            message: format!(
                "{} is the last active admin; make another admin first",
                user.name
            ),
        });
    }
    Ok(())
}

pub async fn create(
    pool: &SqlitePool,
    actor: &Actor,
    name: &str,
    role: &str,
    password: String,
) -> Result<UserInfo, AppError> {
    let name = name.trim();
    let role = parse_role(role)?;
    validate_new_user(name, &password)?;
    let hash = hash_password(password).await?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let user = users::create(&mut tx, name, &hash, role)
        .await?
        .ok_or_else(|| AppError::Validation {
            field: "username".into(),
            message: format!("{name} already exists"),
        })?;
    audit_change(
        &mut tx,
        actor,
        "user.create",
        json!({ "user": user.name, "role": role.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn set_role(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    role: &str,
) -> Result<(), AppError> {
    let role = parse_role(role)?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let user = existing(&mut *tx, id).await?;
    local_only(&user, "role")?;
    keep_an_admin(&mut tx, &user, role == Role::Admin).await?;
    users::set_role(&mut tx, id, role).await?;
    audit_change(
        &mut tx,
        actor,
        "user.set_role",
        json!({ "user": user.name, "from": user.role.as_str(), "to": role.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reads an accounts limit as typed: `all` (or nothing) for every account, else account
/// names separated by commas. With `known` (the configured accounts) each name must be
/// one of them.
pub fn parse_accounts(text: &str, known: &[String]) -> Result<Option<Vec<String>>, AppError> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    let mut names: Vec<String> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !known.is_empty() && !known.iter().any(|k| k == name) {
            return Err(AppError::Validation {
                field: "accounts".into(),
                message: format!("{name} is not a configured account ({})", known.join(", ")),
            });
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(Some(names))
}

/// Limits a user to some accounts (`None`: every account). A single sign-on user's
/// limit is set again from their groups at each sign-in when a group → accounts mapping
/// is configured.
pub async fn set_accounts(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    accounts: Option<Vec<String>>,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let user = existing(&mut *tx, id).await?;
    users::set_accounts(&mut tx, id, accounts.as_deref()).await?;
    audit_change(
        &mut tx,
        actor,
        "user.set_accounts",
        json!({ "user": user.name, "from": user.accounts, "to": accounts }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_disabled(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let user = existing(&mut *tx, id).await?;
    if disabled {
        keep_an_admin(&mut tx, &user, false).await?;
    }
    users::set_disabled(&mut tx, id, disabled).await?;
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    audit_change(&mut tx, actor, action, json!({ "user": user.name })).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reset_password(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    password: String,
) -> Result<(), AppError> {
    let user = existing(pool, id).await?;
    local_only(&user, "password")?;
    validate_password(&password)?;
    let hash = hash_password(password).await?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    users::set_password(&mut tx, id, &hash).await?;
    audit_change(
        &mut tx,
        actor,
        "user.reset_password",
        json!({ "user": user.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
