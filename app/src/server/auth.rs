//! Who is using Fleetdesk: passwords (Argon2id, hashed off the async threads), login
//! with throttling of repeated failures, logout, and the session's user.
//!
//! The session stores only the user id and the login time; the user is loaded on every
//! request, so a disabled account or a role change bites at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use serde_json::json;
use sqlx::SqlitePool;
use tower_sessions::Session;

use crate::error::AppError;
use crate::model::{Role, UserInfo};
use crate::server::repo::audit::{self, Actor, NewEntry};
use crate::server::repo::users;

/// Session key of the logged-in user's id.
const USER_ID: &str = "user_id";
/// Session key of the login time (Unix seconds), for the absolute timeout.
const LOGGED_IN_AT: &str = "logged_in_at";

/// The shortest password accepted.
pub const MIN_PASSWORD_LENGTH: usize = 12;

/// Hashes a password with Argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|error| internal("password hashing task failed", error))?
    .map_err(|error| internal("password hashing failed", error))
}

/// Checks a password against a stored hash on a blocking thread.
async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .map_err(|error| internal("password check task failed", error))?
    .map_err(|error| internal("a stored password hash is unreadable", error))
}

fn internal(what: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!("{what}: {error}");
    AppError::Internal
}

/// A random password of 20 letters and digits, for demo accounts.
pub fn generate_password() -> String {
    use argon2::password_hash::rand_core::RngCore;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..20)
        .map(|_| ALPHABET[(OsRng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

/// Refuses user names and passwords Fleetdesk does not accept, saying why.
pub fn validate_new_user(name: &str, password: &str) -> Result<(), AppError> {
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !name_ok {
        return Err(AppError::Validation {
            field: "username".into(),
            message: "use 1 to 64 letters, digits, '.', '_', '-' or '@'".into(),
        });
    }
    validate_password(password)
}

pub fn validate_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(AppError::Validation {
            field: "password".into(),
            message: format!("use at least {MIN_PASSWORD_LENGTH} characters"),
        });
    }
    Ok(())
}

/// Counts failed logins per user name and per client address: the third and later
/// failures are answered slowly, and the fifth locks the key for a while.
#[derive(Default)]
pub struct LoginGuard {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
    locked_until: Option<Instant>,
}

/// Failures older than this are forgotten.
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures before a key is locked.
const LOCK_AFTER: u32 = 5;
/// How long a key stays locked.
pub const LOCK_FOR: Duration = Duration::from_secs(15 * 60);

impl LoginGuard {
    fn with_failures<T>(&self, change: impl FnOnce(&mut HashMap<String, Failures>) -> T) -> T {
        match self.failures.lock() {
            Ok(mut map) => change(&mut map),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
    }

    /// True when any of `keys` is locked now.
    pub fn is_locked(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        self.with_failures(|map| {
            keys.iter().any(|key| {
                map.get(key)
                    .and_then(|f| f.locked_until)
                    .is_some_and(|until| until > now)
            })
        })
    }

    /// Notes a failure for each key and returns how long to delay the answer.
    pub fn failed(&self, keys: &[String]) -> Duration {
        let now = Instant::now();
        self.with_failures(|map| {
            let mut worst = 0;
            for key in keys {
                let entry = map.entry(key.clone()).or_insert(Failures {
                    count: 0,
                    since: now,
                    locked_until: None,
                });
                if now.duration_since(entry.since) > FAILURE_WINDOW {
                    *entry = Failures {
                        count: 0,
                        since: now,
                        locked_until: None,
                    };
                }
                entry.count += 1;
                if entry.count >= LOCK_AFTER {
                    entry.locked_until = Some(now + LOCK_FOR);
                }
                worst = worst.max(entry.count);
            }
            Duration::from_secs(u64::from(worst.saturating_sub(2)).min(3))
        })
    }

    /// Forgets the failures of `key` after a successful login.
    pub fn succeeded(&self, key: &str) {
        self.with_failures(|map| map.remove(key));
    }
}

/// Where a request comes from, for the audit log and the login throttle.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub addr: Option<String>,
    pub user_agent: Option<String>,
}

impl Client {
    /// The audit actor for `user` (or an unknown user name) calling from here.
    pub fn actor(&self, user: Option<&UserInfo>, name: &str) -> Actor {
        Actor {
            id: user.map(|u| u.id),
            name: user
                .map(|u| u.name.clone())
                .unwrap_or_else(|| name.to_string()),
            role: user.map(|u| u.role),
            client_addr: self.addr.clone(),
            user_agent: self.user_agent.clone(),
        }
    }
}

/// Why a login was refused; the page shows the same text for a wrong name and a wrong
/// password, so it does not tell which user names exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    BadCredentials,
    Locked,
}

