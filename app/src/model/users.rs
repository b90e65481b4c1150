//! Users and roles.

use serde::{Deserialize, Serialize};

/// What a Fleetdesk user may do. Ordered: each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads everything.
    Viewer,
    /// Viewer, plus refresh, reboot, start, stop, rebuild and restore.
    Helpdesk,
    /// Everything, including terminate, modify, resource changes and users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Helpdesk, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Helpdesk => "helpdesk",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value.trim().to_lowercase())
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user as pages see it: never the password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// Where the user signs in: a Fleetdesk password or the single sign-on provider.
    pub source: UserSource,
    /// The accounts (by configured name) the user may see and act on; `None`: every
    /// account. Set with `fleetdesk user set-accounts` or on the Users page; for SSO
    /// users from their groups at each sign-in.
    #[serde(default)]
    pub accounts: Option<Vec<String>>,
}

impl UserInfo {
    /// Whether this user's account limit lies within `limit` (see [`limit_within`]).
    pub fn within(&self, limit: Option<&[String]>) -> bool {
        limit_within(self.accounts.as_deref(), limit)
    }

    /// Whether the user may see and act on `account`.
    pub fn may_use(&self, account: &str) -> bool {
        may_use(self.accounts.as_deref(), account)
    }
}

/// Whether an account limit (`None`: no limit) lets one use `account`. The one account
/// of a setup without an accounts file (`""`) is open to everyone: limits name
/// configured accounts only.
pub fn may_use(limit: Option<&[String]>, account: &str) -> bool {
    match limit {
        None => true,
        Some(allowed) => account.is_empty() || allowed.iter().any(|a| a == account),
    }
}

/// Whether the account limit `inner` lies within `outer` (`None`: no limit): every
/// account `inner` opens, `outer` opens too. An admin limited to some accounts manages
/// only users within their own limit, and grants only accounts of it.
pub fn limit_within(inner: Option<&[String]>, outer: Option<&[String]>) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(inner), Some(outer)) => inner.iter().all(|account| outer.contains(account)),
    }
}

/// The users page: every user, and the configured accounts (empty without an accounts
/// file: no Accounts column then).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsersView {
    pub users: Vec<UserInfo>,
    pub accounts: Vec<String>,
}

/// How a user signs in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserSource {
    /// A Fleetdesk user name and password (also the break-glass accounts under SSO).
    #[default]
    Local,
    /// The OpenID Connect provider; the role follows the provider's groups.
    Oidc,
}

impl UserSource {
    pub fn as_str(self) -> &'static str {
        match self {
            UserSource::Local => "local",
            UserSource::Oidc => "oidc",
        }
    }
}

/// What the login page offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginOptions {
    /// The single sign-on provider's name for the "Sign in with …" link, when configured.
    pub sso_provider: Option<String>,
    /// Whether user name and password sign-in is on.
    pub password: bool,
}
