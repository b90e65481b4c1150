//! Cost insight (issue 24): which WorkSpaces are in the wrong running mode, by Cost
//! Optimizer's rules ([`crate::model::judge`]), live for every account and Region.
//!
//! A background task reads each WorkSpace's `UserConnected` once a day ([`reading`]),
//! within a daily budget of metrics, and keeps the figures in the database
//! (`repo::usage`), so that `/cost` survives restarts and every node shows the same.
//! [`report`] judges the cached WorkSpaces against those figures for `/cost` and
//! `/cost.csv`; the switches themselves go through the bulk review and the one change
//! path like every other change.

mod policy;
mod reading;
mod report;

pub use policy::{POLICY_ACTOR, Schedule, is_last_day, run_policy};
pub use reading::{
    MAX_POINTS_PER_CALL, UsageReading, UsageSubject, dense, read_usage, usage_range,
};
pub use report::{cost_csv, cost_page, workspace_cost};

use std::time::Duration;

use chrono::{Datelike, TimeZone};

use crate::error::AppError;
use crate::model::{ModeLimits, PriceList, place_name};
use crate::server::repo::usage;
use crate::server::state::AppState;

/// How often each WorkSpace's usage is read.
pub const READ_EVERY: Duration = Duration::from_secs(24 * 3600);

/// How often the background task looks for WorkSpaces due a reading.
const CHECK_EVERY: Duration = Duration::from_secs(600);

/// Metrics read a day at most by default: 50,000 WorkSpaces, $0.50 a day.
pub const DEFAULT_BUDGET_METRICS: usize = 50_000;

/// The admin's settings of cost insight.
#[derive(Clone, Debug, PartialEq)]
pub struct CostSettings {
    /// Billable hours a month above which ALWAYS_ON is cheaper, per compute type.
    pub limits: ModeLimits,
    /// The tag key that leaves a WorkSpace alone (Cost Optimizer's `Skip_Convert`).
    pub skip_tag: String,
    /// Days without a connection after which a WorkSpace counts as unused.
    pub unused_days: i64,
    /// Metrics (one per WorkSpace read) requested a day at most.
    pub budget_metrics: usize,
    /// What each mode costs, from the prices file; `None`: hours only.
    pub prices: Option<PriceList>,
    /// The month-end policy: off, a dry run, or switching.
    pub schedule: Schedule,
}

impl Default for CostSettings {
    fn default() -> Self {
        CostSettings {
            limits: ModeLimits::default(),
            skip_tag: "Skip_Convert".into(),
            unused_days: 30,
            budget_metrics: DEFAULT_BUDGET_METRICS,
            prices: None,
            schedule: Schedule::Off,
        }
    }
}

/// The first second of the month of `now` (UTC).
pub fn month_start(now: i64) -> i64 {
    chrono::Utc
        .timestamp_opt(now, 0)
        .single()
        .and_then(|t| {
            chrono::Utc
                .with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0)
                .single()
        })
        .map_or(now, |t| t.timestamp())
}

/// RFC 3339 of `at` seconds, as the database keeps times.
pub(crate) fn rfc3339(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Reads the usage of every WorkSpace due a reading at `now` (never read, or read over
/// [`READ_EVERY`] ago) in every account and Region with CloudWatch, the longest unread
/// first, within what is left of the day's budget. Returns the WorkSpaces read.
pub async fn refresh_usage(state: &AppState, now: i64) -> Result<usize, AppError> {
    let settings = &state.cost;
    let day_ago = rfc3339(now - 86_400);
    let due_before = rfc3339(now - READ_EVERY.as_secs() as i64);
    let spent = usage::metrics_read_since(&state.pool, &day_ago).await?;
    let mut left = settings.budget_metrics.saturating_sub(spent);
    let mut read = 0;
    for api in state.health.cloudwatch.iter() {
        if left == 0 {
            break;
        }
        let place = (api.account(), api.region());
        let subjects = usage::subjects_due(&state.pool, place, &due_before, left).await?;
        if subjects.is_empty() {
            continue;
        }
        let attempted_at = rfc3339(now);
        match read_usage(api.as_ref(), &subjects, now, month_start(now)).await {
            Ok(readings) => {
                usage::store_usage(&state.pool, place, &attempted_at, &readings).await?;
                usage::record_read(&state.pool, place, &attempted_at, subjects.len(), None).await?;
                left = left.saturating_sub(subjects.len());
                read += readings.len();
            }
            Err(error) => {
                let problem = format!(
                    "CloudWatch could not be read in {}: {}",
                    place_name(place.0, place.1),
                    error.message
                );
                tracing::warn!("{problem}");
                usage::record_read(&state.pool, place, &attempted_at, 0, Some(&problem)).await?;
            }
        }
    }
    Ok(read)
}

/// Reads the usage due every few minutes, then runs the month-end policy when it is
/// due, for as long as the process runs. The first pass waits for `first_after` (the
/// first inventory sync).
pub async fn run_refresh(state: AppState, first_after: Duration) {
    tokio::time::sleep(first_after).await;
    loop {
        let now = chrono::Utc::now().timestamp();
        match refresh_usage(&state, now).await {
            Ok(0) => {}
            Ok(read) => tracing::info!("cost insight: usage of {read} WorkSpaces read"),
            Err(error) => tracing::warn!("cost insight: usage reading failed: {error}"),
        }
        match run_policy(&state, now).await {
            Ok(entries) if entries.is_empty() => {}
            Ok(entries) => tracing::info!("month-end cost policy ran: audit entries {entries:?}"),
            Err(error) => tracing::warn!("month-end cost policy failed: {error}"),
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_starts_on_its_first_day_at_midnight_utc() {
        // 2026-12-03T12:46:27Z
        let now = 1_796_301_987;
        assert_eq!(rfc3339(month_start(now)), "2026-12-01T00:00:00.000Z");
        assert_eq!(
            rfc3339(month_start(month_start(now))),
            "2026-12-01T00:00:00.000Z"
        );
    }
}
