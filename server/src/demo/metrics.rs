//! The demo's CloudWatch: a believable session-health history for the demo fleet, the
//! same at every start. Most WorkSpaces are healthy; a few have high latency, packet
//! loss, a full disk or failed connections; stopped (and other not-running) WorkSpaces
//! have no data, as in CloudWatch. Answers the same [`MetricQuery`] the SDK adapter does.

use std::sync::Arc;

use app::model::{HealthMetric, HealthPoint, WorkspaceState};
use app::server::aws::{AwsError, WorkspacesApi};
use app::server::cloudwatch::{CloudWatchApi, MetricQuery, SeriesAnswer};
use async_trait::async_trait;

use super::seed::hash;

/// CloudWatch of one demo Region, reading the WorkSpaces' states from that Region's
/// demo client so that stopped WorkSpaces have no data.
pub struct DemoCloudWatch {
    workspaces: Arc<dyn WorkspacesApi>,
}

impl DemoCloudWatch {
    pub fn new(workspaces: Arc<dyn WorkspacesApi>) -> Self {
        DemoCloudWatch { workspaces }
    }
}

#[async_trait]
impl CloudWatchApi for DemoCloudWatch {
    fn region(&self) -> &str {
        self.workspaces.region()
    }

    fn account(&self) -> &str {
        self.workspaces.account()
    }

    async fn metric_data(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError> {
        let mut ids: Vec<String> = query
            .series
            .iter()
            .map(|s| s.workspace_id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let running: Vec<String> = self
            .workspaces
            .describe_workspaces_by_id(&ids)
            .await?
            .into_iter()
            .filter(|ws| {
                matches!(
                    ws.workspace.state,
                    WorkspaceState::Available | WorkspaceState::Unhealthy
                )
            })
            .map(|ws| ws.workspace.id)
            .collect();
        Ok(query
            .series
            .iter()
            .map(|series| {
                let mut points = history(&series.workspace_id, &series.metric_name, query);
                if !running.contains(&series.workspace_id) {
                    // Not running now: no data, except the use of the days before it
                    // stopped (what cost insight reads).
                    let stopped_at = query.end - STOPPED_FOR_SECONDS;
                    let earlier_use = series.metric_name == "UserConnected";
                    points.retain(|p| earlier_use && p.at < stopped_at);
                }
                SeriesAnswer {
                    id: series.id.clone(),
                    points,
                }
            })
            .collect())
    }
}

/// How long a demo WorkSpace that is not running has been stopped.
const STOPPED_FOR_SECONDS: i64 = 24 * 3600;

/// What kind of trouble a demo WorkSpace has, from its id: about one in twelve.
#[derive(Clone, Copy, PartialEq)]
enum Trouble {
    None,
    Latency,
    PacketLoss,
    FullDisk,
    FailedConnections,
}

fn trouble(id: &str) -> Trouble {
    match hash(id) % 48 {
        0 | 1 => Trouble::Latency,
        2 => Trouble::PacketLoss,
        3 => Trouble::FullDisk,
        4 => Trouble::FailedConnections,
        _ => Trouble::None,
    }
}

/// One metric's points over the query's range, one per period.
fn history(id: &str, metric_name: &str, query: &MetricQuery) -> Vec<HealthPoint> {
    let Some(metric) = HealthMetric::ALL
        .into_iter()
        .find(|m| m.metric_name() == metric_name)
    else {
        return Vec::new();
    };
    let period = i64::from(query.period_seconds.max(60));
    let trouble = trouble(id);
    let seed = hash(id);
    let first = (query.start + period - 1) / period * period;
    (0..)
        .map(|n| first + n * period)
        .take_while(|at| *at < query.end)
        .map(|at| HealthPoint {
            at,
            value: value(metric, trouble, seed, at),
        })
        .collect()
}

/// A value that wanders a little around a level typical of the metric (and of the
/// WorkSpace's trouble), with a working-day rhythm.
fn value(metric: HealthMetric, trouble: Trouble, seed: u64, at: i64) -> f64 {
    let wobble = (hash(&format!("{seed}-{at}")) % 1000) as f64 / 1000.0; // 0..1
    let hour = (at / 3600) % 24;
    let busy = if (8..18).contains(&hour) { 1.0 } else { 0.4 };
    match metric {
        HealthMetric::InSessionLatency => match trouble {
            Trouble::Latency => 290.0 + 120.0 * wobble,
            _ => 40.0 + (seed % 60) as f64 + 30.0 * wobble,
        },
        HealthMetric::UdpPacketLossRate => match trouble {
            Trouble::PacketLoss => 6.0 + 4.0 * wobble,
            _ => 0.2 * wobble,
        },
        HealthMetric::ConnectionAttempt => (busy * 2.0 * wobble).round(),
        HealthMetric::ConnectionFailure => match trouble {
            Trouble::FailedConnections => (1.0 + 2.0 * wobble).round(),
            _ => 0.0,
        },
        HealthMetric::SessionLaunchTime => 8.0 + 10.0 * wobble,
        HealthMetric::CpuUsage => busy * (20.0 + 40.0 * wobble),
        HealthMetric::MemoryUsage => 45.0 + 25.0 * wobble,
        HealthMetric::RootVolumeDiskUsage => 40.0 + (seed % 30) as f64,
        HealthMetric::UserVolumeDiskUsage => match trouble {
            Trouble::FullDisk => 93.0 + 5.0 * wobble,
            _ => 20.0 + (seed % 50) as f64,
        },
        HealthMetric::UserConnected => connected(seed, at),
    }
}

/// Whether the user of a demo WorkSpace is connected at `at` (1 or 0), by a usage profile
/// from its id, so that cost insight has clear candidates each way: three in ten work
/// 08:00-18:00 on working days, three 09:00-12:00, three an hour every third day, and
/// one in ten never connects.
fn connected(seed: u64, at: i64) -> f64 {
    let day = at.div_euclid(86_400);
    // 1 January 1970 was a Thursday: day 0 is weekday 3 (Monday 0).
    let working_day = (day + 3).rem_euclid(7) < 5;
    let minute = at.rem_euclid(86_400) / 60;
    let within = |from: i64, to: i64| (from * 60..to * 60).contains(&minute);
    let on = match seed % 10 {
        0..=2 => working_day && within(8, 18),
        3..=5 => working_day && within(9, 12),
        6..=8 => day % 3 == (seed % 3) as i64 && within(10, 11),
        _ => false,
    };
    if on { 1.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::connected;
    use app::model::{timeout_minutes, usage};

    /// 30 days of one profile's points, billed for `mode` with a 60-minute timeout.
    fn billed(seed: u64, mode: &str) -> f64 {
        let points: Vec<f64> = (0..30 * 288).map(|n| connected(seed, n * 300)).collect();
        usage(&points, timeout_minutes(mode, Some(60))).billable_hours
    }

    #[test]
    fn the_profiles_fall_on_both_sides_of_the_standard_limit() {
        assert!(billed(0, "AUTO_STOP") > 85.0, "{}", billed(0, "AUTO_STOP"));
        assert!(billed(6, "ALWAYS_ON") <= 85.0, "{}", billed(6, "ALWAYS_ON"));
        assert_eq!(billed(9, "ALWAYS_ON"), 0.0);
    }
}
