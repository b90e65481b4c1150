//! Reading the usage that cost insight judges: each WorkSpace's `UserConnected` at
//! 5-minute points over the last 30 days (and the month so far, when it began earlier),
//! through [`CloudWatchApi`].
//!
//! CloudWatch bills GetMetricData per metric requested in each call, pages included, and
//! one call returns at most 100,800 points. A series of 31 days at 5 minutes has 8,928
//! points, so a call asks for as many series as fit in one page (11): one metric billed
//! per WorkSpace and read, $0.10 for 10,000 WorkSpaces.

use crate::model::{HealthPoint, USAGE_PERIOD_SECONDS, USAGE_WINDOW_DAYS, Usage, usage};
use crate::server::aws::AwsError;
use crate::server::cloudwatch::{CloudWatchApi, MetricQuery, SeriesQuery};

/// The most points one GetMetricData call returns without a next page.
pub const MAX_POINTS_PER_CALL: i64 = 100_800;

/// A WorkSpace whose usage is read, with what its sessions' timeout depends on.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct UsageSubject {
    pub workspace_id: String,
    pub running_mode: String,
    pub auto_stop_timeout_minutes: Option<i32>,
}

/// What was read for one WorkSpace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UsageReading {
    pub workspace_id: String,
    /// The last [`USAGE_WINDOW_DAYS`] days.
    pub last_30_days: Usage,
    /// Since the first of the month (UTC).
    pub month_to_date: Usage,
    /// The last 5-minute point a user was connected (seconds since the epoch).
    pub last_connected_at: Option<i64>,
}

/// The range read at `now` (seconds, aligned to 5 minutes): from the earlier of 30 days
/// back and the month's first day, to the current 5 minutes.
pub fn usage_range(now: i64, month_start: i64) -> (i64, i64) {
    let end = now / USAGE_PERIOD_SECONDS * USAGE_PERIOD_SECONDS;
    let start = (end - USAGE_WINDOW_DAYS * 86_400).min(month_start);
    (start / USAGE_PERIOD_SECONDS * USAGE_PERIOD_SECONDS, end)
}

/// How many series fit in one page of points over `(start, end)`.
fn series_per_call((start, end): (i64, i64)) -> usize {
    let points = ((end - start) / USAGE_PERIOD_SECONDS).max(1);
    (MAX_POINTS_PER_CALL / points).max(1) as usize
}

/// The one call reading `chunk`'s UserConnected over `(start, end)`.
fn usage_call(chunk: &[UsageSubject], (start, end): (i64, i64)) -> MetricQuery {
    MetricQuery {
        series: chunk
            .iter()
            .enumerate()
            .map(|(n, subject)| SeriesQuery {
                id: format!("u{n}"),
                metric_name: "UserConnected".into(),
                workspace_id: subject.workspace_id.clone(),
                statistic: "Maximum".into(),
            })
            .collect(),
        start,
        end,
        period_seconds: USAGE_PERIOD_SECONDS as i32,
    }
}

/// `points` as one value per 5 minutes from `start` to `end`, a missing point as 0 (a
/// stopped WorkSpace publishes nothing).
pub fn dense(points: &[HealthPoint], start: i64, end: i64) -> Vec<f64> {
    let slots = ((end - start) / USAGE_PERIOD_SECONDS).max(0) as usize;
    let mut values = vec![0.0; slots];
    for point in points {
        let slot = (point.at - start).div_euclid(USAGE_PERIOD_SECONDS);
        if let Some(value) = usize::try_from(slot).ok().and_then(|s| values.get_mut(s)) {
            *value = point.value;
        }
    }
    values
}

