//! Cost insight (issue 24) over the demo fleet, as `serve --demo` runs it: the daily
//! reading within its budget, `/cost`'s recommendations, and the switch of every
//! recommended WorkSpace through the bulk review's one change path, audited.

use std::time::Duration;

use app::model::{ActionKind, CostQuery, Role, TargetStatus};
use app::server::actions::{ActionRequest, run};
use app::server::aws::PropertyChange;
use app::server::cost::{CostSettings, cost_page, refresh_usage};
use app::server::health::Health;
use app::server::repo::{audit, inventory};
use app::server::state::AppState;

use crate::common::{caller, demo_overlay_state, user};

/// The demo state with its CloudWatch, as `serve --demo` builds it.
async fn demo_with_cloudwatch(dir: &tempfile::TempDir, settings: CostSettings) -> AppState {
    let mut state = demo_overlay_state(dir).await;
    state.health = Health::new(
        server::demo::demo_cloudwatch(&state.workspaces),
        Default::default(),
    );
    state.cost = settings;
    state
}

/// How many WorkSpaces have a usage reading.
async fn readings(state: &AppState) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM workspace_usage")
        .fetch_one(&state.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn the_daily_reading_keeps_to_its_budget_and_reads_the_longest_unread_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = CostSettings {
        budget_metrics: 40,
        ..CostSettings::default()
    };
    let state = demo_with_cloudwatch(&dir, settings).await;
    let now = crate::common::unix_now();
    assert_eq!(refresh_usage(&state, now).await.expect("read"), 40);
    assert_eq!(
        refresh_usage(&state, now + 600).await.expect("read"),
        0,
        "the day's 40 metrics are spent"
    );
    assert_eq!(readings(&state).await, 40);
    // A day later the budget is back, and it goes to WorkSpaces never read.
    assert_eq!(refresh_usage(&state, now + 86_401).await.expect("read"), 40);
    assert_eq!(
        readings(&state).await,
        80,
        "40 new WorkSpaces, none read twice"
    );
}

