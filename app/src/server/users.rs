//! Managing users (from the users page and the command line): validation, the rule that
//! the last active admin stays, and an audit entry for every change. Each change, its
//! checks and its audit entry run in one transaction: both are stored, or neither.
//!
//! An admin limited to some accounts (the actor's `accounts`) manages only the users
//! within that limit: others are unknown to them (404, and missing from their list);
//! the users they create get their limit, and they grant no account outside it. So no
//! limited admin can widen their own limit, make an unlimited admin, or take over one
//! by resetting its password (issue 20). The command line and unlimited admins manage
//! everyone.

use serde_json::json;
use sqlx::{AnyConnection, AnyExecutor, AnyPool};

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
    conn: &mut AnyConnection,
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

/// The user `id`, if `actor` may manage them: a user outside the actor's account limit
/// is answered exactly as an unknown one.
async fn existing(db: impl AnyExecutor<'_>, actor: &Actor, id: i64) -> Result<UserInfo, AppError> {
    users::by_id(db, id)
        .await?
        .filter(|user| user.within(actor.accounts.as_deref()))
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))
}

/// Refuses a limit that opens accounts outside the actor's own.
fn grantable(actor: &Actor, accounts: Option<&[String]>) -> Result<(), AppError> {
    if crate::model::limit_within(accounts, actor.accounts.as_deref()) {
        return Ok(());
    }
    let own = actor.accounts.as_deref().unwrap_or_default();
    Err(AppError::Validation {
        field: "accounts".into(),
        message: if own.is_empty() {
            "you may use no account, so you can grant none".to_string()
        } else {
            format!("you can grant only your own accounts: {}", own.join(", "))
        },
    })
}

/// The users `actor` may manage, for the users page.
pub async fn list(pool: &AnyPool, actor: &Actor) -> Result<Vec<UserInfo>, AppError> {
    let mut all = users::list(pool).await?;
    all.retain(|user| user.within(actor.accounts.as_deref()));
    Ok(all)
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
    conn: &mut AnyConnection,
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
    pool: &AnyPool,
    actor: &Actor,
    name: &str,
    role: &str,
    password: String,
) -> Result<UserInfo, AppError> {
    let name = name.trim();
    let role = parse_role(role)?;
    validate_new_user(name, &password)?;
    let hash = hash_password(password).await?;
    let mut tx = crate::server::repo::write(pool).await?;
    let mut user = users::create(&mut tx, name, &hash, role)
        .await?
        .ok_or_else(|| AppError::Validation {
            field: "username".into(),
            message: format!("{name} already exists"),
        })?;
    // A limited admin's users start with the admin's own limit.
    if let Some(limit) = &actor.accounts {
        users::set_accounts(&mut tx, user.id, Some(limit)).await?;
        user.accounts = Some(limit.clone());
    }
    audit_change(
        &mut tx,
        actor,
        "user.create",
        json!({ "user": user.name, "role": role.as_str(), "accounts": user.accounts }),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn set_role(pool: &AnyPool, actor: &Actor, id: i64, role: &str) -> Result<(), AppError> {
    let role = parse_role(role)?;
    let mut tx = crate::server::repo::write(pool).await?;
    let user = existing(&mut *tx, actor, id).await?;
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

/// Reads an accounts limit as typed: `all` for every account, else configured account
/// names (`known`) separated by commas. Nothing typed is refused rather than read as
/// `all`, so a blank field never lifts a limit; without an accounts file there is no
/// account to limit to.
pub fn parse_accounts(text: &str, known: &[String]) -> Result<Option<Vec<String>>, AppError> {
    let refuse = |message: String| AppError::Validation {
        field: "accounts".into(),
        message,
    };
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    if known.is_empty() {
        return Err(refuse(
            "no accounts are configured (--accounts), so users cannot be limited to some".into(),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !known.iter().any(|k| k == name) {
            return Err(AppError::Validation {
                field: "accounts".into(),
                message: format!("{name} is not a configured account ({})", known.join(", ")),
            });
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    if names.is_empty() {
        return Err(refuse(format!(
            "type all, or account names separated by commas ({})",
            known.join(", ")
        )));
    }
    Ok(Some(names))
}

/// Limits a user to some accounts (`None`: every account). A single sign-on user's
/// limit is set again from their groups at each sign-in when a group → accounts mapping
/// is configured.
pub async fn set_accounts(
    pool: &AnyPool,
    actor: &Actor,
    id: i64,
    accounts: Option<Vec<String>>,
) -> Result<(), AppError> {
    grantable(actor, accounts.as_deref())?;
    let mut tx = crate::server::repo::write(pool).await?;
    let user = existing(&mut *tx, actor, id).await?;
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
    pool: &AnyPool,
    actor: &Actor,
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    let mut tx = crate::server::repo::write(pool).await?;
    let user = existing(&mut *tx, actor, id).await?;
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
    pool: &AnyPool,
    actor: &Actor,
    id: i64,
    password: String,
) -> Result<(), AppError> {
    let user = existing(pool, actor, id).await?;
    local_only(&user, "password")?;
    validate_password(&password)?;
    let hash = hash_password(password).await?;
    let mut tx = crate::server::repo::write(pool).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 20, finding 12: a blank limit lifted the limit (fail open), and without an
    /// accounts file any name of any length was stored.
    #[test]
    fn a_limit_names_configured_accounts_or_all_and_is_never_blank() {
        let known = ["dev".to_string(), "prod".to_string()];
        assert_eq!(parse_accounts("all", &known).expect("all"), None);
        assert_eq!(
            parse_accounts(" dev, dev ", &known).expect("dev"),
            Some(vec!["dev".to_string()])
        );
        for refused in ["", " ", ",", "staging"] {
            assert!(parse_accounts(refused, &known).is_err(), "{refused:?}");
        }
        assert!(parse_accounts(&"x".repeat(100_000), &[]).is_err());
        assert_eq!(parse_accounts("ALL", &[]).expect("all"), None);
    }

    #[test]
    fn a_limited_admin_grants_only_within_their_limit() {
        let dev = vec!["dev".to_string()];
        let limited = Actor {
            accounts: Some(dev.clone()),
            ..Actor::default()
        };
        assert!(grantable(&limited, Some(&dev)).is_ok());
        assert!(grantable(&limited, Some(&[])).is_ok());
        assert!(grantable(&limited, None).is_err());
        assert!(grantable(&limited, Some(&["dev".into(), "prod".into()])).is_err());
        assert!(grantable(&Actor::default(), None).is_ok());
    }
}
