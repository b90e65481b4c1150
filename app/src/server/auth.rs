//! Who is using Fleetdesk: passwords (Argon2id, hashed off the async threads), login
//! with throttling of repeated failures, logout, and the session's user.
//!
//! The session stores only the user id and the login time; the user is loaded on every
//! request, so a disabled account or a role change bites at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use serde_json::json;
use sqlx::AnyPool;
use tower_sessions::Session;

use crate::error::AppError;
use crate::model::{Role, UserInfo};
use crate::server::repo::audit::{self, Actor, NewEntry};
use crate::server::repo::{login_throttle, users};

/// Session key of the logged-in user's id.
const USER_ID: &str = "user_id";
/// Session key of the login time (Unix seconds), for the absolute timeout.
const LOGGED_IN_AT: &str = "logged_in_at";
/// Session key: the user's credential version at login. A password reset, role change
/// or disable bumps the version and so ends every session that logged in before it.
const CREDENTIAL_VERSION: &str = "credential_version";
/// Session key of the last time (Unix seconds) the idle timeout was pushed back.
const RENEWED_AT: &str = "renewed_at";
/// How often a working user's session is renewed, at most: a request this long after
/// the last renewal writes the session again, which moves its expiry (in the store and
/// the cookie's `Max-Age`) to a full idle timeout from now. Not on every request, so a
/// page's burst of requests costs one write, not one each. (Sooner for idle timeouts
/// under 30 minutes: a thirtieth of the timeout.)
const RENEW_EVERY_SECONDS: u64 = 60;

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

/// Counts login attempts per user name *and* client address (the key an attacker cannot
/// use to lock someone else out from elsewhere) and, more loosely, per client address
/// (so one address cannot try many names). The third and later attempts of a key are
/// answered slowly; at its limit the key is locked for [`LOCK_FOR`].
///
/// An attempt is counted before its password is checked, in one step with the lock
/// check, so parallel wrong passwords cannot slip past the limit; a success forgets the
/// user's count at that address.
///
/// A locked address does not lock out the users who signed in from it before (issue 20,
/// finding 9: behind a NAT or an untrusted proxy, one person trying 50 names would lock
/// out the whole office): their own name-and-address limit still holds. New names from a
/// locked address wait out the lock (15 minutes).
///
/// The counts are shared by every node in the database: [`count_attempt`] and
/// [`count_success`] load the two keys' counts into a guard, let it decide, and store
/// what it changed, one attempt at a time.
#[derive(Default)]
pub struct LoginGuard {
    attempts: Mutex<HashMap<String, Attempts>>,
    /// Name-and-address keys that signed in successfully, most recent last.
    known_good: Mutex<std::collections::VecDeque<String>>,
}

/// The most name-and-address pairs remembered as known good.
pub(crate) const KNOWN_GOOD_PAIRS: usize = 10_000;

/// The counted attempts of one throttle key; times in Unix milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attempts {
    pub count: u32,
    pub since_ms: i64,
    pub locked_until_ms: Option<i64>,
    /// Attempts refused since the key was locked.
    pub refused: u32,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The longest user name (longer names are refused, and cut to this in the audit log).
pub const MAX_USER_NAME_CHARS: usize = 64;

/// Attempts older than this are forgotten.
const ATTEMPT_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed attempts of one user name from one address before that pair is locked.
const LOCK_PAIR_AFTER: u32 = 5;
/// Failed attempts from one address, whatever the names, before the address is locked.
const LOCK_ADDRESS_AFTER: u32 = 50;
/// How long a key stays locked.
pub const LOCK_FOR: Duration = Duration::from_secs(15 * 60);

/// The throttle keys of one login attempt.
pub struct LoginKeys {
    pair: String,
    address: String,
}

impl LoginKeys {
    pub fn new(user_name: &str, client_addr: Option<&str>) -> Self {
        let addr = client_addr.unwrap_or("unknown");
        LoginKeys {
            pair: format!("user:{}|addr:{addr}", user_name.to_lowercase()),
            address: format!("addr:{addr}"),
        }
    }
}

/// The throttle's answer to an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Go on, answering a failure after this delay.
    Allowed(Duration),
    /// Refused: the key is locked. `refused` counts the refusals of this lock so far, so
    /// that the audit log can hold one counted entry instead of one per attempt.
    Locked { refused: u32 },
}

