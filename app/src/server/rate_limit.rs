//! A per-Region request rate limit in front of [`WorkspacesApi`] and [`CloudWatchApi`].
//!
//! AWS throttles the WorkSpaces API at a few requests per second per account and
//! Region. Every call Fleetdesk makes to a Region (sync, pages, actions) waits for its
//! slot here, so a full sync of a large fleet paces itself instead of being throttled.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::server::aws::{
    Answer, AwsError, Change, ChangeOutcome, ErrorKind, Query, WorkspacesApi,
};
use crate::server::cloudwatch::{CloudWatchApi, MetricQuery, SeriesAnswer};
use crate::server::metrics::{CallOutcome, metrics, operation_name};

/// Spaces calls at least `interval` apart, in arrival order.
pub struct RateLimiter {
    interval: Duration,
    next_slot: Mutex<Instant>,
}

impl RateLimiter {
    /// A limiter for `per_second` requests per second (at least 0.01).
    pub fn per_second(per_second: f64) -> Self {
        let per_second = per_second.max(0.01);
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next_slot: Mutex::new(Instant::now()),
        }
    }

    /// Waits until the caller may send its request.
    pub async fn acquire(&self) {
        let wait_until = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(wait_until).await;
    }
}

/// A [`WorkspacesApi`] whose every call first waits for the Region's rate limit.
pub struct RateLimited {
    inner: Arc<dyn WorkspacesApi>,
    limiter: RateLimiter,
}

impl RateLimited {
    pub fn new(inner: Arc<dyn WorkspacesApi>, per_second: f64) -> Self {
        RateLimited {
            inner,
            limiter: RateLimiter::per_second(per_second),
        }
    }
}

#[async_trait]
impl WorkspacesApi for RateLimited {
    fn region(&self) -> &str {
        self.inner.region()
    }

    fn account(&self) -> &str {
        self.inner.account()
    }

    fn lists_tags(&self) -> bool {
        self.inner.lists_tags()
    }

    async fn describe(&self, query: &Query) -> Result<Answer, AwsError> {
        self.limiter.acquire().await;
        let answer = self.inner.describe(query).await;
        self.count(&format!("{query:?}"), answer.as_ref().err());
        answer
    }

    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, AwsError> {
        self.limiter.acquire().await;
        let outcome = self.inner.apply(change).await;
        self.count(&format!("{change:?}"), outcome.as_ref().err());
        outcome
    }
}

impl RateLimited {
    fn count(&self, debug: &str, error: Option<&AwsError>) {
        count_call(self.account(), self.region(), &operation_name(debug), error);
    }
}

/// Every AWS call passes here: it is counted for the metrics by operation and outcome,
/// and a failure is logged as one readable line (operation, account, Region, AWS error
/// code and message; the SDK's full answer is at debug level, see `server::sdk_error`).
fn count_call(account: &str, region: &str, operation: &str, error: Option<&AwsError>) {
    let outcome = match error {
        None => CallOutcome::Ok,
        Some(e) if e.kind == ErrorKind::Throttled => CallOutcome::Throttled,
        Some(_) => CallOutcome::Error,
    };
    if let Some(error) = error {
        tracing::warn!(
            operation = %operation,
            account,
            region,
            code = %error.code,
            "AWS call failed: {}",
            error.message
        );
    }
    metrics().record_aws_call(region, operation, outcome);
}

/// A [`CloudWatchApi`] whose every call first waits for its own rate limit (CloudWatch's
/// quotas are apart from WorkSpaces'), counted with the metrics it requested.
pub struct RateLimitedCloudWatch {
    inner: Arc<dyn CloudWatchApi>,
    limiter: RateLimiter,
}

impl RateLimitedCloudWatch {
    pub fn new(inner: Arc<dyn CloudWatchApi>, per_second: f64) -> Self {
        RateLimitedCloudWatch {
            inner,
            limiter: RateLimiter::per_second(per_second),
        }
    }
}

#[async_trait]
impl CloudWatchApi for RateLimitedCloudWatch {
    fn region(&self) -> &str {
        self.inner.region()
    }

    fn account(&self) -> &str {
        self.inner.account()
    }

    async fn metric_data(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError> {
        self.limiter.acquire().await;
        let answer = self.inner.metric_data(query).await;
        count_call(
            self.account(),
            self.region(),
            "CloudWatch.GetMetricData",
            answer.as_ref().err(),
        );
        metrics().record_cloudwatch_metrics(self.region(), query.series.len());
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_by_the_rate() {
        let limiter = RateLimiter::per_second(2.0);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // The first call goes at once, the next four wait 0.5 s each.
        assert_eq!(start.elapsed(), Duration::from_millis(2000));
    }

    /// Answers every read with throttling and accepts every change.
    struct Throttling;

    #[async_trait]
    impl WorkspacesApi for Throttling {
        fn region(&self) -> &str {
            "xx-metrics-1"
        }
        async fn describe(&self, _: &Query) -> Result<Answer, AwsError> {
            Err(AwsError {
                kind: ErrorKind::Throttled,
                code: "ThrottlingException".into(),
                message: "Rate exceeded".into(),
            })
        }
        async fn apply(&self, _: &Change) -> Result<ChangeOutcome, AwsError> {
            Ok(ChangeOutcome::default())
        }
    }

    #[tokio::test]
    async fn every_call_is_counted_by_operation_and_outcome() {
        let api = RateLimited::new(Arc::new(Throttling), 1000.0);
        let api: &dyn WorkspacesApi = &api;
        assert!(api.describe_account().await.is_err());
        let reboot = Change::Workspace(crate::server::aws::WorkspaceChange::Reboot(vec![
            "ws-1".into(),
        ]));
        assert!(api.apply(&reboot).await.is_ok());
        let text = metrics().render(&[], 0);
        assert!(text.contains(
            "fleetdesk_aws_calls_total{region=\"xx-metrics-1\",operation=\"Account\",outcome=\"throttled\"} 1"
        ), "{text}");
        assert!(text.contains(
            "fleetdesk_aws_calls_total{region=\"xx-metrics-1\",operation=\"Workspace.Reboot\",outcome=\"ok\"} 1"
        ));
    }
}
