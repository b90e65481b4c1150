//! Benchmark of the fleet page query and the CSV export on a cache of 10,000 and
//! 50,000 WorkSpaces. Run with `cargo bench -p server --bench fleet_query`; the figures
//! are recorded in docs/performance.md. Target: at most 20 ms per page query at 10,000,
//! and page time growing far slower than the fleet.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use app::model::{ConnectionStatus, FleetQuery, Tag, Workspace, WorkspaceDetails, WorkspaceState};
use app::server::aws::DescribedWorkspace;
use app::server::export::fleet_csv_stream;
use app::server::repo::inventory;

const STATES: [WorkspaceState; 4] = [
    WorkspaceState::Available,
    WorkspaceState::Stopped,
    WorkspaceState::Rebooting,
    WorkspaceState::Error,
];

fn workspace(n: usize) -> DescribedWorkspace {
    DescribedWorkspace {
        workspace: Workspace {
            id: format!("ws-{n:09x}"),
            account: String::new(),
            region: if n % 3 == 0 { "us-east-1" } else { "eu-west-1" }.into(),
            directory_id: format!("d-{:010}", n % 7),
            user_name: format!("user{:06}", (n * 7919) % 1_000_003),
            computer_name: Some(format!("WSAMZN-{n:08X}")),
            ip_address: Some(format!(
                "10.{}.{}.{}",
                n / 65536 % 256,
                n / 256 % 256,
                n % 256
            )),
            state: STATES[n % 10 % 4].clone(),
            bundle_id: format!("wsb-{}", n % 5),
            subnet_id: None,
            compute_type: Some(["STANDARD", "PERFORMANCE", "POWER"][n % 3].into()),
            running_mode: Some(if n % 4 == 0 { "ALWAYS_ON" } else { "AUTO_STOP" }.into()),
            auto_stop_timeout_minutes: Some(60),
            root_volume_gib: Some(80),
            user_volume_gib: Some(50),
            root_volume_encrypted: true,
            user_volume_encrypted: true,
            error_code: None,
            error_message: None,
            connection_state: None,
            last_user_connection: None,
            removed_at: None,
            protocols: Vec::new(),
            operating_system: None,
            standby_role: None,
        },
        details: WorkspaceDetails::default(),
    }
}

async fn fill(pool: &sqlx::SqlitePool, count: usize) {
    let now = inventory::now();
    let none = HashMap::new();
    for start in (0..count).step_by(1000) {
        let batch: Vec<_> = (start..(start + 1000).min(count)).map(workspace).collect();
        inventory::store_workspaces(pool, &batch, &none, &now)
            .await
            .expect("store");
        let statuses: Vec<_> = batch
            .iter()
            .map(|item| ConnectionStatus {
                workspace_id: item.workspace.id.clone(),
                region: item.workspace.region.clone(),
                connection_state: Some("DISCONNECTED".into()),
                connection_state_checked: None,
                last_known_user_connection: Some("2026-10-01T08:00:00Z".into()),
            })
            .collect();
        inventory::store_connection_status(pool, &statuses)
            .await
            .expect("status");
    }
    for n in (0..count).step_by(10) {
        let tags = [Tag {
            key: "Department".into(),
            value: format!("D{}", n % 6),
        }];
        inventory::store_tags(pool, &format!("ws-{n:09x}"), &tags, &now)
            .await
            .expect("tags");
    }
}

/// Median wall time of `runs` runs of `f`.
async fn median<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        times.push(start.elapsed());
    }
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let cases: Vec<(&str, FleetQuery)> = vec![
        ("first page, default sort", FleetQuery::default()),
        (
            "state + region filter, sort by IP",
            FleetQuery {
                state: "STOPPED".into(),
                region: "eu-west-1".into(),
                sort: "ip".into(),
                ..FleetQuery::default()
            },
        ),
        (
            "search 'user12', sort by computer desc",
            FleetQuery {
                q: "user12".into(),
                sort: "computer".into(),
                desc: true,
                ..FleetQuery::default()
            },
        ),
        (
            "tag filter (1 in 30 match), page 3",
            FleetQuery {
                tag: "Department=D2".into(),
                page: 3,
                ..FleetQuery::default()
            },
        ),
    ];
    println!("| fleet | query | median per page (incl. counts) |");
    println!("|---|---|---|");
    let mut csv_lines = Vec::new();
    for size in [10_000usize, 50_000] {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = server::db::connect(&format!(
            "sqlite://{}",
            dir.path().join("bench.db").display()
        ))
        .await
        .expect("database");
        let start = Instant::now();
        fill(&pool, size).await;
        eprintln!(
            "filled {size} WorkSpaces in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        for (name, query) in &cases {
            let time = median(15, || async {
                let page = inventory::fleet_page(&pool, query).await.expect("page");
                std::hint::black_box(page);
            })
            .await;
            println!("| {size} | {name} | {} |", ms(time));
        }
        let facets = median(15, || async {
            std::hint::black_box(inventory::facets(&pool, None).await.expect("facets"));
        })
        .await;
        println!("| {size} | filter menus (facets) | {} |", ms(facets));
        let export = median(5, || async {
            let body = fleet_csv_stream(pool.clone(), FleetQuery::default(), false)
                .await
                .expect("export");
            let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
            std::hint::black_box(bytes);
        })
        .await;
        csv_lines.push(format!("| {size} | full CSV export | {} |", ms(export)));
    }
    for line in csv_lines {
        println!("{line}");
    }
}
