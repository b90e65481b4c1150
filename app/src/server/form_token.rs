//! One-time form tokens: a change is sent once.
//!
//! Each form that sends a change (the bulk review, a WorkSpace's action forms) carries a
//! random token, made on the server with the data the form shows, so the server and the
//! hydrating browser render the same one. Sending the change spends the token; the same
//! form sent again (a second click, a resent post, a reload of the result) is refused
//! before anything reaches AWS. A fresh page load gets a fresh token.

use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::ActionReport;
use crate::server::repo::inventory::now;

/// How long spent tokens are kept: longer than any page stays open.
const KEEP_DAYS: i64 = 7;

/// A new token: 128 random bits, hex.
pub fn issue() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Spends `token` for `user_id`: refused (400) when it was spent before. An empty token
/// (a script calling the API, which sends each request once) is not checked.
pub async fn spend(pool: &AnyPool, user_id: i64, token: &str) -> Result<(), AppError> {
    if token.is_empty() {
        return Ok(());
    }
    if token.len() > 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(refused(
            "this form's one-time token is not one Fleetdesk made",
        ));
    }
    let cutoff = (chrono::Utc::now() - chrono::Duration::days(KEEP_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query("DELETE FROM used_form_tokens WHERE used_at < $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO used_form_tokens (token, user_id, used_at) VALUES ($1, $2, $3) \
         ON CONFLICT (token) DO NOTHING",
    )
    .bind(token)
    .bind(user_id)
    .bind(now())
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(refused(
            "this form was sent already, and its change with it; reload the page to make another",
        ));
    }
    Ok(())
}

/// Gives `token` back when its change was refused before anything was sent (a missing
/// reason, a wrong confirmation word), so the user can correct the form and send it.
pub async fn release(pool: &AnyPool, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM used_form_tokens WHERE token = $1")
        .bind(token)
        .execute(pool)
        .await?;
    Ok(())
}

/// Sends `change` once for the form token `token`: spends it first, and gives it back
/// when the change was refused without reaching AWS (validation, role, unknown id). A
/// plain form post then goes back to its page with the change marked done (see
/// `changes::execute`).
pub async fn send_once(
    pool: &AnyPool,
    user_id: i64,
    token: &str,
    change: impl std::future::Future<Output = Result<ActionReport, AppError>>,
) -> Result<ActionReport, AppError> {
    spend(pool, user_id, token).await?;
    let result = change.await;
    if let Err(AppError::Validation { .. } | AppError::Forbidden | AppError::NotFound(_)) = &result
    {
        if !token.is_empty() {
            release(pool, token).await?
        }
    }
    result
}

fn refused(message: &str) -> AppError {
    AppError::Validation {
        field: "form".into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (issue(), issue());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
