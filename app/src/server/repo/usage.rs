//! SQL of cost insight's usage: each WorkSpace's reading of `UserConnected`
//! (`workspace_usage`), each account and Region's last reading (`usage_reads`), the
//! rows `/cost` judges (the cached WorkSpaces with their reading), and the month-end
//! policy's runs (`cost_policy_runs`).

use sqlx::{AnyPool, FromRow};

use crate::server::repo::sql::Flag;

use crate::model::{UsageFigures, UsageReadStatus};
use crate::server::cost::{UsageReading, UsageSubject};

/// The WorkSpaces of `(account, region)` whose usage was never read or was read before
/// `read_before`, the longest unread first, at most `limit`. WorkSpaces being created or
/// terminated are left out.
pub async fn subjects_due(
    pool: &AnyPool,
    (account, region): (&str, &str),
    read_before: &str,
    limit: usize,
) -> Result<Vec<UsageSubject>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.id AS workspace_id, COALESCE(w.running_mode, '') AS running_mode, \
         w.auto_stop_timeout_minutes \
         FROM workspaces w LEFT JOIN workspace_usage u \
         ON u.account = w.account AND u.region = w.region AND u.workspace_id = w.id \
         WHERE w.account = $1 AND w.region = $2 AND w.removed_at IS NULL \
         AND w.state NOT IN ('PENDING', 'TERMINATING', 'TERMINATED') \
         AND (u.read_at IS NULL OR u.read_at < $3) \
         ORDER BY u.read_at IS NOT NULL, u.read_at, w.id LIMIT $4",
    )
    .bind(account)
    .bind(region)
    .bind(read_before)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await
}

/// How many WorkSpaces were read since `since`: the metrics the day's budget has spent
/// (one per WorkSpace), in every node and since every restart.
pub async fn metrics_read_since(pool: &AnyPool, since: &str) -> Result<usize, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspace_usage WHERE read_at >= $1")
        .bind(since)
        .fetch_one(pool)
        .await?;
    Ok(usize::try_from(count).unwrap_or(0))
}