/// Checks the credentials, throttles failures, and on success starts a fresh session
/// (new session id) for the user. Every attempt is audited.
pub async fn login(
    pool: &SqlitePool,
    guard: &LoginGuard,
    session: &Session,
    client: &Client,
    name: &str,
    password: &str,
) -> Result<Result<UserInfo, LoginRefusal>, AppError> {
    let name = name.trim();
    let keys = vec![
        format!("user:{}", name.to_lowercase()),
        format!("addr:{}", client.addr.as_deref().unwrap_or("unknown")),
    ];
    let event = |action: &str| NewEntry {
        action: action.into(),
        params: json!({ "username": name }),
        reason: None,
    };
    if guard.is_locked(&keys) {
        audit::record(
            pool,
            &client.actor(None, name),
            &event("login"),
            "failed",
            Some("locked after repeated failures"),
        )
        .await?;
        return Ok(Err(LoginRefusal::Locked));
    }
    let found = users::credentials(pool, name).await?;
    let verified = match &found {
        Some((user, hash)) if !user.disabled => {
            verify_password(password.to_string(), hash.clone()).await?
        }
        // Spend the same time on unknown and disabled users as on real ones.
        _ => {
            let _ = hash_password(password.to_string()).await?;
            false
        }
    };
    let user = match found {
        Some((user, _)) if verified => user,
        found => {
            let delay = guard.failed(&keys);
            let user = found.map(|(user, _)| user);
            let detail = match &user {
                Some(user) if user.disabled => "account disabled",
                Some(_) => "wrong password",
                None => "unknown user name",
            };
            audit::record(
                pool,
                &client.actor(user.as_ref(), name),
                &event("login"),
                "failed",
                Some(detail),
            )
            .await?;
            tokio::time::sleep(delay).await;
            return Ok(Err(if guard.is_locked(&keys) {
                LoginRefusal::Locked
            } else {
                LoginRefusal::BadCredentials
            }));
        }
    };
    guard.succeeded(&keys[0]);
    session
        .cycle_id()
        .await
        .map_err(|error| internal("cannot cycle the session id", error))?;
    session
        .insert(USER_ID, user.id)
        .await
        .map_err(|error| internal("cannot write the session", error))?;
    session
        .insert(LOGGED_IN_AT, chrono::Utc::now().timestamp())
        .await
        .map_err(|error| internal("cannot write the session", error))?;
    audit::record(
        pool,
        &client.actor(Some(&user), name),
        &event("login"),
        "succeeded",
        None,
    )
    .await?;
    Ok(Ok(user))
}

/// Ends the session and records the logout.
pub async fn logout(
    pool: &SqlitePool,
    session: &Session,
    user: &UserInfo,
    client: &Client,
) -> Result<(), AppError> {
    session
        .flush()
        .await
        .map_err(|error| internal("cannot end the session", error))?;
    let entry = NewEntry {
        action: "logout".into(),
        params: json!({}),
        reason: None,
    };
    audit::record(
        pool,
        &client.actor(Some(user), &user.name),
        &entry,
        "succeeded",
        None,
    )
    .await?;
    Ok(())
}

/// The session's user, if the session is valid: the user exists, is not disabled, and
/// the login is younger than `absolute_timeout`. An invalid session is ended.
pub async fn session_user(
    pool: &SqlitePool,
    session: &Session,
    absolute_timeout: Duration,
) -> Result<Option<UserInfo>, AppError> {
    let read = |error: tower_sessions::session::Error| internal("cannot read the session", error);
    let Some(id) = session.get::<i64>(USER_ID).await.map_err(read)? else {
        return Ok(None);
    };
    let logged_in_at = session
        .get::<i64>(LOGGED_IN_AT)
        .await
        .map_err(read)?
        .unwrap_or(0);
    let age = chrono::Utc::now().timestamp().saturating_sub(logged_in_at);
    let user = users::by_id(pool, id).await?;
    let valid =
        matches!(&user, Some(user) if !user.disabled) && age <= absolute_timeout.as_secs() as i64;
    if !valid {
        session
            .flush()
            .await
            .map_err(|error| internal("cannot end the session", error))?;
        return Ok(None);
    }
    Ok(user)
}

/// Whether `role` includes `required`.
pub fn allows(role: Role, required: Role) -> bool {
    role >= required
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_then_lock_and_success_forgets() {
        let guard = LoginGuard::default();
        let keys = vec!["user:anna".to_string(), "addr:10.0.0.1".to_string()];
        let delays: Vec<u64> = (0..4).map(|_| guard.failed(&keys).as_secs()).collect();
        assert_eq!(delays, vec![0, 0, 1, 2]);
        assert!(!guard.is_locked(&keys));
        guard.failed(&keys);
        assert!(guard.is_locked(&keys), "locked at the fifth failure");
        assert!(
            guard.is_locked(&["addr:10.0.0.1".to_string()]),
            "the address too"
        );
        let other = vec!["user:bob".to_string(), "addr:10.0.0.2".to_string()];
        assert!(!guard.is_locked(&other));
        guard.failed(&other);
        guard.succeeded("user:bob");
        assert_eq!(
            guard.failed(&other).as_secs(),
            0,
            "counts restart after a success"
        );
    }

    #[test]
    fn roles_include_the_lower_ones() {
        assert!(allows(Role::Admin, Role::Helpdesk));
        assert!(allows(Role::Helpdesk, Role::Helpdesk));
        assert!(!allows(Role::Viewer, Role::Helpdesk));
    }

    #[test]
    fn new_users_need_a_clean_name_and_a_long_password() {
        assert!(validate_new_user("anna.m", "correct horse battery").is_ok());
        assert!(validate_new_user("anna m", "correct horse battery").is_err());
        assert!(validate_new_user("", "correct horse battery").is_err());
        assert!(validate_new_user("anna", "short").is_err());
    }
}
