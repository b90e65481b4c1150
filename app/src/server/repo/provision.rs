//! SQL of the `provision_requests` table: provisioning drafts between the form and the
//! review page, each readable by the admin who wrote it only, sent once.

use sqlx::AnyPool;

use crate::model::{ProvisionForm, ProvisionReport};
use crate::server::repo::inventory::now;

/// Drafts older than this are deleted when a new one is saved.
const KEEP_DAYS: i64 = 30;

/// A stored provisioning request.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub form: ProvisionForm,
    /// Whether it has been sent to AWS.
    pub sent: bool,
    /// AWS's answer, once the request has run.
    pub report: Option<ProvisionReport>,
}

/// Stores `form` as a new draft of user `user_id` and returns its number; drafts older
/// than 30 days go.
pub async fn save(pool: &AnyPool, user_id: i64, form: &ProvisionForm) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(form).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let cutoff = (chrono::Utc::now() - chrono::Duration::days(KEEP_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut tx = crate::server::repo::write(pool).await?;
    sqlx::query("DELETE FROM provision_requests WHERE created_at < $1")
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO provision_requests (user_id, created_at, form_json) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(user_id)
    .bind(now())
    .bind(json)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Draft `id` if user `user_id` wrote it.
pub async fn load(pool: &AnyPool, id: i64, user_id: i64) -> Result<Option<Draft>, sqlx::Error> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT form_json, sent_at, report_json FROM provision_requests WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    let Some((form, sent_at, report)) = row else {
        return Ok(None);
    };
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    Ok(Some(Draft {
        form: serde_json::from_str(&form).map_err(decode)?,
        sent: sent_at.is_some(),
        report: report
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(decode)?,
    }))
}

/// Marks draft `id` as sent; `false` when it was sent already (a second click, another
/// tab), so that a request runs once. A sent draft is never sent again, even when the
/// run fails: AWS may have created some of its WorkSpaces (the audit log says which).
pub async fn claim(pool: &AnyPool, id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE provision_requests SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores AWS's answer to draft `id`.
pub async fn finish(pool: &AnyPool, id: i64, report: &ProvisionReport) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(report).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE provision_requests SET report_json = $1 WHERE id = $2")
        .bind(json)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}
