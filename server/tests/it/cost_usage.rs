//! Cost insight (issue 24) through the real CloudWatch SDK client against moto's
//! CloudWatch: 30 days of `UserConnected` seeded with boto3 (`moto_usage.py`), read back
//! in pages that fit one GetMetricData answer, judged by Cost Optimizer's rules.

use app::model::{Judged, ModeLimits, judge};
use app::server::cost::{UsageSubject, read_usage};
use server::accounts::AccountsFile;

use crate::accounts::{Moto, PROD, base_config, ids, run_seed_script, seed, start_moto};

/// Writes `hours` a day of UserConnected on each of the `days` days before today.
fn seed_usage(endpoint: &str, account: &str, workspace_id: &str, days: u32, hours: u32) {
    let (days, hours) = (days.to_string(), hours.to_string());
    run_seed_script(
        "moto_usage.py",
        &[endpoint, account, workspace_id, &days, &hours],
    );
}

/// moto with three prod WorkSpaces: the first connected 25 days of 4 h (100 h in 30
/// days), the second 5 days of 2 h (10 h), the third never; and the accounts file naming
/// prod.
fn heavy_light_and_idle() -> (Moto, Vec<String>, AccountsFile) {
    let moto = start_moto();
    let seeded = seed(&moto, &[&format!("{PROD}:3")]);
    let workspaces = ids(&seeded[PROD]);
    seed_usage(&moto.endpoint, PROD, &workspaces[0], 25, 4);
    seed_usage(&moto.endpoint, PROD, &workspaces[1], 5, 2);
    let accounts = AccountsFile::parse(&format!(
        r#"
        [[account]]
        name = "prod"
        role_arn = "arn:aws:iam::{PROD}:role/fleetdesk-read"
        "#
    ))
    .expect("accounts file");
    (moto, workspaces, accounts)
}

#[tokio::test]
async fn heavy_auto_stop_and_light_always_on_workspaces_are_recommended_to_switch() {
    let (moto, workspaces, accounts) = heavy_light_and_idle();
    let (heavy, light, idle) = (&workspaces[0], &workspaces[1], &workspaces[2]);
    let shared = base_config(&moto.endpoint).await;
    let cloudwatch = accounts
        .cloudwatch_clients(&shared, &["us-east-1".to_string()])
        .await
        .expect("CloudWatch clients");
    let subject = |id: &str, mode: &str| UsageSubject {
        workspace_id: id.to_string(),
        running_mode: mode.to_string(),
        auto_stop_timeout_minutes: Some(60),
    };
    let subjects = [
        subject(heavy, "AUTO_STOP"),
        subject(light, "ALWAYS_ON"),
        subject(idle, "ALWAYS_ON"),
    ];
    let now = crate::common::unix_now();
    // Month-to-date is not what this test is about: the month starts with the window.
    let month_start = now - 10 * 86_400;
    let readings = read_usage(cloudwatch[0].as_ref(), &subjects, now, month_start)
        .await
        .expect("usage read through the SDK");
    assert_eq!(readings.len(), 3);

    let heavy_usage = &readings[0].last_30_days;
    assert_eq!(heavy_usage.sessions, 25, "{heavy_usage:?}");
    assert_eq!(
        heavy_usage.billable_hours, 125.0,
        "4 h + 1 h of timeout a day"
    );
    let light_usage = &readings[1].last_30_days;
    assert_eq!(light_usage.sessions, 5, "{light_usage:?}");
    assert_eq!(light_usage.billable_hours, 15.0);
    assert_eq!(readings[2].last_30_days.sessions, 0);
    assert_eq!(readings[2].last_connected_at, None);
    assert!(readings[0].last_connected_at.is_some());

    let limits = ModeLimits::default();
    let verdict = |mode: &str, hours: f64| {
        judge(
            &Judged {
                running_mode: mode,
                compute_type: "STANDARD",
                billable_hours: hours,
                ..Judged::default()
            },
            &limits,
        )
    };
    let heavy_verdict = verdict("AUTO_STOP", heavy_usage.billable_hours);
    assert_eq!(heavy_verdict.recommended_mode.as_deref(), Some("ALWAYS_ON"));
    assert_eq!(
        heavy_verdict.reason,
        "125 h in 30 days, over the 85 h at which ALWAYS_ON is cheaper"
    );
    assert_eq!(
        verdict("ALWAYS_ON", light_usage.billable_hours)
            .recommended_mode
            .as_deref(),
        Some("AUTO_STOP")
    );
}