impl Throttle {
    /// Whether a refusal is written to the audit log: the first of a lock, then the
    /// 10th, 100th, 1000th …, each saying how many there were. An anonymous caller
    /// hammering a locked name cannot grow the log by more than a few entries.
    pub fn refusal_is_recorded(refused: u32) -> bool {
        refused == 1 || (refused >= 10 && 10u32.pow(refused.ilog10()) == refused)
    }
}

impl LoginGuard {
    fn with_attempts<T>(&self, change: impl FnOnce(&mut HashMap<String, Attempts>) -> T) -> T {
        match self.attempts.lock() {
            Ok(mut map) => change(&mut map),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
    }

    /// Whether `keys`' user signed in from this address before.
    fn is_known_good(&self, keys: &LoginKeys) -> bool {
        match self.known_good.lock() {
            Ok(known) => known.contains(&keys.pair),
            Err(poisoned) => poisoned.into_inner().contains(&keys.pair),
        }
    }

    /// Counts an attempt against both keys, unless one of them is locked (the address
    /// lock does not apply to a user who signed in from the address before).
    pub fn attempt(&self, keys: &LoginKeys) -> Throttle {
        let now = now_ms();
        let known_good = self.is_known_good(keys);
        self.with_attempts(|map| {
            let limits = [
                (&keys.pair, LOCK_PAIR_AFTER),
                (&keys.address, LOCK_ADDRESS_AFTER),
            ];
            for (key, _) in &limits {
                if known_good && *key == &keys.address {
                    continue;
                }
                if let Some(attempts) = map.get_mut(*key) {
                    if attempts.locked_until_ms.is_some_and(|until| until > now) {
                        attempts.refused = attempts.refused.saturating_add(1);
                        return Throttle::Locked {
                            refused: attempts.refused,
                        };
                    }
                }
            }
            let mut pair_count = 0;
            for (key, limit) in limits {
                let fresh = Attempts {
                    count: 0,
                    since_ms: now,
                    locked_until_ms: None,
                    refused: 0,
                };
                let entry = map.entry(key.clone()).or_insert(fresh);
                if now.saturating_sub(entry.since_ms) > millis(ATTEMPT_WINDOW) {
                    *entry = fresh;
                }
                entry.count += 1;
                if entry.count >= limit {
                    entry.locked_until_ms = Some(now.saturating_add(millis(LOCK_FOR)));
                }
                if *key == keys.pair {
                    pair_count = entry.count;
                }
            }
            Throttle::Allowed(Duration::from_secs(
                u64::from(pair_count.saturating_sub(2)).min(3),
            ))
        })
    }

    /// Forgets the user's attempts at this address after a successful login, and counts
    /// the success off the address.
    pub fn succeeded(&self, keys: &LoginKeys) {
        self.with_attempts(|map| {
            map.remove(&keys.pair);
            if let Some(address) = map.get_mut(&keys.address) {
                address.count = address.count.saturating_sub(1);
            }
        });
        let mut known = match self.known_good.lock() {
            Ok(known) => known,
            Err(poisoned) => poisoned.into_inner(),
        };
        known.retain(|pair| pair != &keys.pair);
        known.push_back(keys.pair.clone());
        while known.len() > KNOWN_GOOD_PAIRS {
            known.pop_front();
        }
    }

    /// A guard holding the stored counts of one attempt's keys.
    fn loaded(attempts: Vec<(String, Attempts)>, known_good: Option<&str>) -> Self {
        Self {
            attempts: Mutex::new(attempts.into_iter().collect()),
            known_good: Mutex::new(known_good.map(str::to_string).into_iter().collect()),
        }
    }

    /// The counts of `key` now (`None`: nothing counted).
    fn counts_of(&self, key: &str) -> Option<Attempts> {
        self.with_attempts(|map| map.get(key).copied())
    }
}

/// Loads the counts of `keys` from the shared store (in `conn`'s transaction, under the
/// throttle's lock) into a guard.
async fn load_guard(
    conn: &mut sqlx::AnyConnection,
    keys: &LoginKeys,
) -> Result<LoginGuard, sqlx::Error> {
    crate::server::repo::lock_until_commit(conn, login_throttle::LOCK).await?;
    let known = login_throttle::is_known_good(conn, &keys.pair).await?;
    let attempts = login_throttle::attempts(conn, [&keys.pair, &keys.address]).await?;
    Ok(LoginGuard::loaded(
        attempts,
        known.then_some(keys.pair.as_str()),
    ))
}

/// Stores what `guard` now counts for `keys`.
async fn store_guard(
    conn: &mut sqlx::AnyConnection,
    guard: &LoginGuard,
    keys: &LoginKeys,
) -> Result<(), sqlx::Error> {
    for key in [&keys.pair, &keys.address] {
        login_throttle::store(conn, key, guard.counts_of(key).as_ref()).await?;
    }
    Ok(())
}

/// Counts a login attempt in the counts every node shares ([`LoginGuard::attempt`]).
pub async fn count_attempt(pool: &AnyPool, keys: &LoginKeys) -> Result<Throttle, sqlx::Error> {
    let mut tx = crate::server::repo::write(pool).await?;
    let guard = load_guard(&mut tx, keys).await?;
    let throttle = guard.attempt(keys);
    store_guard(&mut tx, &guard, keys).await?;
    tx.commit().await?;
    Ok(throttle)
}

/// Counts a successful login in the shared counts ([`LoginGuard::succeeded`]).
pub async fn count_success(pool: &AnyPool, keys: &LoginKeys) -> Result<(), sqlx::Error> {
    let mut tx = crate::server::repo::write(pool).await?;
    let guard = load_guard(&mut tx, keys).await?;
    guard.succeeded(keys);
    store_guard(&mut tx, &guard, keys).await?;
    login_throttle::remember_good(&mut tx, &keys.pair, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets counts older than the attempt window whose lock is over (the sessions sweep
/// calls it).
pub async fn forget_stale_attempts(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let now = now_ms();
    login_throttle::forget_stale(pool, now - millis(ATTEMPT_WINDOW), now).await
}

/// Where a request comes from, for the audit log and the login throttle.
#[derive(Clone, Debug, Default)]
pub struct RequestOrigin {
    pub addr: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestOrigin {
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
            accounts: user.and_then(|u| u.accounts.clone()),
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
    pool: &AnyPool,
    session: &Session,
    client: &RequestOrigin,
    name: &str,
    password: &str,
) -> Result<Result<UserInfo, LoginRefusal>, AppError> {
    // Issue 16, finding 1: nothing longer than a user name can be is stored or keyed on.
    let name = name.trim();
    let oversized = name.chars().count() > MAX_USER_NAME_CHARS || password.len() > 1024;
    let kept: String = name.chars().take(MAX_USER_NAME_CHARS).collect();
    let name = kept.as_str();
    let keys = LoginKeys::new(name, client.addr.as_deref());
    let delay = match count_attempt(pool, &keys).await? {
        Throttle::Allowed(delay) => delay,
        Throttle::Locked { refused } => {
            if Throttle::refusal_is_recorded(refused) {
                let detail = if refused == 1 {
                    "locked after repeated failures".to_string()
                } else {
                    format!("locked: {refused} attempts refused during this lock")
                };
                audit::record(
                    pool,
                    &client.actor(None, name),
                    &login_entry(name, SignInMethod::Password),
                    crate::model::EntryOutcome::Failed,
                    Some(&detail),
                )
                .await?;
            }
            return Ok(Err(LoginRefusal::Locked));
        }
    };
    if oversized {
        audit::record(
            pool,
            &client.actor(None, name),
            &login_entry(name, SignInMethod::Password),
            crate::model::EntryOutcome::Failed,
            Some("user name or password over the length limit"),
        )
        .await?;
        tokio::time::sleep(delay).await;
        return Ok(Err(LoginRefusal::BadCredentials));
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
            let user = found.map(|(user, _)| user);
            let detail = match &user {
                Some(user) if user.disabled => "account disabled",
                Some(_) => "wrong password",
                None => "unknown user name",
            };
            audit::record(
                pool,
                &client.actor(user.as_ref(), name),
                &login_entry(name, SignInMethod::Password),
                crate::model::EntryOutcome::Failed,
                Some(detail),
            )
            .await?;
            tokio::time::sleep(delay).await;
            return Ok(Err(LoginRefusal::BadCredentials));
        }
    };
    count_success(pool, &keys).await?;
    start_session(pool, session, client, &user, SignInMethod::Password).await?;
    Ok(Ok(user))
}

/// How a user signed in, as the `method` of their `login` audit entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// User name and password.
    Password,
    /// The OpenID Connect provider (see [`crate::server::oidc`]).
    Sso,
}

impl SignInMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::Sso => "sso",
        }
    }
}