#[tokio::test]
async fn every_recommended_workspace_switches_in_one_audited_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_with_cloudwatch(&dir, CostSettings::default()).await;
    let now = crate::common::unix_now();
    let read = refresh_usage(&state, now).await.expect("read");
    assert!(read > 200, "the demo fleet is read whole: {read}");

    // A viewer reads the dry run: candidates each way, with the reason in words.
    let viewer = user(Role::Viewer);
    let page = cost_page(&caller(&state, &viewer), &CostQuery::default())
        .await
        .expect("page");
    assert!(
        !page.to_auto_stop.is_empty() && !page.to_always_on.is_empty(),
        "{page:?}"
    );
    assert!(
        !page.unused.is_empty(),
        "the demo has WorkSpaces nobody uses"
    );
    let one = CostQuery {
        q: page.to_auto_stop[0].clone(),
        ..CostQuery::default()
    };
    let found = cost_page(&caller(&state, &viewer), &one)
        .await
        .expect("page");
    let light = found.rows.first().expect("the searched row");
    assert!(
        light.verdict.reason.contains("at or under the")
            && light.verdict.reason.contains("AUTO_STOP is cheaper"),
        "{}",
        light.verdict.reason
    );
    // The review page would skip those in a transitional state; take the switchable.
    let to_switch: Vec<String> = inventory::workspaces_by_id(&state.pool, &page.to_auto_stop)
        .await
        .expect("cache")
        .into_iter()
        .filter(|ws| ActionKind::Modify.refusal(&ws.state, None).is_none())
        .map(|ws| ws.id)
        .take(25)
        .collect();
    assert!(to_switch.len() > 5, "{to_switch:?}");
    let mut wanted = CostQuery {
        show: "auto-stop".into(),
        ..CostQuery::default()
    };
    let filtered = cost_page(&caller(&state, &viewer), &wanted)
        .await
        .expect("page");
    assert_eq!(filtered.total, page.to_auto_stop.len());
    assert!(filtered.rows.iter().all(|r| r.running_mode == "ALWAYS_ON"));

    // The review of "all recommended" sends one ModifyWorkspaceProperties each, audited.
    let admin = user(Role::Admin);
    let request = ActionRequest {
        action: ActionKind::Modify,
        ids: to_switch.clone(),
        reason: "CHG-77: cost insight, light users to AUTO_STOP".into(),
        confirm: String::new(),
        properties: PropertyChange {
            running_mode: Some("AUTO_STOP".into()),
            ..PropertyChange::default()
        },
        bundle_id: None,
    };
    let report = run(&caller(&state, &admin), request.clone())
        .await
        .expect("switch");
    assert_eq!(report.results.len(), to_switch.len());
    assert!(
        report
            .results
            .iter()
            .all(|r| r.outcome == TargetStatus::Succeeded),
        "{report:?}"
    );
    let (entries, _) = audit::list(&state.pool, &Default::default(), None)
        .await
        .expect("audit");
    let entry = entries
        .iter()
        .find(|e| e.id == report.audit_id)
        .expect("audit entry");
    assert_eq!(entry.action, "workspace.modify");
    assert_eq!(entry.actor_name, "admin-user");
    assert!(
        entry.params.contains("\"running_mode\":\"AUTO_STOP\""),
        "{}",
        entry.params
    );
    assert_eq!(
        entry.reason.as_deref(),
        Some("CHG-77: cost insight, light users to AUTO_STOP")
    );
    assert_eq!(entry.targets.len(), to_switch.len());

    // The follow-up describes them again: the cache says AUTO_STOP, and the same review
    // sent again changes nothing ("already AUTO_STOP").
    let mut switched = Vec::new();
    for _ in 0..40 {
        switched = inventory::workspaces_by_id(&state.pool, &to_switch)
            .await
            .expect("cache");
        if switched
            .iter()
            .all(|ws| ws.running_mode.as_deref() == Some("AUTO_STOP"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        switched
            .iter()
            .all(|ws| ws.running_mode.as_deref() == Some("AUTO_STOP")),
        "{switched:?}"
    );
    let again = run(&caller(&state, &admin), request).await.expect("again");
    assert!(
        again
            .results
            .iter()
            .all(|r| r.outcome == TargetStatus::Skipped
                && r.message.as_deref() == Some("already AUTO_STOP")),
        "{again:?}"
    );
    wanted.show = "auto-stop".into();
    let after = cost_page(&caller(&state, &viewer), &wanted)
        .await
        .expect("page");
    assert!(
        after
            .rows
            .iter()
            .all(|r| !to_switch.contains(&r.workspace_id)),
        "switched WorkSpaces are no longer recommended"
    );

    // A help-desk agent may not switch: refused, and the refusal is audited.
    let helpdesk = user(Role::Helpdesk);
    let refused = run(
        &caller(&state, &helpdesk),
        ActionRequest {
            action: ActionKind::Modify,
            ids: page.to_always_on.clone(),
            reason: "trying".into(),
            confirm: String::new(),
            properties: PropertyChange {
                running_mode: Some("ALWAYS_ON".into()),
                ..PropertyChange::default()
            },
            bundle_id: None,
        },
    )
    .await;
    assert!(
        matches!(refused, Err(app::error::AppError::Forbidden)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_month_end_policy_dry_runs_once_then_switches_as_scheduled_cost_policy() {
    use app::server::cost::{POLICY_ACTOR, Schedule, run_policy};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = demo_with_cloudwatch(
        &dir,
        CostSettings {
            schedule: Schedule::DryRun,
            ..CostSettings::default()
        },
    )
    .await;
    let now = crate::common::unix_now();
    refresh_usage(&state, now).await.expect("read");
    // 2026-12-30T12:00Z is not the last day; 2026-12-31T12:00Z is.
    assert!(
        run_policy(&state, 1_798_632_000)
            .await
            .expect("policy")
            .is_empty()
    );
    let last_day = 1_798_718_400;
    let dry = run_policy(&state, last_day).await.expect("policy");
    assert_eq!(dry.len(), 1, "one dry-run entry");
    assert!(
        run_policy(&state, last_day + 600)
            .await
            .expect("policy")
            .is_empty(),
        "once a month"
    );
    let (entries, _) = audit::list(&state.pool, &Default::default(), None)
        .await
        .expect("audit");
    let entry = entries.iter().find(|e| e.id == dry[0]).expect("entry");
    assert_eq!(entry.action, "cost.policy_dry_run");
    assert_eq!(entry.actor_name, POLICY_ACTOR);
    assert!(
        entry
            .detail
            .as_deref()
            .unwrap_or_default()
            .starts_with("would switch ")
    );
    let untouched = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_entries WHERE action = 'workspace.modify'",
    )
    .fetch_one(&state.pool)
    .await
    .expect("count");
    assert_eq!(untouched, 0, "a dry run switches nothing");

    // Switching, the next month's last day: every recommended WorkSpace, audited as the
    // policy (2027-01-31T12:00Z).
    state.cost.schedule = Schedule::Switch;
    let admin = user(Role::Admin);
    let before = cost_page(&caller(&state, &admin), &CostQuery::default())
        .await
        .expect("page");
    let switched = run_policy(&state, 1_801_396_800).await.expect("policy");
    assert_eq!(switched.len(), 2, "one review each way");
    let (entries, _) = audit::list(&state.pool, &Default::default(), None)
        .await
        .expect("audit");
    for id in &switched {
        let entry = entries.iter().find(|e| e.id == *id).expect("entry");
        assert_eq!(entry.action, "workspace.modify");
        assert_eq!(entry.actor_name, POLICY_ACTOR);
    }
    let targets: usize = entries
        .iter()
        .filter(|e| switched.contains(&e.id))
        .map(|e| e.targets.len())
        .sum();
    assert_eq!(
        targets,
        before.to_auto_stop.len() + before.to_always_on.len()
    );
}
