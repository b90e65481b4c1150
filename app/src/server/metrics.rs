//! Prometheus metrics of the process: request counts and latency by route, AWS calls
//! (WorkSpaces, CloudWatch) by Region, operation and outcome (throttles included), the
//! CloudWatch metrics requested, and the age of each
//! Region's last successful sync. Served as text at `/metrics` when a metrics token is
//! configured (see the server's `--metrics-token`).
//!
//! One registry per process, like Prometheus client libraries keep: requests and AWS
//! calls are counted where they happen (the router's access log, the rate limiter every
//! call passes) without handing a registry through every layer.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};

use crate::model::SyncStatus;

/// Upper bounds (seconds) of the request latency histogram's buckets.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0,
];

#[derive(Default)]
struct Histogram {
    /// Observations per bucket of [`BUCKETS`] (not cumulative), then above the last.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
}

#[derive(Default)]
struct Registry {
    /// (route, status) → requests.
    requests: BTreeMap<(String, u16), u64>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
    /// (Region, operation, outcome) → calls.
    aws_calls: BTreeMap<(String, String, &'static str), u64>,
    /// Region → CloudWatch metrics requested (what GetMetricData is billed by).
    cloudwatch_metrics: BTreeMap<String, u64>,
}

/// The process's metrics.
#[derive(Default)]
pub struct Metrics {
    registry: Mutex<Registry>,
}

/// The one registry of the process.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::default)
}

/// What became of a WorkSpaces API call, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    Ok,
    Throttled,
    Error,
}

impl CallOutcome {
    fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Ok => "ok",
            CallOutcome::Throttled => "throttled",
            CallOutcome::Error => "error",
        }
    }
}

/// The operation a `Query` or `Change` stands for, from its `Debug` form: the variant
/// names up to the first field (`Workspaces`, `Workspace.Reboot`, `IpGroup.Create`). A
/// bounded set, fit for a label.
pub fn operation_name(debug: &str) -> String {
    debug
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '(')
        .next()
        .unwrap_or_default()
        .split('(')
        .filter(|part| part.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .collect::<Vec<_>>()
        .join(".")
}

impl Metrics {
    fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one answered request of `route` and its time to the response head.
    pub fn record_request(&self, route: &str, status: u16, seconds: f64) {
        let mut registry = self.registry();
        *registry
            .requests
            .entry((route.to_string(), status))
            .or_default() += 1;
        let histogram = registry.latency.entry(route.to_string()).or_default();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        histogram.counts[bucket] += 1;
        histogram.sum += seconds;
    }

    /// Counts one WorkSpaces API call.
    pub fn record_aws_call(&self, region: &str, operation: &str, outcome: CallOutcome) {
        *self
            .registry()
            .aws_calls
            .entry((region.to_string(), operation.to_string(), outcome.as_str()))
            .or_default() += 1;
    }

    /// Counts the metrics (series) one GetMetricData call requested in `region`.
    pub fn record_cloudwatch_metrics(&self, region: &str, metrics: usize) {
        *self
            .registry()
            .cloudwatch_metrics
            .entry(region.to_string())
            .or_default() += metrics as u64;
    }