/// Keeps `readings` of `(account, region)`, read at `read_at`, in one transaction.
pub async fn store_usage(
    pool: &AnyPool,
    (account, region): (&str, &str),
    read_at: &str,
    readings: &[UsageReading],
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for reading in readings {
        let last = reading.last_connected_at.and_then(|at| {
            chrono::DateTime::from_timestamp(at, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        });
        sqlx::query(
            "INSERT INTO workspace_usage (account, region, workspace_id, read_at, sessions_30d, \
             billable_hours_30d, sessions_mtd, billable_hours_mtd, last_connected_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (account, region, workspace_id) DO UPDATE SET \
             read_at = excluded.read_at, sessions_30d = excluded.sessions_30d, \
             billable_hours_30d = excluded.billable_hours_30d, \
             sessions_mtd = excluded.sessions_mtd, \
             billable_hours_mtd = excluded.billable_hours_mtd, \
             last_connected_at = COALESCE(excluded.last_connected_at, workspace_usage.last_connected_at)",
        )
        .bind(account)
        .bind(region)
        .bind(&reading.workspace_id)
        .bind(read_at)
        .bind(reading.last_30_days.sessions as i64)
        .bind(reading.last_30_days.billable_hours)
        .bind(reading.month_to_date.sessions as i64)
        .bind(reading.month_to_date.billable_hours)
        .bind(last)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Records how a reading of `(account, region)` made at `attempted_at` ended: the
/// metrics it requested, or CloudWatch's refusal.
pub async fn record_read(
    pool: &AnyPool,
    (account, region): (&str, &str),
    attempted_at: &str,
    metrics_requested: usize,
    problem: Option<&str>,
) -> Result<(), sqlx::Error> {
    let succeeded_at = problem.is_none().then_some(attempted_at);
    sqlx::query(
        "INSERT INTO usage_reads (account, region, attempted_at, succeeded_at, \
         metrics_requested, problem) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (account, region) DO UPDATE SET attempted_at = excluded.attempted_at, \
         succeeded_at = COALESCE(excluded.succeeded_at, usage_reads.succeeded_at), \
         metrics_requested = excluded.metrics_requested, problem = excluded.problem",
    )
    .bind(account)
    .bind(region)
    .bind(attempted_at)
    .bind(succeeded_at)
    .bind(metrics_requested as i64)
    .bind(problem)
    .execute(pool)
    .await?;
    Ok(())
}

/// Claims the month-end policy's run of `month` (`YYYY-MM`): true for the one caller
/// that inserted the row, false when the month has already run.
pub async fn claim_policy_run(
    pool: &AnyPool,
    month: &str,
    ran_at: &str,
    mode: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO cost_policy_runs (month, ran_at, mode) VALUES ($1, $2, $3) \
         ON CONFLICT (month) DO NOTHING",
    )
    .bind(month)
    .bind(ran_at)
    .bind(mode)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct ReadRow {
    account: String,
    region: String,
    attempted_at: String,
    succeeded_at: Option<String>,
    metrics_requested: i64,
    problem: Option<String>,
}

/// The last reading of every account and Region.
pub async fn usage_reads(pool: &AnyPool) -> Result<Vec<UsageReadStatus>, sqlx::Error> {
    let rows: Vec<ReadRow> = sqlx::query_as(
        "SELECT account, region, attempted_at, succeeded_at, metrics_requested, problem \
         FROM usage_reads ORDER BY account, region",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UsageReadStatus {
            account: r.account,
            region: r.region,
            attempted_at: r.attempted_at,
            succeeded_at: r.succeeded_at,
            metrics_requested: usize::try_from(r.metrics_requested).unwrap_or(0),
            problem: r.problem,
        })
        .collect())
}

/// A cached WorkSpace as cost insight judges it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostInput {
    pub account: String,
    pub region: String,
    pub workspace_id: String,
    pub directory_id: String,
    pub user_name: String,
    pub bundle_id: String,
    pub state: String,
    pub running_mode: String,
    pub compute_type: String,
    pub standby: bool,
    /// Tagged with the skip key.
    pub skip_tagged: bool,
    /// The connection status: checked at all, and the last connection AWS knows of.
    pub connection_checked: bool,
    pub last_user_connection: Option<String>,
    pub usage: Option<UsageFigures>,
    /// The last connection CloudWatch showed.
    pub last_connected_at: Option<String>,
}

#[derive(FromRow)]
struct InputRow {
    account: String,
    region: String,
    id: String,
    directory_id: String,
    user_name: String,
    bundle_id: String,
    state: String,
    running_mode: Option<String>,
    compute_type: Option<String>,
    standby_role: Option<String>,
    #[sqlx(try_from = "Flag")]
    skip_tagged: bool,
    connection_checked_at: Option<String>,
    last_user_connection_at: Option<String>,
    read_at: Option<String>,
    sessions_30d: Option<i64>,
    billable_hours_30d: Option<f64>,
    billable_hours_mtd: Option<f64>,
    last_connected_at: Option<String>,
}

/// Every cached WorkSpace (not removed), or only WorkSpace `only`, with its usage;
/// `skip_tag` names the tag key that leaves a WorkSpace alone.
pub async fn cost_inputs(
    pool: &AnyPool,
    skip_tag: &str,
    only: Option<&str>,
) -> Result<Vec<CostInput>, sqlx::Error> {
    let rows: Vec<InputRow> = sqlx::query_as(
        "SELECT w.account, w.region, w.id, w.directory_id, w.user_name, w.bundle_id, w.state, \
         w.running_mode, w.compute_type, w.standby_role, \
         EXISTS (SELECT 1 FROM workspace_tags t WHERE t.workspace_id = w.id AND t.key = $1) \
           AS skip_tagged, \
         w.connection_checked_at, w.last_user_connection_at, \
         u.read_at, u.sessions_30d, u.billable_hours_30d, u.billable_hours_mtd, \
         u.last_connected_at \
         FROM workspaces w LEFT JOIN workspace_usage u \
         ON u.account = w.account AND u.region = w.region AND u.workspace_id = w.id \
         WHERE w.removed_at IS NULL AND ($2 IS NULL OR w.id = $2) ORDER BY w.id",
    )
    .bind(skip_tag)
    .bind(only)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CostInput {
            usage: r.read_at.map(|read_at| UsageFigures {
                read_at,
                sessions_30d: usize::try_from(r.sessions_30d.unwrap_or(0)).unwrap_or(0),
                billable_hours_30d: r.billable_hours_30d.unwrap_or(0.0),
                billable_hours_mtd: r.billable_hours_mtd.unwrap_or(0.0),
            }),
            account: r.account,
            region: r.region,
            workspace_id: r.id,
            directory_id: r.directory_id,
            user_name: r.user_name,
            bundle_id: r.bundle_id,
            state: r.state,
            running_mode: r.running_mode.unwrap_or_default(),
            compute_type: r.compute_type.unwrap_or_default(),
            standby: r.standby_role.as_deref() == Some("standby"),
            skip_tagged: r.skip_tagged,
            connection_checked: r.connection_checked_at.is_some(),
            last_user_connection: r.last_user_connection_at,
            last_connected_at: r.last_connected_at,
        })
        .collect())
}
