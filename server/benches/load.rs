//! Load benchmark: signed-in users hammering the console over HTTP on loopback while a
//! full inventory sync runs, and the server's memory after a sync and page loads.
//!
//! `cargo bench -p server --bench load` fills a fresh cache with `FLEETDESK_LOAD_FLEET`
//! WorkSpaces (default 50,000), syncs them once from an in-process fake of the API (pages
//! of 25, as AWS answers), loads 100 fleet pages and reports the process's memory,
//! times the pages one user alone gets (median of 15, over HTTP with the server-side
//! render); then `FLEETDESK_LOAD_USERS` users (default 50), each with their own session,
//! request the fleet page, a WorkSpace's detail page, the connections and audit pages
//! and a filtered fleet CSV in turn for `FLEETDESK_LOAD_SECONDS` (default 60) while the
//! sync runs again and again. It prints throughput and latency per route (Markdown, for
//! docs/performance.md) and exits with status 1 if any request failed: `scripts/test.sh`
//! runs it briefly (`--profile dev`, a small fleet) as the load check of CI.
//!
//! Memory is the whole process's (server, SQLite and the load's HTTP clients): the
//! clients' share is small, but the figures are an upper bound for the server alone.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::model::{HealthPoint, Role};
use app::server::aws::{Answer, Change, ChangeOutcome, ErrorKind, Page, Query, WorkspacesApi};
use app::server::aws::{AwsError, DescribedWorkspace};
use app::server::cloudwatch::{CloudWatchApi, MetricQuery, SeriesAnswer};
use app::server::repo::audit::Actor;
use app::server::state::AppState;
use app::server::sync::{SyncHandle, SyncSettings, sync_all};
use async_trait::async_trait;
use leptos::config::LeptosOptions;

const PASSWORD: &str = "a long enough load-test password";

/// A number from the environment, or `default`.
fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The WorkSpaces API as the sync sees it: the synthetic fleet, 25 a page; every other
/// read fails at once (those sync steps go stale, which the load does not mind).
struct FakeFleet {
    size: usize,
}

#[async_trait]
impl WorkspacesApi for FakeFleet {
    fn region(&self) -> &str {
        "eu-west-1"
    }

    async fn describe(&self, query: &Query) -> Result<Answer, AwsError> {
        match query {
            Query::Workspaces { next_token } => {
                let start: usize = next_token.as_deref().unwrap_or("0").parse().unwrap_or(0);
                let end = (start + 25).min(self.size);
                let items: Vec<DescribedWorkspace> = (start..end)
                    .map(support::workspace)
                    .map(|mut described| {
                        // One client stands for the fleet's two Regions.
                        described.workspace.region = self.region().into();
                        described
                    })
                    .collect();
                Ok(Answer::Workspaces(Page {
                    items,
                    next_token: (end < self.size).then(|| end.to_string()),
                }))
            }
            _ => Err(AwsError {
                kind: ErrorKind::Other,
                code: "NotInTheLoadFake".into(),
                message: "the load benchmark's fake answers DescribeWorkspaces only".into(),
            }),
        }
    }

    async fn apply(&self, _change: &Change) -> Result<ChangeOutcome, AwsError> {
        Err(AwsError {
            kind: ErrorKind::Other,
            code: "NotInTheLoadFake".into(),
            message: "the load benchmark makes no changes".into(),
        })
    }
}

/// CloudWatch as the health card and `/health` see it: every series a steady 120 with a
/// point every period, so pages have charts to draw.
struct SteadyCloudWatch;

#[async_trait]
impl CloudWatchApi for SteadyCloudWatch {
    fn region(&self) -> &str {
        "eu-west-1"
    }

    async fn metric_data(&self, query: &MetricQuery) -> Result<Vec<SeriesAnswer>, AwsError> {
        let period = i64::from(query.period_seconds.max(60));
        Ok(query
            .series
            .iter()
            .map(|series| SeriesAnswer {
                id: series.id.clone(),
                points: (query.start..query.end)
                    .step_by(period as usize)
                    .map(|at| HealthPoint { at, value: 120.0 })
                    .collect(),
            })
            .collect())
    }
}

