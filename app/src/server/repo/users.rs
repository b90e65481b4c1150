//! SQL of the `users` table. Password hashes are read here and by the login check only;
//! single sign-on users are found by their provider identity (issuer, subject).
//! Changes take a connection, not the pool: they run in the transaction that also
//! records their audit entry ([`crate::server::users`]).

use sqlx::{AnyConnection, AnyExecutor, AnyPool, FromRow};

use crate::server::repo::sql::Flag;

use crate::model::{Role, UserInfo, UserSource};
use crate::server::repo::inventory::now;

#[derive(FromRow)]
struct UserRow {
    id: i64,
    name: String,
    role: String,
    #[sqlx(try_from = "Flag")]
    disabled: bool,
    source: String,
    /// JSON array of account names, or NULL for every account.
    accounts: Option<String>,
}

/// The columns of [`UserRow`], for every query that reads one.
const USER_COLUMNS: &str = "id, name, role, disabled, source, accounts";

impl UserRow {
    /// Rows with a role this version does not know are treated as viewers, the least.
    fn into_info(self) -> UserInfo {
        UserInfo {
            id: self.id,
            role: Role::parse(&self.role).unwrap_or(Role::Viewer),
            name: self.name,
            disabled: self.disabled,
            source: if self.source == UserSource::Oidc.as_str() {
                UserSource::Oidc
            } else {
                UserSource::Local
            },
            // An unreadable limit must not widen access: it reads as no account.
            accounts: self
                .accounts
                .map(|json| serde_json::from_str(&json).unwrap_or_default()),
        }
    }
}

/// Creates a user; `Ok(None)` when the name is taken.
pub async fn create(
    conn: &mut AnyConnection,
    name: &str,
    password_hash: &str,
    role: Role,
) -> Result<Option<UserInfo>, sqlx::Error> {
    let at = now();
    let row: Option<UserRow> = sqlx::query_as(
        "INSERT INTO users (name, password_hash, role, disabled, created_at, updated_at) \
         VALUES ($1, $2, $3, 0, $4, $5) ON CONFLICT DO NOTHING \
         RETURNING id, name, role, disabled, source, accounts",
    )
    .bind(name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(&at)
    .bind(&at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(UserRow::into_info))
}

pub async fn by_id(db: impl AnyExecutor<'_>, id: i64) -> Result<Option<UserInfo>, sqlx::Error> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(UserRow::into_info))
}

pub async fn by_name(pool: &AnyPool, name: &str) -> Result<Option<UserInfo>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE lower(name) = lower($1)"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(UserRow::into_info))
}

/// A local user and their password hash, for the login check. Single sign-on users have
/// no password: for the password form they do not exist.
pub async fn credentials(
    pool: &AnyPool,
    name: &str,
) -> Result<Option<(UserInfo, String)>, sqlx::Error> {
    #[derive(FromRow)]
    struct CredentialRow {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let row: Option<CredentialRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, password_hash FROM users WHERE lower(name) = lower($1) AND source = 'local'"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.user.into_info(), row.password_hash)))
}

/// The single sign-on user with this provider identity.
pub async fn by_oidc_identity(
    db: impl AnyExecutor<'_>,
    issuer: &str,
    subject: &str,
) -> Result<Option<UserInfo>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users \
         WHERE source = 'oidc' AND oidc_issuer = $1 AND oidc_subject = $2"
    ))
    .bind(issuer)
    .bind(subject)
    .fetch_optional(db)
    .await?;
    Ok(row.map(UserRow::into_info))
}

/// Stores a new single sign-on user; `Ok(None)` when the name is taken. The password
/// hash is a placeholder that no password verifies.
pub async fn create_oidc(
    conn: &mut AnyConnection,
    name: &str,
    role: Role,
    issuer: &str,
    subject: &str,
) -> Result<Option<UserInfo>, sqlx::Error> {
    let at = now();
    let row: Option<UserRow> = sqlx::query_as(
        "INSERT INTO users (name, password_hash, role, disabled, created_at, updated_at, \
         source, oidc_issuer, oidc_subject) \
         VALUES ($1, '!sso', $2, 0, $3, $4, 'oidc', $5, $6) ON CONFLICT DO NOTHING \
         RETURNING id, name, role, disabled, source, accounts",
    )
    .bind(name)
    .bind(role.as_str())
    .bind(&at)
    .bind(&at)
    .bind(issuer)
    .bind(subject)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(UserRow::into_info))
}

pub async fn list(pool: &AnyPool) -> Result<Vec<UserInfo>, sqlx::Error> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY lower(name)"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(UserRow::into_info).collect())
}

pub async fn count(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await
}

/// Active admins other than `except` (the user about to be changed).
pub async fn other_active_admins(
    db: impl AnyExecutor<'_>,
    except: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != $1",
    )
    .bind(except)
    .fetch_one(db)
    .await
}

pub async fn set_role(conn: &mut AnyConnection, id: i64, role: Role) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2, credential_version = credential_version + 1 WHERE id = $3")
        .bind(role.as_str())
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Limits the user to `accounts` (`None`: every account). Takes effect at the user's
/// next request: sessions read the user afresh each time.
pub async fn set_accounts(
    conn: &mut AnyConnection,
    id: i64,
    accounts: Option<&[String]>,
) -> Result<bool, sqlx::Error> {
    let json = accounts.map(|list| serde_json::to_string(list).unwrap_or_else(|_| "[]".into()));
    let done = sqlx::query("UPDATE users SET accounts = $1, updated_at = $2 WHERE id = $3")
        .bind(json)
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_disabled(
    conn: &mut AnyConnection,
    id: i64,
    disabled: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET disabled = $1, updated_at = $2, credential_version = credential_version + 1 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password(
    conn: &mut AnyConnection,
    id: i64,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2, credential_version = credential_version + 1 WHERE id = $3")
        .bind(password_hash)
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the user's sessions (bumps their credential version) without another change:
/// a single sign-on user who left every Fleetdesk group.
pub async fn end_sessions(db: impl AnyExecutor<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET credential_version = credential_version + 1 WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A session's user with their credential version (see the `credential_version`
/// migration), in one query; `None` for an unknown id.
pub async fn with_credential_version(
    pool: &AnyPool,
    id: i64,
) -> Result<Option<(UserInfo, i64)>, sqlx::Error> {
    #[derive(FromRow)]
    struct SessionRow {
        #[sqlx(flatten)]
        user: UserRow,
        credential_version: i64,
    }
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, credential_version FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.user.into_info(), row.credential_version)))
}

/// The user's credential version (see the `credential_version` migration); `None` for
/// an unknown id.
pub async fn credential_version(pool: &AnyPool, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT credential_version FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