/// The whole path: the inventory synced from moto's WorkSpaces, the daily reading
/// through the SDK into the database, and `/cost` recommending each WorkSpace's switch.
#[tokio::test]
async fn the_daily_reading_fills_cost_insight_from_moto() {
    let (moto, workspaces, accounts) = heavy_light_and_idle();
    let (heavy, light, idle) = (&workspaces[0], &workspaces[1], &workspaces[2]);
    let shared = base_config(&moto.endpoint).await;
    let regions = ["us-east-1".to_string()];
    let clients = accounts.clients(&shared, &regions).await.expect("clients");
    let cloudwatch = accounts
        .cloudwatch_clients(&shared, &regions)
        .await
        .expect("CloudWatch clients");
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = app::server::sync::SyncSettings {
        throttle_backoff: std::time::Duration::from_millis(5),
        ..Default::default()
    };
    let mut state = crate::common::state_over(&dir, clients, &settings).await;
    state.health = app::server::health::Health::new(cloudwatch, Default::default());
    // moto creates WorkSpaces without properties: give them the modes under test.
    for (id, mode) in [
        (heavy, "AUTO_STOP"),
        (light, "ALWAYS_ON"),
        (idle, "ALWAYS_ON"),
    ] {
        sqlx::query(
            "UPDATE workspaces SET running_mode = $1, compute_type = 'STANDARD', \
             auto_stop_timeout_minutes = 60, state = 'AVAILABLE' WHERE id = $2",
        )
        .bind(mode)
        .bind(id)
        .execute(&state.pool)
        .await
        .expect("modes");
    }

    let now = crate::common::unix_now();
    let read = app::server::cost::refresh_usage(&state, now)
        .await
        .expect("reading");
    assert_eq!(read, 3);
    assert_eq!(
        app::server::cost::refresh_usage(&state, now + 3600)
            .await
            .expect("reading"),
        0,
        "read once a day"
    );

    let viewer = crate::common::user(app::model::Role::Viewer);
    let caller = crate::common::caller(&state, &viewer);
    let page = app::server::cost::cost_page(&caller, &app::model::CostQuery::default())
        .await
        .expect("page");
    assert_eq!(page.to_always_on, vec![heavy.clone()]);
    let mut light_ones = page.to_auto_stop.clone();
    light_ones.sort();
    let mut expected = vec![light.clone(), idle.clone()];
    expected.sort();
    assert_eq!(light_ones, expected, "10 h and 0 h are under 85 h");
    assert_eq!(page.reads.len(), 1);
    assert_eq!(page.reads[0].metrics_requested, 3);
    let heavy_row = page
        .rows
        .iter()
        .find(|r| &r.workspace_id == heavy)
        .expect("heavy row");
    assert_eq!(
        heavy_row.verdict.reason,
        "125 h in 30 days, over the 85 h at which ALWAYS_ON is cheaper"
    );
    assert_eq!(page.totals[0].to_always_on, 1);
    assert_eq!(page.totals[0].to_auto_stop, 2);

    let csv = app::server::cost::cost_csv(&caller, &app::model::CostQuery::default())
        .await
        .expect("csv");
    let heavy_line = csv
        .lines()
        .find(|l| l.starts_with(&format!("\"{heavy}\"")))
        .unwrap_or_else(|| panic!("no line for {heavy}: {csv}"));
    assert!(
        heavy_line.contains(r#""AUTO_STOP","STANDARD","125.0","#)
            && heavy_line.contains(r#""85.0","ALWAYS_ON","#),
        "{heavy_line}"
    );
}
