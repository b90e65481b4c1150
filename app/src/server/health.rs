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
    FLEET_HEALTH_METRICS, HEALTH_PAGE_ROWS, HealthMetric, HealthPage, HealthQuery, HealthRow,
    HealthThresholds, HealthWindow, MetricHistory, SessionHealth, place_name,
};
use crate::server::aws::{AwsError, ErrorKind};
use crate::server::caller::Caller;
use crate::server::cloudwatch::{
    CloudWatchApi, MAX_SERIES_PER_CALL, MetricQuery, SeriesAnswer, SeriesQuery,
};
use crate::server::repo::inventory::{self, RunningWorkspace};
use crate::server::state::AppState;

/// Metrics one fleet refresh requests at most by default: 1,000 running WorkSpaces of
/// 7 metrics, $0.07 a refresh, $6.72 a day at one refresh per 15 minutes.
pub const DEFAULT_BUDGET_METRICS: usize = 7_000;

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
    /// Most metrics one fleet refresh may request (`FLEETDESK_HEALTH_BUDGET_METRICS`).
    pub budget_metrics: usize,
    cache: Arc<Mutex<HashMap<CacheKey, (Instant, SessionHealth)>>>,
    /// The last fleet-wide reading, for `/health`.
    fleet: Arc<Mutex<Option<FleetReading>>>,
}

/// One fleet refresh's figures.
#[derive(Clone, Debug, Default)]
pub struct FleetReading {
    pub read_at: String,
    pub rows: Vec<HealthRow>,
    pub running: usize,
    pub metrics_requested: usize,
    pub problems: Vec<String>,
}

impl Health {
    pub fn new(cloudwatch: Vec<Arc<dyn CloudWatchApi>>, thresholds: HealthThresholds) -> Self {
        Health {
            cloudwatch: Arc::new(cloudwatch),
            thresholds,
            budget_metrics: DEFAULT_BUDGET_METRICS,
            cache: Arc::default(),
            fleet: Arc::default(),
        }
    }

