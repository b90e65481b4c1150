//! Faults between the AWS SDK and the emulator: a wrapper around the emulator's HTTP
//! client answers a share of the requests itself with throttling, an HTTP 500 page, a
//! connection reset or a slow answer, so the real SDK path (its retries included) and
//! Fleetdesk's own retries meet them. Decisions come from a seeded generator: every run
//! sees the same faults.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::model::{ActionKind, AuditQuery, FleetQuery, Role, SyncStep, TargetStatus};
use app::server::actions::{ActionRequest, run};
use app::server::aws::{PropertyChange, WorkspacesApi, all_pages};
use app::server::repo::{audit, inventory};
use app::server::sync::{SyncHandle, SyncSettings, sync_all};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use server::aws_sdk::SdkWorkspaces;

use crate::common::user;

/// Shares of requests (in percent) that meet each fault.
#[derive(Debug, Clone, Copy)]
struct FaultRates {
    throttle: u64,
    server_error: u64,
    reset: u64,
    slow: u64,
}

/// The emulator's HTTP client with faults in front of it.
#[derive(Debug, Clone)]
struct Faulty {
    inner: SharedHttpClient,
    rates: FaultRates,
    /// SplitMix64 state, shared by every connector of this client.
    seed: Arc<Mutex<u64>>,
    /// How many requests met a fault, so a test can show they happened.
    injected: Arc<std::sync::atomic::AtomicU64>,
}

impl Faulty {
    /// A number from 0 to 99, the next of the seeded sequence.
    fn roll(&self) -> u64 {
        let mut state = self.seed.lock().unwrap_or_else(|p| p.into_inner());
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % 100
    }
}

impl HttpClient for Faulty {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FaultyConnector {
            inner: self.inner.http_connector(settings, components),
            faults: self.clone(),
        })
    }
}

#[derive(Debug)]
struct FaultyConnector {
    inner: SharedHttpConnector,
    faults: Faulty,
}

fn response(status: u16, body: &str) -> Response {
    Response::new(
        StatusCode::try_from(status).expect("status"),
        SdkBody::from(body.to_string()),
    )
}

impl HttpConnector for FaultyConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let rates = self.faults.rates;
        let roll = self.faults.roll();
        if roll < rates.throttle + rates.server_error + rates.reset + rates.slow {
            self.faults
                .injected
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let mut bound = rates.throttle;
        if roll < bound {
            return HttpConnectorFuture::ready(Ok(response(
                400,
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            )));
        }
        bound += rates.server_error;
        if roll < bound {
            return HttpConnectorFuture::ready(Ok(response(
                500,
                "<html><body>500 Internal Server Error</body></html>",
            )));
        }
        bound += rates.reset;
        if roll < bound {
            return HttpConnectorFuture::ready(Err(ConnectorError::io(
                "connection reset by peer".into(),
            )));
        }
        bound += rates.slow;
        let inner = self.inner.clone();
        if roll < bound {
            return HttpConnectorFuture::new(async move {
                tokio::time::sleep(Duration::from_millis(40)).await;
                inner.call(request).await
            });
        }
        inner.call(request)
    }
}

/// The demo fleet's clients (a fresh emulator) with `rates` of faults, and the SDK's
/// retries waiting milliseconds instead of seconds; with the count of faults met.
async fn faulty_fleet(
    rates: FaultRates,
) -> (
    Vec<Arc<dyn WorkspacesApi>>,
    Arc<std::sync::atomic::AtomicU64>,
) {
    let mock = server::demo::demo_emulator().await.expect("emulator");
    let faulty = Faulty {
        inner: mock.http_client(),
        rates,
        seed: Arc::new(Mutex::new(0x5eed)),
        injected: Default::default(),
    };
    let mut clients: Vec<Arc<dyn WorkspacesApi>> = Vec::new();
    for region in server::demo::DEMO_REGIONS {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(faulty.clone())
            .credentials_provider(mock.credentials_provider())
            .region(aws_config::Region::new(region))
            .retry_config(
                aws_config::retry::RetryConfig::standard()
                    .with_initial_backoff(Duration::from_millis(2)),
            )
            .load()
            .await;
        clients.push(Arc::new(SdkWorkspaces::new(&config, region)));
    }
    (clients, faulty.injected)
}

fn fast() -> SyncSettings {
    SyncSettings {
        throttle_backoff: Duration::from_millis(2),
        ..SyncSettings::default()
    }
}

async fn pool(dir: &tempfile::TempDir) -> sqlx::AnyPool {
    app::server::repo::audit::set_chain_key(b"fleetdesk integration tests".to_vec(), 1);
    crate::common::test_pool(dir, "faults").await
}