/// The `login` audit entry of a sign-in attempt as `name`.
pub fn login_entry(name: &str, method: SignInMethod) -> NewEntry {
    NewEntry {
        action: "login".into(),
        params: json!({ "username": name, "method": method.as_str() }),
        reason: None,
    }
}

/// Starts a fresh session for `user`, whichever way they signed in: a new session id (so
/// a session id planted before the login is worthless), the user id, the login time for
/// the absolute timeout and the user's credential version; then the `login` audit entry.
pub async fn start_session(
    pool: &AnyPool,
    session: &Session,
    client: &RequestOrigin,
    user: &UserInfo,
    method: SignInMethod,
) -> Result<(), AppError> {
    let write = |error: tower_sessions::session::Error| internal("cannot write the session", error);
    session
        .cycle_id()
        .await
        .map_err(|error| internal("cannot cycle the session id", error))?;
    session.insert(USER_ID, user.id).await.map_err(write)?;
    let now = chrono::Utc::now().timestamp();
    session.insert(LOGGED_IN_AT, now).await.map_err(write)?;
    session.insert(RENEWED_AT, now).await.map_err(write)?;
    let version = users::credential_version(pool, user.id).await?.unwrap_or(0);
    session
        .insert(CREDENTIAL_VERSION, version)
        .await
        .map_err(write)?;
    audit::record(
        pool,
        &client.actor(Some(user), &user.name),
        &login_entry(&user.name, method),
        crate::model::EntryOutcome::Succeeded,
        None,
    )
    .await?;
    Ok(())
}