    /// The Prometheus text exposition: the counters, and the age in seconds of each
    /// Region's and resource's last successful sync at `now_unix`.
    pub fn render(&self, sync: &[SyncStatus], now_unix: i64) -> String {
        let registry = self.registry();
        let mut out = String::new();
        let label = |value: &str| value.replace('\\', "\\\\").replace('"', "\\\"");
        out.push_str(
            "# HELP fleetdesk_http_requests_total Requests answered, by route and status.\n",
        );
        out.push_str("# TYPE fleetdesk_http_requests_total counter\n");
        for ((route, status), count) in &registry.requests {
            let _ = writeln!(
                out,
                "fleetdesk_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                label(route)
            );
        }
        out.push_str(
            "# HELP fleetdesk_http_request_duration_seconds Time to the response head, by route.\n",
        );
        out.push_str("# TYPE fleetdesk_http_request_duration_seconds histogram\n");
        for (route, histogram) in &registry.latency {
            let route = label(route);
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "fleetdesk_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let total: u64 = histogram.counts.iter().sum();
            let _ = writeln!(
                out,
                "fleetdesk_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {total}"
            );
            let _ = writeln!(
                out,
                "fleetdesk_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "fleetdesk_http_request_duration_seconds_count{{route=\"{route}\"}} {total}"
            );
        }
        out.push_str("# HELP fleetdesk_aws_calls_total AWS calls (WorkSpaces, CloudWatch), by Region, operation and outcome (ok, throttled, error).\n");
        out.push_str("# TYPE fleetdesk_aws_calls_total counter\n");
        for ((region, operation, outcome), count) in &registry.aws_calls {
            let _ = writeln!(
                out,
                "fleetdesk_aws_calls_total{{region=\"{}\",operation=\"{}\",outcome=\"{outcome}\"}} {count}",
                label(region),
                label(operation)
            );
        }
        out.push_str("# HELP fleetdesk_cloudwatch_metrics_requested_total CloudWatch metrics requested through GetMetricData (billed per 1,000), by Region.\n");
        out.push_str("# TYPE fleetdesk_cloudwatch_metrics_requested_total counter\n");
        for (region, count) in &registry.cloudwatch_metrics {
            let _ = writeln!(
                out,
                "fleetdesk_cloudwatch_metrics_requested_total{{region=\"{}\"}} {count}",
                label(region)
            );
        }
        out.push_str("# HELP fleetdesk_sync_age_seconds Seconds since the last successful sync, by account, Region and resource.\n");
        out.push_str("# TYPE fleetdesk_sync_age_seconds gauge\n");
        for status in sync {
            let Some(at) = status
                .last_success_at
                .as_deref()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "fleetdesk_sync_age_seconds{{account=\"{}\",region=\"{}\",resource=\"{}\"}} {}",
                label(&status.account),
                label(&status.region),
                label(&status.resource),
                (now_unix - at.timestamp()).max(0)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_by_their_variants() {
        assert_eq!(
            operation_name("Workspaces { next_token: None }"),
            "Workspaces"
        );
        assert_eq!(operation_name("Account"), "Account");
        assert_eq!(
            operation_name("Workspace(Reboot([\"ws-1\"]))"),
            "Workspace.Reboot"
        );
        assert_eq!(
            operation_name("IpGroup(Create { name: \"x\" })"),
            "IpGroup.Create"
        );
        assert_eq!(
            operation_name("Tags(Create { resource_id: \"ws-1\", tags: [] })"),
            "Tags.Create"
        );
    }

    #[test]
    fn the_exposition_has_counters_a_cumulative_histogram_and_sync_ages() {
        let metrics = Metrics::default();
        metrics.record_request("/", 200, 0.003);
        metrics.record_request("/", 200, 0.2);
        metrics.record_request("/api/fleet/list", 403, 0.001);
        metrics.record_aws_call("eu-west-1", "Workspaces", CallOutcome::Throttled);
        metrics.record_aws_call("eu-west-1", "Workspaces", CallOutcome::Ok);
        let status = SyncStatus {
            account: String::new(),
            region: "eu-west-1".into(),
            resource: "workspaces".into(),
            last_attempt_at: None,
            last_success_at: Some("2026-01-01T00:00:00Z".into()),
            last_error: None,
            item_count: 3,
        };
        // Issue 20, finding 11: the same Region of another account is a series of its own.
        let prod = SyncStatus {
            account: "prod".into(),
            last_success_at: Some("2026-01-01T00:00:30Z".into()),
            ..status.clone()
        };
        let sync = [status, prod];
        let text = metrics.render(&sync, 1_767_225_660);
        assert!(text.contains("fleetdesk_http_requests_total{route=\"/\",status=\"200\"} 2"));
        assert!(text.contains(
            "fleetdesk_http_request_duration_seconds_bucket{route=\"/\",le=\"0.005\"} 1"
        ));
        assert!(
            text.contains(
                "fleetdesk_http_request_duration_seconds_bucket{route=\"/\",le=\"0.25\"} 2"
            )
        );
        assert!(text.contains(
            "fleetdesk_aws_calls_total{region=\"eu-west-1\",operation=\"Workspaces\",outcome=\"throttled\"} 1"
        ));
        assert!(text.contains(
            "fleetdesk_sync_age_seconds{account=\"\",region=\"eu-west-1\",resource=\"workspaces\"} 60"
        ));
        assert!(text.contains(
            "fleetdesk_sync_age_seconds{account=\"prod\",region=\"eu-west-1\",resource=\"workspaces\"} 30"
        ));
    }
}