#[tokio::test]
async fn a_full_sync_through_throttling_errors_resets_and_slow_answers_loses_nothing() {
    let (regions, injected) = faulty_fleet(FaultRates {
        throttle: 30,
        server_error: 5,
        reset: 3,
        slow: 10,
    })
    .await;
    let regions = Arc::new(regions);
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = pool(&dir).await;
    let report = sync_all(&pool, &regions, &SyncHandle::default(), &fast())
        .await
        .expect("no sync running");
    // The emulator has no application management and no Resource Groups Tagging API:
    // those steps are stale with or without faults. Every other step must come through.
    let failures: Vec<_> = report
        .failures
        .iter()
        .filter(|(_, step, _)| !matches!(step, SyncStep::Applications | SyncStep::Tags))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");

    // What AWS holds, read without faults, is what the cache holds: no row lost, none twice.
    let clean = server::demo::demo_clients().await.expect("clean clients");
    let mut expected = Vec::new();
    for api in &clean {
        let listed = all_pages(|t| api.describe_workspaces(t))
            .await
            .expect("list");
        expected.extend(listed.into_iter().map(|d| d.workspace.id));
    }
    expected.sort();
    let mut cached: Vec<String> = inventory::fleet_rows(&pool, &FleetQuery::default(), None)
        .await
        .expect("cache")
        .into_iter()
        .map(|ws| ws.id)
        .collect();
    cached.sort();
    assert_eq!(cached.len(), expected.len());
    assert_eq!(cached, expected);
    let statuses = inventory::sync_statuses(&pool).await.expect("statuses");
    assert!(
        statuses
            .iter()
            .filter(|s| s.resource != SyncStep::Applications.as_str()
                && s.resource != SyncStep::Tags.as_str())
            .all(|s| s.last_error.is_none()),
        "{statuses:?}"
    );
    let met = injected.load(std::sync::atomic::Ordering::Relaxed);
    assert!(met >= 20, "the sync met {met} faults");
}

#[tokio::test]
async fn an_action_against_a_failing_endpoint_reports_each_target_and_finishes_its_audit() {
    // A clean sync first, then every call fails with an HTTP 500 page.
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = pool(&dir).await;
    let clean = Arc::new(server::demo::demo_clients().await.expect("clients"));
    sync_all(&pool, &clean, &SyncHandle::default(), &fast()).await;
    let (failing, _) = faulty_fleet(FaultRates {
        throttle: 0,
        server_error: 100,
        reset: 0,
        slow: 0,
    })
    .await;
    let rows = inventory::fleet_rows(
        &pool,
        &FleetQuery {
            state: "AVAILABLE".into(),
            region: "eu-west-1".into(),
            ..FleetQuery::default()
        },
        None,
    )
    .await
    .expect("fleet");
    let ids: Vec<String> = rows.iter().take(30).map(|ws| ws.id.clone()).collect();
    let request = ActionRequest {
        action: ActionKind::Reboot,
        ids: ids.clone(),
        reason: "INC-500".into(),
        confirm: String::new(),
        properties: PropertyChange::default(),
        bundle_id: None,
    };
    let report = run(
        &crate::common::caller_over(&pool, &failing, &user(Role::Helpdesk)),
        request,
    )
    .await
    .expect("reported");
    assert_eq!(report.results.len(), 30);
    assert!(
        report
            .results
            .iter()
            .all(|r| r.outcome == TargetStatus::Failed)
    );
    assert!(
        report.results[0]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("HTTP 500 from the WorkSpaces endpoint in eu-west-1")),
        "{:?}",
        report.results[0]
    );
    let query = AuditQuery {
        action: "workspace.reboot".into(),
        ..AuditQuery::default()
    };
    let (entries, _) = audit::list(&pool, &query, Some(0)).await.expect("audit");
    assert_eq!(entries[0].outcome, "failed", "finished, not left pending");
    assert_eq!(entries[0].targets.len(), 30);
}

#[tokio::test]
async fn an_unreachable_region_is_marked_stale_and_the_cache_still_serves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = pool(&dir).await;
    let clean = Arc::new(server::demo::demo_clients().await.expect("clients"));
    sync_all(&pool, &clean, &SyncHandle::default(), &fast()).await;
    let before = inventory::fleet_page(&pool, &FleetQuery::default())
        .await
        .expect("page")
        .total;
    let (unreachable, _) = faulty_fleet(FaultRates {
        throttle: 0,
        server_error: 0,
        reset: 100,
        slow: 0,
    })
    .await;
    let unreachable = Arc::new(unreachable);
    let report = sync_all(&pool, &unreachable, &SyncHandle::default(), &fast())
        .await
        .expect("no sync running");
    assert!(!report.failures.is_empty());
    let statuses = inventory::sync_statuses(&pool).await.expect("statuses");
    let workspaces = statuses
        .iter()
        .find(|s| s.region == "eu-west-1" && s.resource == "workspaces")
        .expect("status");
    assert!(
        workspaces
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("cannot connect to the WorkSpaces endpoint in eu-west-1")),
        "{workspaces:?}"
    );
    let after = inventory::fleet_page(&pool, &FleetQuery::default())
        .await
        .expect("page")
        .total;
    assert_eq!(after, before, "the cache keeps serving what it had");
}