/// Ends the session and records the logout.
pub async fn logout(
    pool: &AnyPool,
    session: &Session,
    user: &UserInfo,
    client: &RequestOrigin,
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
        crate::model::EntryOutcome::Succeeded,
        None,
    )
    .await?;
    Ok(())
}

/// The session's user, if the session is valid: the user exists, is not disabled, and
/// the login is younger than `absolute_timeout`. An invalid session is ended; a valid
/// one is renewed, so that it ends only after `idle_timeout` without requests.
pub async fn session_user(
    pool: &AnyPool,
    session: &Session,
    absolute_timeout: Duration,
    idle_timeout: Duration,
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
    let session_version = session
        .get::<i64>(CREDENTIAL_VERSION)
        .await
        .map_err(read)?
        .unwrap_or(0);
    let found = users::with_credential_version(pool, id).await?;
    let valid = matches!(&found, Some((user, version)) if !user.disabled && *version == session_version)
        && age <= absolute_timeout.as_secs() as i64;
    let user = found.map(|(user, _)| user);
    if !valid {
        session
            .flush()
            .await
            .map_err(|error| internal("cannot end the session", error))?;
        return Ok(None);
    }
    renew(session, idle_timeout).await?;
    Ok(user)
}

/// Slides the idle timeout: marks the session changed (at most once a minute) so that
/// the session layer stores it with a new expiry and sends the cookie again. Without
/// this, tower-sessions writes a session only when it changes, and the idle timeout set
/// at login would end a busy user's session 30 minutes after signing in.
async fn renew(session: &Session, idle_timeout: Duration) -> Result<(), AppError> {
    let every = RENEW_EVERY_SECONDS.min(idle_timeout.as_secs() / 30);
    let now = chrono::Utc::now().timestamp();
    let renewed_at = session
        .get::<i64>(RENEWED_AT)
        .await
        .map_err(|error| internal("cannot read the session", error))?
        .unwrap_or(0);
    if now.saturating_sub(renewed_at) >= i64::try_from(every).unwrap_or(i64::MAX) {
        session
            .insert(RENEWED_AT, now)
            .await
            .map_err(|error| internal("cannot write the session", error))?;
    }
    Ok(())
}