/// The process's resident memory now and at its peak, in MiB (from /proc/self/status).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn state(pool: sqlx::AnyPool, api: Arc<dyn WorkspacesApi>) -> AppState {
    AppState {
        pool,
        workspaces: Arc::new(vec![api]),
        health: app::server::health::Health::new(
            vec![Arc::new(SteadyCloudWatch)],
            Default::default(),
        ),
        cost: Default::default(),
        sync: SyncHandle::default(),
        leader: Default::default(),
        oidc: None,
        local_login: true,
        absolute_timeout: Duration::from_secs(3600),
        idle_timeout: Duration::from_secs(1800),
        secure_cookies: false,
        demo: false,
        request_timeout: Duration::from_secs(30),
        trusted_proxies: Vec::new(),
        audit_verified: Default::default(),
        metrics_token: None,
        leptos_options: LeptosOptions::builder().output_name("fleetdesk").build(),
    }
}

/// Signs `name` in and returns the session cookie.
async fn sign_in(http: &reqwest::Client, base: &str, name: &str) -> String {
    let response = http
        .post(format!("{base}/api/auth/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "username={name}&password={}&next=%2F",
            PASSWORD.replace(' ', "+")
        ))
        .send()
        .await
        .expect("login answers");
    response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no session for {name}: {}", response.status()))
}

/// What one user's requests took, by route; and the failures.
#[derive(Default)]
struct Tally {
    times: BTreeMap<&'static str, Vec<Duration>>,
    failures: Vec<String>,
}

