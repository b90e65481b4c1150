//! A per-Region request rate limit in front of [`WorkspacesApi`].
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
    Answer, Change, ChangeOutcome, ErrorKind, Query, WorkspacesApi, WorkspacesError,
};
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

    async fn describe(&self, query: &Query) -> Result<Answer, WorkspacesError> {
        self.limiter.acquire().await;
        let answer = self.inner.describe(query).await;
        self.count(&format!("{query:?}"), answer.as_ref().err());
        answer
    }

    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, WorkspacesError> {
        self.limiter.acquire().await;
        let outcome = self.inner.apply(change).await;
        self.count(&format!("{change:?}"), outcome.as_ref().err());
        outcome
    }
}

impl RateLimited {
    /// Every call passes here: it is counted for the metrics by operation and outcome,
    /// and a failure is logged as one readable line (operation, account, Region, AWS
    /// error code and message; the SDK's full answer is at debug level, see
    /// `server::aws_sdk::errors`).
    fn count(&self, debug: &str, error: Option<&WorkspacesError>) {
        let outcome = match error {
            None => CallOutcome::Ok,
            Some(e) if e.kind == ErrorKind::Throttled => CallOutcome::Throttled,
            Some(_) => CallOutcome::Error,
        };
        let operation = operation_name(debug);
        if let Some(error) = error {
            tracing::warn!(
                operation = %operation,
                account = self.account(),
                region = self.region(),
                code = %error.code,
                "AWS call failed: {}",
                error.message
            );
        }
        metrics().record_aws_call(self.region(), &operation, outcome);
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
        async fn describe(&self, _: &Query) -> Result<Answer, WorkspacesError> {
            Err(WorkspacesError {
                kind: ErrorKind::Throttled,
                code: "ThrottlingException".into(),
                message: "Rate exceeded".into(),
            })
        }
        async fn apply(&self, _: &Change) -> Result<ChangeOutcome, WorkspacesError> {
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
