//! The boundary to CloudWatch: everything Fleetdesk reads from it goes through
//! [`CloudWatchApi`], the way WorkSpaces goes through `aws::WorkspacesApi`.
//!
//! The trait speaks our own types; the production implementation (over
//! `aws-sdk-cloudwatch`) lives in the `server` crate, the demo's in `server::demo`. One
//! value serves one account and Region. CloudWatch charges per metric requested
//! (GetMetricData), so a [`MetricQuery`] asks for many series in one call and callers
//! keep to a budget (see `health`).

use async_trait::async_trait;

use crate::model::HealthPoint;
use crate::server::aws::AwsError;

/// The most series one GetMetricData call takes.
pub const MAX_SERIES_PER_CALL: usize = 500;

/// One series to read: a metric of one WorkSpace, one statistic per period.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesQuery {
    /// Names the series in the answer: lowercase letter first, then letters, digits, `_`.
    pub id: String,
    /// In namespace `AWS/WorkSpaces`.
    pub metric_name: String,
    pub workspace_id: String,
    /// `Average`, `Maximum`, `Sum`, ...
    pub statistic: String,
}

/// One GetMetricData call: the series, the time range and the period of a point.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricQuery {
    pub series: Vec<SeriesQuery>,
    /// Seconds since the Unix epoch; `start` inclusive, `end` exclusive.
    pub start: i64,
    pub end: i64,
    pub period_seconds: i32,
}

/// One series as CloudWatch answered it, oldest point first.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesAnswer {
    pub id: String,
    pub points: Vec<HealthPoint>,
}

/// CloudWatch in one account and Region.
#[async_trait]
pub trait CloudWatchApi: Send + Sync {
    fn region(&self) -> &str;

    /// The configured account (`""` without an accounts file).
    fn account(&self) -> &str {
        ""
    }

    /// GetMetricData: every series of `query` (at most [`MAX_SERIES_PER_CALL`]), all
    /// pages read.
    async fn metric_data(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError>;
}