/// One user: the routes in turn until `until`.
async fn user_loop(
    base: String,
    cookie: String,
    fleet: usize,
    seed: usize,
    until: Instant,
) -> Tally {
    let http = reqwest::Client::new();
    let mut tally = Tally::default();
    let mut n = seed;
    while Instant::now() < until {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
            % 1_000_003;
        let routes: [(&'static str, String); 7] = [
            ("fleet page", "/?sort=ip".to_string()),
            (
                "WorkSpace detail",
                format!("/workspaces/ws-{:09x}", n % fleet),
            ),
            ("connections", "/connections?view=idle".to_string()),
            ("audit", "/audit".to_string()),
            (
                "health chart (cached)",
                format!(
                    "/workspaces/ws-{:09x}/health/in_session_latency.svg",
                    n % 50
                ),
            ),
            ("session health", "/health?all=1".to_string()),
            (
                "fleet CSV (filtered)",
                format!("/fleet.csv?directory=d-{:010}&state=ERROR", n % 7),
            ),
        ];
        for (route, path) in routes {
            let start = Instant::now();
            let answer = http
                .get(format!("{base}{path}"))
                .header("cookie", &cookie)
                .send()
                .await;
            let ok = match answer {
                Ok(response) if response.status().is_success() => response.bytes().await.is_ok(),
                Ok(response) => {
                    tally
                        .failures
                        .push(format!("{path}: HTTP {}", response.status()));
                    false
                }
                Err(error) => {
                    tally.failures.push(format!("{path}: {error:?}"));
                    false
                }
            };
            if ok {
                tally.times.entry(route).or_default().push(start.elapsed());
            }
        }
    }
    tally
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    // As the server binary does (see server::allocator).
    server::allocator::keep_large_blocks_mapped();
    let fleet = setting("FLEETDESK_LOAD_FLEET", 50_000).max(100);
    let users = setting("FLEETDESK_LOAD_USERS", 50).max(1);
    let seconds = setting("FLEETDESK_LOAD_SECONDS", 60).max(1);

    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("load.db").display());
    let pool = server::db::connect(&url).await.expect("database");
    app::server::repo::audit::set_chain_key(b"fleetdesk load benchmark".to_vec(), 1);
    let api: Arc<dyn WorkspacesApi> = Arc::new(FakeFleet { size: fleet });
    let state = state(pool.clone(), api);
    let settings = SyncSettings {
        throttle_backoff: Duration::from_millis(5),
        ..SyncSettings::default()
    };

    let started = Instant::now();
    sync_all(&pool, &state.workspaces, &state.sync, &settings).await;
    let synced = started.elapsed();
    app::server::health::refresh_fleet(&state)
        .await
        .expect("session health refresh");
    let (after_sync, _) = memory();
    for n in 0..users {
        app::server::users::create(
            &pool,
            &Actor::default(),
            &format!("load{n}"),
            Role::Helpdesk.as_str(),
            PASSWORD.into(),
        )
        .await
        .expect("user");
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let router = server::router::build_router(state.clone());
    // The server loop `fleetdesk serve` runs, with its default limits.
    let limits = server::listener::Limits {
        header_read_timeout: Duration::from_secs(10),
        max_connections: 1024,
    };
    tokio::spawn(server::listener::serve(
        listener,
        router,
        limits,
        std::future::pending(),
    ));

    let http = reqwest::Client::new();
    let mut cookies = Vec::new();
    for n in 0..users {
        cookies.push(sign_in(&http, &base, &format!("load{n}")).await);
    }
    let (after_sign_ins, _) = memory();
    for _ in 0..100 {
        let page = http
            .get(format!("{base}/"))
            .header("cookie", &cookies[0])
            .send()
            .await
            .expect("fleet page");
        assert!(page.status().is_success(), "fleet page: {}", page.status());
        page.bytes().await.expect("body");
    }
    let (after_pages, peak_before_load) = memory();

    // One user alone: the pages of docs/performance.md's table, over HTTP with the
    // server-side render, before the load.
    let single: Vec<(&str, String)> = vec![
        ("fleet page, first page", "/".into()),
        ("fleet page, substring search", "/?q=user12".into()),
        (
            "fleet page, state filter + sort by IP",
            "/?state=STOPPED&sort=ip".into(),
        ),
        ("WorkSpace detail", "/workspaces/ws-000000007".into()),
        ("connections, idle 30 days", "/connections?view=idle".into()),
        (
            "WorkSpace health chart",
            "/workspaces/ws-000000007/health/in_session_latency.svg".into(),
        ),
        (
            "session health, every WorkSpace read",
            "/health?all=1".into(),
        ),
        ("fleet CSV, whole fleet", "/fleet.csv".into()),
    ];
    let mut alone = Vec::new();
    for (name, path) in &single {
        let mut times = Vec::new();
        for _ in 0..15 {
            let start = Instant::now();
            let response = http
                .get(format!("{base}{path}"))
                .header("cookie", &cookies[0])
                .send()
                .await
                .expect("answer");
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.bytes().await.expect("body");
            times.push(start.elapsed());
        }
        times.sort();
        alone.push((*name, times[times.len() / 2]));
    }
    let until = Instant::now() + Duration::from_secs(seconds as u64);
    let syncing = {
        let (pool, regions, handle, settings) = (
            pool.clone(),
            state.workspaces.clone(),
            state.sync.clone(),
            settings.clone(),
        );
        tokio::spawn(async move {
            let mut rounds = 0;
            while Instant::now() < until {
                sync_all(&pool, &regions, &handle, &settings).await;
                rounds += 1;
            }
            rounds
        })
    };
    let load_start = Instant::now();
    let tasks: Vec<_> = cookies
        .into_iter()
        .enumerate()
        .map(|(n, cookie)| {
            tokio::spawn(user_loop(base.clone(), cookie, fleet, n * 7919 + 1, until))
        })
        .collect();
    let mut times: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    let mut failures = Vec::new();
    for task in tasks {
        let tally = task.await.expect("a user task");
        for (route, mut list) in tally.times {
            times.entry(route).or_default().append(&mut list);
        }
        failures.extend(tally.failures);
    }
    let elapsed = load_start.elapsed();
    let sync_rounds = syncing.await.unwrap_or(0);
    let (after_load, peak) = memory();

    println!(
        "Fleet of {fleet} WorkSpaces; first sync {:.1} s.",
        synced.as_secs_f64()
    );
    println!();
    println!("| memory (whole process) | MiB |");
    println!("|---|---|");
    println!("| after the sync | {after_sync:.0} |");
    println!("| after creating and signing in {users} users (Argon2id) | {after_sign_ins:.0} |");
    println!(
        "| after the sync and 100 fleet pages | {after_pages:.0} (peak {peak_before_load:.0}) |"
    );
    println!("| after the load | {after_load:.0} (peak {peak:.0}) |");
    println!();
    println!("| one user alone, over HTTP | median of 15 |");
    println!("|---|---|");
    for (name, time) in alone {
        println!("| {name} | {} |", ms(time));
    }
    println!();
    let total: usize = times.values().map(Vec::len).sum();
    println!(
        "{users} users for {:.0} s during {sync_rounds} full syncs: {total} requests, {:.0} per second, {} failed.",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        failures.len()
    );
    println!();
    println!("| route | requests | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    for (route, mut list) in times {
        list.sort();
        let at = |q: f64| list[((list.len() as f64 * q) as usize).min(list.len() - 1)];
        println!(
            "| {route} | {} | {} | {} | {} |",
            list.len(),
            ms(at(0.5)),
            ms(at(0.99)),
            ms(at(1.0))
        );
    }
    if !failures.is_empty() {
        failures.sort();
        failures.dedup();
        eprintln!("failed requests (first 20 kinds):");
        for failure in failures.iter().take(20) {
            eprintln!("  {failure}");
        }
        std::process::exit(1);
    }
}
