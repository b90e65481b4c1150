//! [`CloudWatchApi`] over the real `aws-sdk-cloudwatch` client: the only module that
//! touches CloudWatch SDK types.
//!
//! Clients come from the same `SdkConfig` as the WorkSpaces clients of their account
//! (profiles, assumed roles), and `AWS_ENDPOINT_URL_CLOUDWATCH` points them elsewhere.
//! The SDK is pinned to the last release speaking awsQuery (see the workspace
//! Cargo.toml): moto, which the tests read through, does not answer the newer CBOR.

use app::model::{HealthPoint, place_name};
use app::server::aws::AwsError;
use app::server::cloudwatch::{CloudWatchApi, MetricQuery, SeriesAnswer};
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::config::Region;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};

/// The namespace WorkSpaces publishes its metrics in.
const NAMESPACE: &str = "AWS/WorkSpaces";

/// CloudWatch of one account and Region through the AWS SDK.
pub struct SdkCloudWatch {
    client: Client,
    region: String,
    account: String,
}

impl SdkCloudWatch {
    /// A client for `region` from an already loaded shared configuration, acting in the
    /// configured account `account` (`""`: the only one).
    pub fn new(shared: &SdkConfig, region: &str, account: &str) -> Self {
        let config = aws_sdk_cloudwatch::config::Builder::from(shared)
            .region(Region::new(region.to_string()))
            .build();
        SdkCloudWatch {
            client: Client::from_conf(config),
            region: region.to_string(),
            account: account.to_string(),
        }
    }
}

#[async_trait]
impl CloudWatchApi for SdkCloudWatch {
    fn region(&self) -> &str {
        &self.region
    }

    fn account(&self) -> &str {
        &self.account
    }

    async fn metric_data(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError> {
        self.read(query)
            .await
            .map_err(|error| error.in_region(&place_name(&self.account, &self.region)))
    }
}

impl SdkCloudWatch {
    /// GetMetricData, every page; points oldest first per series.
    async fn read(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError> {
        let queries: Vec<MetricDataQuery> = query
            .series
            .iter()
            .map(|series| {
                MetricDataQuery::builder()
                    .id(&series.id)
                    .metric_stat(
                        MetricStat::builder()
                            .metric(
                                Metric::builder()
                                    .namespace(NAMESPACE)
                                    .metric_name(&series.metric_name)
                                    .dimensions(
                                        Dimension::builder()
                                            .name("WorkspaceId")
                                            .value(&series.workspace_id)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .period(query.period_seconds)
                            .stat(&series.statistic)
                            .build(),
                    )
                    .return_data(true)
                    .build()
            })
            .collect();
        let mut answers: Vec<SeriesAnswer> = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .get_metric_data()
                .set_metric_data_queries(Some(queries.clone()))
                .start_time(DateTime::from_secs(query.start))
                .end_time(DateTime::from_secs(query.end))
                .scan_by(ScanBy::TimestampAscending)
                .set_next_token(next_token.clone())
                .send()
                .await
                .map_err(|error| crate::sdk_error::reduce("CloudWatch", error))?;
            for result in out.metric_data_results() {
                let id = result.id().unwrap_or_default().to_string();
                let points = result
                    .timestamps()
                    .iter()
                    .zip(result.values())
                    .map(|(at, value)| HealthPoint {
                        at: at.secs(),
                        value: *value,
                    });
                match answers.iter_mut().find(|a| a.id == id) {
                    Some(answer) => answer.points.extend(points),
                    None => answers.push(SeriesAnswer {
                        id,
                        points: points.collect(),
                    }),
                }
            }
            next_token = out.next_token().map(str::to_string);
            if next_token.is_none() {
                break;
            }
        }
        for answer in &mut answers {
            answer.points.sort_by_key(|p| p.at);
        }
        Ok(answers)
    }
}
