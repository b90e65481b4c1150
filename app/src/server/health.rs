//! Session health (issue 23): a WorkSpace's CloudWatch metrics for its page.
//!
//! One GetMetricData call reads every metric of the card (10 series); the answer is kept
//! for [`CACHE_FOR`], so a help-desk agent reloading the page, or several agents on the
//! same WorkSpace, cost one call per window every few minutes (CloudWatch bills per
//! metric requested, $0.01 per 1,000). A refusal or an unreachable CloudWatch is shown on
//! the card with AWS's message; every other page keeps working.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::AppError;
use crate::model::{
    HealthMetric, HealthPoint, HealthThresholds, HealthWindow, MetricHistory, SessionHealth,
    place_name,
};
use crate::server::aws::{AwsError, ErrorKind};
use crate::server::caller::Caller;
use crate::server::cloudwatch::{CloudWatchApi, MetricQuery, SeriesQuery};
use crate::server::repo::inventory;

/// How long a WorkSpace's figures are reused before CloudWatch is read again.
pub const CACHE_FOR: Duration = Duration::from_secs(300);

/// Where a card's figures are kept: (account, Region, WorkSpace, window).
type CacheKey = (String, String, String, HealthWindow);

/// The CloudWatch side of the process state: one client per account and Region, the
/// thresholds, and the figures read lately.
#[derive(Clone)]
pub struct Health {
    pub cloudwatch: Arc<Vec<Arc<dyn CloudWatchApi>>>,
    pub thresholds: HealthThresholds,
    cache: Arc<Mutex<HashMap<CacheKey, (Instant, SessionHealth)>>>,
}

impl Health {
    pub fn new(cloudwatch: Vec<Arc<dyn CloudWatchApi>>, thresholds: HealthThresholds) -> Self {
        Health {
            cloudwatch: Arc::new(cloudwatch),
            thresholds,
            cache: Arc::default(),
        }
    }

    /// No CloudWatch at all (tests that do not read metrics).
    pub fn none() -> Self {
        Health::new(Vec::new(), HealthThresholds::default())
    }

    fn cached(&self, key: &CacheKey) -> Option<SessionHealth> {
        let cache = self.cache.lock().ok()?;
        let (at, health) = cache.get(key)?;
        (at.elapsed() < CACHE_FOR).then(|| health.clone())
    }

    fn keep(&self, key: CacheKey, health: &SessionHealth) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
            cache.insert(key, (Instant::now(), health.clone()));
        }
    }
}

/// The session health of WorkSpace `workspace_id` over `window`, from the cache of
/// figures or from CloudWatch. A WorkSpace outside the caller's accounts is not found.
pub async fn session_health(
    caller: &Caller,
    workspace_id: &str,
    window: HealthWindow,
) -> Result<SessionHealth, AppError> {
    let record = inventory::workspace(caller.pool(), workspace_id)
        .await?
        .filter(|r| caller.may_use(&r.workspace.account))
        .ok_or_else(|| AppError::NotFound(format!("WorkSpace {workspace_id}")))?;
    let ws = record.workspace;
    let health = &caller.state.health;
    let empty = SessionHealth {
        workspace_id: ws.id.clone(),
        window,
        thresholds: Some(health.thresholds),
        ..SessionHealth::default()
    };
    let Some(client) = caller.cloudwatch(&ws.account, &ws.region) else {
        return Ok(SessionHealth {
            problem: Some(format!(
                "CloudWatch is not configured for {}",
                place_name(&ws.account, &ws.region)
            )),
            ..empty
        });
    };
    let key = (ws.account.clone(), ws.region.clone(), ws.id.clone(), window);
    if let Some(found) = health.cached(&key) {
        return Ok(found);
    }
    let now = chrono::Utc::now().timestamp();
    let query = card_query(&ws.id, window, now);
    let read = match client.metric_data(&query).await {
        Ok(answers) => SessionHealth {
            read_at: inventory::now(),
            histories: HealthMetric::ALL
                .iter()
                .enumerate()
                .map(|(n, metric)| MetricHistory {
                    metric: *metric,
                    points: answers
                        .iter()
                        .find(|a| a.id == series_id(n))
                        .map(|a| a.points.clone())
                        .unwrap_or_default(),
                })
                .collect(),
            ..empty
        },
        Err(error) => {
            return Ok(SessionHealth {
                problem: Some(readable(&error, &place_name(&ws.account, &ws.region))),
                ..empty
            });
        }
    };
    health.keep(key, &read);
    Ok(read)
}

/// The id of the card's `n`th series (GetMetricData ids start with a lowercase letter).
fn series_id(n: usize) -> String {
    format!("m{n}")
}

/// The card's one GetMetricData call: every metric of [`HealthMetric::ALL`] for the
/// WorkSpace, over the window ending at the period after `now`, periods aligned to
/// their length (CloudWatch rounds the start down the same way).
pub fn card_query(workspace_id: &str, window: HealthWindow, now: i64) -> MetricQuery {
    let period = i64::from(window.period_seconds());
    let end = (now / period + 1) * period;
    MetricQuery {
        series: HealthMetric::ALL
            .iter()
            .enumerate()
            .map(|(n, metric)| SeriesQuery {
                id: series_id(n),
                metric_name: metric.metric_name().to_string(),
                workspace_id: workspace_id.to_string(),
                statistic: metric.statistic().to_string(),
            })
            .collect(),
        start: end - window.seconds(),
        end,
        period_seconds: window.period_seconds(),
    }
}

/// AWS's refusal in words a help-desk agent can act on: a missing permission names it.
fn readable(error: &AwsError, place: &str) -> String {
    match error.kind {
        ErrorKind::AccessDenied => format!(
            "CloudWatch refused in {place}: Fleetdesk's role needs cloudwatch:GetMetricData \
             ({})",
            error.message
        ),
        _ => format!("CloudWatch could not be read in {place}: {}", error.message),
    }
}

/// The latest point of each metric, for lists and the CSV.
pub fn latest(health: &SessionHealth, metric: HealthMetric) -> Option<HealthPoint> {
    health.history(metric).latest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_reads_every_metric_in_one_call_on_aligned_periods() {
        let query = card_query("ws-1", HealthWindow::Hours3, 10_000);
        assert_eq!(query.series.len(), HealthMetric::ALL.len());
        assert_eq!(query.period_seconds, 300);
        assert_eq!(query.end, 10_200, "the period after now, aligned");
        assert_eq!(query.end - query.start, 3 * 3600);
        assert_eq!(query.series[0].metric_name, "InSessionLatency");
        assert_eq!(query.series[0].statistic, "Maximum");
        assert!(query.series.iter().all(|s| s.workspace_id == "ws-1"));
    }

    #[test]
    fn a_refusal_names_the_missing_permission() {
        let denied = AwsError {
            kind: ErrorKind::AccessDenied,
            code: "AccessDenied".into(),
            message: "User is not authorized".into(),
        };
        let text = readable(&denied, "prod eu-west-1");
        assert!(text.contains("cloudwatch:GetMetricData"), "{text}");
        assert!(text.contains("prod eu-west-1"), "{text}");
    }
}