/// Whether `role` includes `required`.
pub fn allows(role: Role, required: Role) -> bool {
    role >= required
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_slow_down_then_lock_and_success_forgets() {
        let guard = LoginGuard::default();
        let anna = LoginKeys::new("Anna", Some("10.0.0.1"));
        let delays: Vec<Throttle> = (0..5).map(|_| guard.attempt(&anna)).collect();
        assert_eq!(
            delays,
            [0, 0, 1, 2, 3].map(|s| Throttle::Allowed(Duration::from_secs(s)))
        );
        assert_eq!(
            guard.attempt(&anna),
            Throttle::Locked { refused: 1 },
            "locked after five"
        );
        assert_eq!(guard.attempt(&anna), Throttle::Locked { refused: 2 });
        // Issue 16, finding 3: the lock is anna's at that address, not anna's everywhere.
        let anna_elsewhere = LoginKeys::new("anna", Some("10.0.0.9"));
        assert_eq!(
            guard.attempt(&anna_elsewhere),
            Throttle::Allowed(Duration::ZERO)
        );
        let bob = LoginKeys::new("bob", Some("10.0.0.1"));
        assert_eq!(guard.attempt(&bob), Throttle::Allowed(Duration::ZERO));
        guard.attempt(&bob);
        guard.succeeded(&bob);
        assert_eq!(
            guard.attempt(&bob),
            Throttle::Allowed(Duration::ZERO),
            "counts restart after a success"
        );
    }

    /// Issue 16, finding 2: twelve parallel wrong passwords make five counted attempts
    /// at most get through; the rest are refused before their password is checked.
    #[test]
    fn parallel_attempts_cannot_pass_the_limit() {
        let guard = std::sync::Arc::new(LoginGuard::default());
        let allowed: usize = (0..12)
            .map(|_| {
                let guard = guard.clone();
                std::thread::spawn(move || {
                    guard.attempt(&LoginKeys::new("admin", Some("198.51.100.7")))
                })
            })
            .map(|thread| thread.join().expect("thread"))
            .filter(|answer| matches!(answer, Throttle::Allowed(_)))
            .count();
        assert_eq!(allowed, 5);
    }

    /// Issue 16, finding 1: refusals during a lock are recorded as the 1st, 10th, 100th …
    #[test]
    fn refusals_of_a_lock_are_recorded_as_counted_entries() {
        let recorded: Vec<u32> = (1..=2000)
            .filter(|n| Throttle::refusal_is_recorded(*n))
            .collect();
        assert_eq!(recorded, vec![1, 10, 100, 1000]);
    }

    /// One address cannot try many user names without limit either.
    #[test]
    fn an_address_trying_many_names_is_locked() {
        let guard = LoginGuard::default();
        for n in 0..LOCK_ADDRESS_AFTER {
            let keys = LoginKeys::new(&format!("user{n}"), Some("203.0.113.5"));
            assert!(matches!(guard.attempt(&keys), Throttle::Allowed(_)), "{n}");
        }
        let next = LoginKeys::new("someone", Some("203.0.113.5"));
        assert_eq!(guard.attempt(&next), Throttle::Locked { refused: 1 });
    }

    /// Issue 20, finding 9: a user who signed in from an address before is not locked
    /// out by someone else trying many names from it (a NAT); their own limit holds.
    #[test]
    fn a_locked_address_still_lets_its_known_users_in() {
        let guard = LoginGuard::default();
        let anna = LoginKeys::new("anna", Some("198.51.100.7"));
        assert!(matches!(guard.attempt(&anna), Throttle::Allowed(_)));
        guard.succeeded(&anna);
        for n in 0..LOCK_ADDRESS_AFTER {
            guard.attempt(&LoginKeys::new(&format!("guess{n}"), Some("198.51.100.7")));
        }
        let stranger = LoginKeys::new("newcomer", Some("198.51.100.7"));
        assert!(matches!(guard.attempt(&stranger), Throttle::Locked { .. }));
        assert!(
            matches!(guard.attempt(&anna), Throttle::Allowed(_)),
            "anna still gets in"
        );
        for _ in 1..LOCK_PAIR_AFTER {
            guard.attempt(&anna);
        }
        assert!(
            matches!(guard.attempt(&anna), Throttle::Locked { .. }),
            "her own limit holds"
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