    /// With at most `metrics` CloudWatch metrics per fleet refresh.
    pub fn with_budget(mut self, metrics: usize) -> Self {
        self.budget_metrics = metrics;
        self
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
    // The row alone (no tags, no timeline): each chart of a card asks again.
    let ws = inventory::workspaces_by_id(caller.pool(), &[workspace_id.to_string()])
        .await?
        .into_iter()
        .find(|ws| caller.may_use(&ws.account))
        .ok_or_else(|| AppError::NotFound(format!("WorkSpace {workspace_id}")))?;
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
/// WorkSpace over [`window_bounds`].
pub fn card_query(workspace_id: &str, window: HealthWindow, now: i64) -> MetricQuery {
    let (start, end) = window_bounds(window, now);
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
        start,
        end,
        period_seconds: window.period_seconds(),
    }
}

/// The card's time range at `now`: the window ending at the period after `now`, periods
/// aligned to their length (CloudWatch rounds the start down the same way). The charts
/// draw the same range.
pub fn window_bounds(window: HealthWindow, now: i64) -> (i64, i64) {
    let period = i64::from(window.period_seconds());
    let end = (now / period + 1) * period;
    (end - window.seconds(), end)
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

/// Reads the fleet-wide figures once: the latest hour of [`FLEET_HEALTH_METRICS`] for the
/// running WorkSpaces, those with a user connected first, as many as the budget allows,
/// 500 series per GetMetricData call. Keeps the reading for `/health`.
pub async fn refresh_fleet(state: &AppState) -> Result<(), AppError> {
    let health = &state.health;
    let running = inventory::running_workspaces(&state.pool).await?;
    let per_workspace = FLEET_HEALTH_METRICS.len();
    let chosen = budgeted(&running, health.budget_metrics, per_workspace);
    let now = chrono::Utc::now().timestamp();
    let end = now / 300 * 300;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut metrics_requested = 0;
    for api in health.cloudwatch.iter() {
        let here: Vec<&RunningWorkspace> = chosen
            .iter()
            .filter(|w| w.account == api.account() && w.region == api.region())
            .collect();
        for chunk in here.chunks(MAX_SERIES_PER_CALL / per_workspace) {
            let query = fleet_query(chunk, end);
            metrics_requested += query.series.len();
            match api.metric_data(&query).await {
                Ok(answers) => rows.extend(fleet_rows(chunk, &answers)),
                Err(error) => {
                    problems.push(readable(&error, &place_name(api.account(), api.region())));
                    break;
                }
            }
        }
    }
    let reading = FleetReading {
        read_at: inventory::now(),
        rows,
        running: running.len(),
        metrics_requested,
        problems,
    };
    if let Ok(mut fleet) = health.fleet.lock() {
        *fleet = Some(reading);
    }
    Ok(())
}

/// Refreshes the fleet-wide figures every `every`, for as long as the process runs.
pub async fn run_refresh(state: AppState, every: Duration) {
    loop {
        if let Err(error) = refresh_fleet(&state).await {
            tracing::warn!("session health refresh failed: {error}");
        }
        tokio::time::sleep(every).await;
    }
}

/// The running WorkSpaces a refresh reads within `budget` metrics, connected ones first
/// (the order [`inventory::running_workspaces`] gives).
fn budgeted(
    running: &[RunningWorkspace],
    budget: usize,
    per_workspace: usize,
) -> Vec<RunningWorkspace> {
    running
        .iter()
        .take(budget / per_workspace.max(1))
        .cloned()
        .collect()
}

/// One GetMetricData call for `chunk`: each WorkSpace's fleet metrics as one point over
/// the hour before `end`.
fn fleet_query(chunk: &[&RunningWorkspace], end: i64) -> MetricQuery {
    MetricQuery {
        series: chunk
            .iter()
            .enumerate()
            .flat_map(|(w, ws)| {
                FLEET_HEALTH_METRICS
                    .iter()
                    .enumerate()
                    .map(move |(m, metric)| SeriesQuery {
                        id: format!("w{w}m{m}"),
                        metric_name: metric.metric_name().to_string(),
                        workspace_id: ws.id.clone(),
                        statistic: metric.statistic().to_string(),
                    })
            })
            .collect(),
        start: end - 3600,
        end,
        period_seconds: 3600,
    }
}

/// The rows of `chunk` from its answers: the latest point of each series.
fn fleet_rows(chunk: &[&RunningWorkspace], answers: &[SeriesAnswer]) -> Vec<HealthRow> {
    chunk
        .iter()
        .enumerate()
        .map(|(w, ws)| HealthRow {
            workspace_id: ws.id.clone(),
            account: ws.account.clone(),
            region: ws.region.clone(),
            user_name: ws.user_name.clone(),
            directory_id: ws.directory_id.clone(),
            values: FLEET_HEALTH_METRICS
                .iter()
                .enumerate()
                .filter_map(|(m, metric)| {
                    let id = format!("w{w}m{m}");
                    answers
                        .iter()
                        .find(|a| a.id == id)
                        .and_then(|a| a.points.last())
                        .map(|p| (*metric, p.value))
                })
                .collect(),
        })
        .collect()
}

/// The fleet-wide view for the caller: their accounts, the query's account and search,
/// in trouble only unless `all`, worst first by the query's metric, the first
/// [`HEALTH_PAGE_ROWS`].
pub async fn fleet_page(caller: &Caller, query: &HealthQuery) -> Result<HealthPage, AppError> {
    let mut page = fleet_view(caller, query)?;
    page.rows.truncate(HEALTH_PAGE_ROWS);
    Ok(page)
}

/// The whole view, every row.
fn fleet_view(caller: &Caller, query: &HealthQuery) -> Result<HealthPage, AppError> {
    crate::model::check_search(&query.q)?;
    let health = &caller.state.health;
    let reading = health
        .fleet
        .lock()
        .map(|fleet| fleet.clone())
        .unwrap_or_default()
        .unwrap_or_default();
    let thresholds = health.thresholds;
    let visible: Vec<HealthRow> = reading
        .rows
        .into_iter()
        .filter(|r| caller.may_use(&r.account))
        .collect();
    let workspaces_read = visible.len();
    let facet = |of: fn(&HealthRow) -> &String| {
        let mut values: Vec<String> = visible.iter().map(|r| of(r).clone()).collect();
        values.sort();
        values.dedup();
        values
    };
    let regions = facet(|r| &r.region);
    let directories = facet(|r| &r.directory_id);
    let sort = query.sort_metric();
    let mut rows: Vec<HealthRow> = visible
        .into_iter()
        .filter(|r| query.admits(r, &thresholds))
        .collect();
    rows.sort_by(|a, b| {
        let value = |r: &HealthRow| r.value(sort).unwrap_or(f64::MIN);
        value(b)
            .total_cmp(&value(a))
            .then(a.workspace_id.cmp(&b.workspace_id))
    });
    Ok(HealthPage {
        total: rows.len(),
        rows,
        read_at: (!reading.read_at.is_empty()).then_some(reading.read_at),
        workspaces_read,
        workspaces_running: reading.running,
        metrics_requested: reading.metrics_requested,
        thresholds,
        accounts: caller.accounts(),
        regions,
        directories,
        problems: reading.problems,
    })
}

/// `/health.csv`: the view's rows (see [`crate::server::export::health_csv`]).
pub async fn fleet_csv(caller: &Caller, query: &HealthQuery) -> Result<String, AppError> {
    let page = fleet_view(caller, query)?;
    Ok(crate::server::export::health_csv(&page.rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HealthPoint;

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

    #[test]
    fn a_refresh_keeps_to_its_budget_and_packs_500_series_per_call() {
        let running: Vec<RunningWorkspace> = (0..200)
            .map(|n| RunningWorkspace {
                account: String::new(),
                region: "eu-west-1".into(),
                id: format!("ws-{n:03}"),
                user_name: format!("u{n}"),
                directory_id: "d-1".into(),
            })
            .collect();
        let chosen = budgeted(&running, 700, FLEET_HEALTH_METRICS.len());
        assert_eq!(chosen.len(), 100, "700 metrics / 7 per WorkSpace");
        assert_eq!(
            chosen[0].id, "ws-000",
            "in the order given: connected first"
        );
        let refs: Vec<&RunningWorkspace> = chosen.iter().collect();
        let per_call = MAX_SERIES_PER_CALL / FLEET_HEALTH_METRICS.len();
        let query = fleet_query(&refs[..per_call], 7200);
        assert!(query.series.len() <= MAX_SERIES_PER_CALL);
        assert_eq!(query.series.len(), per_call * 7);
        assert_eq!(
            (query.start, query.end, query.period_seconds),
            (3600, 7200, 3600)
        );
        assert!(query.series.iter().all(|s| s.id.starts_with('w')));
        let answers = vec![SeriesAnswer {
            id: "w1m0".into(),
            points: vec![HealthPoint {
                at: 3600,
                value: 312.0,
            }],
        }];
        let rows = fleet_rows(&refs[..2], &answers);
        assert_eq!(rows[1].value(HealthMetric::InSessionLatency), Some(312.0));
        assert_eq!(rows[0].value(HealthMetric::InSessionLatency), None);
    }
}
