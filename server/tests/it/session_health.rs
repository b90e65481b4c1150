//! Session health (issue 23) through the real CloudWatch SDK client against moto's
//! CloudWatch: metrics seeded with boto3 (`moto_metrics.py`), read back by the card's one
//! GetMetricData call, limited to the caller's accounts.

use std::time::Duration;

use app::model::{HealthMetric, HealthQuery, HealthThresholds, HealthWindow, Role};
use app::server::health::{Health, session_health};
use app::server::sync::SyncSettings;
use server::accounts::AccountsFile;

use crate::accounts::{DEV, PROD, base_config, ids, run_seed_script, seed, start_moto};

/// Writes 3 h of `metrics` (`Name=value`) for `workspace_id` in `account`.
fn seed_metrics(endpoint: &str, account: &str, workspace_id: &str, metrics: &[&str]) {
    let mut args = vec![endpoint, account, workspace_id];
    args.extend_from_slice(metrics);
    run_seed_script("moto_metrics.py", &args);
}

#[tokio::test]
async fn a_workspace_seeded_with_350_ms_reads_about_350_and_is_in_trouble() {
    let moto = start_moto();
    let seeded = seed(&moto, &[&format!("{PROD}:2"), &format!("{DEV}:1")]);
    let slow = ids(&seeded[PROD])[0].clone();
    let quiet = ids(&seeded[PROD])[1].clone();
    seed_metrics(
        &moto.endpoint,
        PROD,
        &slow,
        &[
            "InSessionLatency=350",
            "CPUUsage=42.5",
            "ConnectionFailure=0",
        ],
    );
    let accounts = AccountsFile::parse(&format!(
        r#"
        [[account]]
        name = "prod"
        role_arn = "arn:aws:iam::{PROD}:role/fleetdesk-read"

        [[account]]
        name = "dev"
        role_arn = "arn:aws:iam::{DEV}:role/fleetdesk-read"
        "#
    ))
    .expect("accounts file");
    let shared = base_config(&moto.endpoint).await;
    let regions = ["us-east-1".to_string()];
    let clients = accounts.clients(&shared, &regions).await.expect("clients");
    let cloudwatch = accounts
        .cloudwatch_clients(&shared, &regions)
        .await
        .expect("CloudWatch clients");
    assert_eq!(
        cloudwatch.len(),
        2,
        "one CloudWatch client per account and Region"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = SyncSettings {
        throttle_backoff: Duration::from_millis(5),
        ..SyncSettings::default()
    };
    let mut state = crate::common::state_over(&dir, clients, &settings).await;
    state.health = Health::new(cloudwatch, HealthThresholds::default());

    let helpdesk = crate::common::user(Role::Helpdesk);
    let caller = crate::common::caller(&state, &helpdesk);
    let health = session_health(&caller, &slow, HealthWindow::Hours3)
        .await
        .expect("health");
    assert_eq!(health.problem, None);
    let latency = health.history(HealthMetric::InSessionLatency);
    assert!(
        latency.points.len() >= 30,
        "3 h of 5-minute points: {latency:?}"
    );
    let latest = latency.latest().expect("a latest point").value;
    assert!(
        (latest - 350.0).abs() < 1.0,
        "latency reads about 350 ms: {latest}"
    );
    assert!(
        health
            .in_trouble()
            .contains(&HealthMetric::InSessionLatency),
        "350 ms is over 250 ms"
    );
    let cpu = health
        .history(HealthMetric::CpuUsage)
        .latest()
        .expect("cpu")
        .value;
    assert!((cpu - 42.5).abs() < 0.1, "{cpu}");
    assert!(!health.in_trouble().contains(&HealthMetric::CpuUsage));

    // A WorkSpace CloudWatch has nothing for: no points, no problem (the card says so).
    let none = session_health(&caller, &quiet, HealthWindow::Hours24)
        .await
        .expect("health");
    assert_eq!(none.problem, None);
    assert!(none.histories.iter().all(|h| h.points.is_empty()));

    // Fleet-wide: one refresh, and the 350 ms WorkSpace tops /health and its CSV.
    app::server::health::refresh_fleet(&state)
        .await
        .expect("refresh");
    let page = app::server::health::fleet_page(&caller, &HealthQuery::default())
        .await
        .expect("page");
    assert_eq!(page.workspaces_running, 3, "{page:?}");
    assert_eq!(
        page.metrics_requested,
        3 * 7,
        "7 metrics per running WorkSpace"
    );
    assert_eq!(
        page.rows.first().map(|r| r.workspace_id.as_str()),
        Some(slow.as_str())
    );
    let latency = page.rows[0]
        .value(HealthMetric::InSessionLatency)
        .expect("latency");
    assert!((latency - 350.0).abs() < 1.0, "{latency}");
    assert_eq!(
        page.rows.len(),
        1,
        "only the WorkSpace in trouble: {:?}",
        page.rows
    );
    let csv = app::server::health::fleet_csv(&caller, &HealthQuery::default())
        .await
        .expect("csv");
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with("\"workspace_id\""), "{header}");
    assert!(header.contains("\"in_session_latency_ms\""), "{header}");
    assert!(
        lines
            .next()
            .is_some_and(|row| row.contains(&slow) && row.contains("350.0"))
    );

    // A budget of one WorkSpace reads one WorkSpace.
    state.health = state.health.clone().with_budget(7);
    app::server::health::refresh_fleet(&state)
        .await
        .expect("refresh");
    let all = HealthQuery {
        all: true,
        ..HealthQuery::default()
    };
    let page = app::server::health::fleet_page(&crate::common::caller(&state, &helpdesk), &all)
        .await
        .expect("page");
    assert_eq!((page.workspaces_read, page.metrics_requested), (1, 7));

    // The account limit holds: a dev-only user does not find the prod WorkSpace.
    let dev_only = app::model::UserInfo {
        accounts: Some(vec!["dev".into()]),
        ..crate::common::user(Role::Helpdesk)
    };
    let refused = session_health(
        &crate::common::caller(&state, &dev_only),
        &slow,
        HealthWindow::Hours3,
    )
    .await;
    assert!(
        matches!(refused, Err(app::error::AppError::NotFound(_))),
        "{refused:?}"
    );
}
