//! Benchmark of the fleet page query and the CSV export on a cache of 10,000 and
//! 50,000 WorkSpaces, on SQLite and, when `FLEETDESK_TEST_POSTGRES` names a PostgreSQL
//! server (`scripts/postgres.sh start DIR PORT` prints one), on PostgreSQL too. Run with
//! `cargo bench -p server --bench fleet_query`; the figures are recorded in
//! docs/performance.md. Target: at most 10 ms per page query at 50,000 on both, and page
//! time growing far slower than the fleet.

mod support;

use std::time::{Duration, Instant};

use app::model::FleetQuery;
use app::server::export::fleet_csv_stream;
use app::server::repo::inventory;
use support::fill;

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
    println!("| backend | fleet | query | median per page (incl. counts) |");
    println!("|---|---|---|---|");
    let postgres = std::env::var("FLEETDESK_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty());
    if postgres.is_none() {
        eprintln!("PostgreSQL left out: set FLEETDESK_TEST_POSTGRES to a server's URL");
    }
    let mut csv_lines = Vec::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut databases = Vec::new();
    for size in [10_000usize, 50_000] {
        let sqlite = dir.path().join(format!("bench{size}.db"));
        databases.push(("SQLite", size, format!("sqlite://{}", sqlite.display())));
        if let Some(server) = &postgres {
            let name = format!("bench{}_{size}", std::process::id());
            let url = server::db::create_postgres_database(server, &name)
                .await
                .expect("a benchmark database");
            databases.push(("PostgreSQL", size, url));
        }
    }
    for (backend, size, url) in databases {
        let pool = server::db::connect(&url).await.expect("database");
        let start = Instant::now();
        fill(&pool, size).await;
        // As the sync does after each run.
        inventory::refresh_statistics(&pool)
            .await
            .expect("statistics");
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
            println!("| {backend} | {size} | {name} | {} |", ms(time));
        }
        let facets = median(15, || async {
            std::hint::black_box(inventory::facets(&pool, None).await.expect("facets"));
        })
        .await;
        println!(
            "| {backend} | {size} | filter menus (facets) | {} |",
            ms(facets)
        );
        let export = median(5, || async {
            let body = fleet_csv_stream(pool.clone(), FleetQuery::default(), false)
                .await
                .expect("export");
            let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
            std::hint::black_box(bytes);
        })
        .await;
        csv_lines.push(format!(
            "| {backend} | {size} | full CSV export | {} |",
            ms(export)
        ));
    }
    for line in csv_lines {
        println!("{line}");
    }
}
