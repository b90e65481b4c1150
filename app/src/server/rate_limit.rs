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

use crate::server::aws::{Answer, Change, ChangeOutcome, Query, WorkspacesApi, WorkspacesError};

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

    async fn describe(&self, query: &Query) -> Result<Answer, WorkspacesError> {
        self.limiter.acquire().await;
        self.inner.describe(query).await
    }

    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, WorkspacesError> {
        self.limiter.acquire().await;
        self.inner.apply(change).await
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
}