/// Reads the usage of `subjects` (all in `api`'s account and Region) at `now`.
pub async fn read_usage(
    api: &dyn CloudWatchApi,
    subjects: &[UsageSubject],
    now: i64,
    month_start: i64,
) -> Result<Vec<UsageReading>, AwsError> {
    let (start, end) = usage_range(now, month_start);
    let window_start = end - USAGE_WINDOW_DAYS * 86_400;
    let mut readings = Vec::with_capacity(subjects.len());
    for chunk in subjects.chunks(series_per_call((start, end))) {
        let query = usage_call(chunk, (start, end));
        let answers = api.metric_data(&query).await?;
        for (series, subject) in query.series.iter().zip(chunk) {
            let points = answers
                .iter()
                .find(|a| a.id == series.id)
                .map(|a| a.points.as_slice())
                .unwrap_or_default();
            let values = dense(points, start, end);
            let timeout = crate::model::timeout_minutes(
                &subject.running_mode,
                subject.auto_stop_timeout_minutes,
            );
            let from = |at: i64| ((at - start) / USAGE_PERIOD_SECONDS).max(0) as usize;
            readings.push(UsageReading {
                workspace_id: subject.workspace_id.clone(),
                last_30_days: usage(&values[from(window_start).min(values.len())..], timeout),
                month_to_date: usage(&values[from(month_start).min(values.len())..], timeout),
                last_connected_at: points.iter().filter(|p| p.value >= 1.0).map(|p| p.at).max(),
            });
        }
    }
    Ok(readings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::cloudwatch::SeriesAnswer;
    use async_trait::async_trait;

    const DAY: i64 = 86_400;

    /// The calls [`read_usage`] makes for `subjects` over `range`.
    fn usage_calls(subjects: &[UsageSubject], range: (i64, i64)) -> Vec<MetricQuery> {
        subjects
            .chunks(series_per_call(range))
            .map(|chunk| usage_call(chunk, range))
            .collect()
    }

    #[test]
    fn a_call_asks_for_as_many_series_as_fit_in_one_page() {
        let subjects: Vec<UsageSubject> = (0..25)
            .map(|n| UsageSubject {
                workspace_id: format!("ws-{n}"),
                running_mode: "AUTO_STOP".into(),
                auto_stop_timeout_minutes: Some(60),
            })
            .collect();
        // 31 days: 8,928 points a series, 11 series a call.
        let calls = usage_calls(&subjects, (0, 31 * DAY));
        assert_eq!(
            calls.iter().map(|c| c.series.len()).collect::<Vec<_>>(),
            [11, 11, 3]
        );
        for call in &calls {
            assert!(call.series.len() as i64 * 31 * DAY / 300 <= MAX_POINTS_PER_CALL);
            assert_eq!(call.period_seconds, 300);
            assert!(call.series.iter().all(|s| s.statistic == "Maximum"));
        }
    }

    #[test]
    fn the_range_covers_30_days_or_the_month_if_longer() {
        let now = 40 * DAY + 123;
        assert_eq!(usage_range(now, 35 * DAY), (10 * DAY, 40 * DAY));
        assert_eq!(usage_range(now, 9 * DAY), (9 * DAY, 40 * DAY));
    }

    #[test]
    fn missing_points_are_zeros_in_their_slot() {
        let points = [
            HealthPoint {
                at: 600,
                value: 1.0,
            },
            HealthPoint {
                at: 10_000_000,
                value: 1.0,
            },
        ];
        assert_eq!(dense(&points, 0, 1500), vec![0.0, 0.0, 1.0, 0.0, 0.0]);
    }

    /// Answers every series with the WorkSpace connected 2 h every day at 09:00.
    struct Daily;

    #[async_trait]
    impl CloudWatchApi for Daily {
        fn region(&self) -> &str {
            "eu-west-1"
        }
        async fn metric_data(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError> {
            let points: Vec<HealthPoint> = (query.start / DAY..=query.end / DAY)
                .flat_map(|day| (0..24).map(move |n| day * DAY + 9 * 3600 + n * 300))
                .filter(|at| (query.start..query.end).contains(at))
                .map(|at| HealthPoint { at, value: 1.0 })
                .collect();
            Ok(query
                .series
                .iter()
                .map(|s| SeriesAnswer {
                    id: s.id.clone(),
                    points: points.clone(),
                })
                .collect())
        }
    }

    #[tokio::test]
    async fn two_hours_a_day_bill_three_hours_a_day_with_an_hour_of_timeout() {
        let subjects = vec![UsageSubject {
            workspace_id: "ws-1".into(),
            running_mode: "AUTO_STOP".into(),
            auto_stop_timeout_minutes: Some(60),
        }];
        // The 12th of a month at noon: 30 whole days back, 11 days and a half this month.
        let month_start = 100 * DAY;
        let now = month_start + 11 * DAY + 12 * 3600;
        let readings = read_usage(&Daily, &subjects, now, month_start)
            .await
            .expect("read");
        assert_eq!(readings.len(), 1);
        assert_eq!(readings[0].last_30_days.sessions, 30);
        assert_eq!(readings[0].last_30_days.billable_hours, 90.0);
        assert_eq!(readings[0].month_to_date.sessions, 12);
        assert_eq!(readings[0].month_to_date.billable_hours, 36.0);
        assert_eq!(
            readings[0].last_connected_at,
            Some(month_start + 11 * DAY + 9 * 3600 + 23 * 300)
        );
    }
}
