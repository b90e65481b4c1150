//! The optional month-end cost policy (`FLEETDESK_COST_SCHEDULE`): on the last day of the
//! month (UTC; once a month) the background task switches every WorkSpace cost insight recommends,
//! through the one change path, as the actor [`POLICY_ACTOR`], so every switch is in the
//! audit log like an admin's. Off by default; `dry-run` writes one audit entry naming what
//! it would switch, so an owner can check a month before turning it on.

use serde_json::json;

use crate::error::AppError;
use crate::model::{ActionKind, EntryOutcome, Role, UserInfo, UserSource};
use crate::server::actions::{ActionRequest, MAX_TARGETS, run};
use crate::server::aws::PropertyChange;
use crate::server::caller::Caller;
use crate::server::repo::audit::{self, NewEntry};
use crate::server::repo::usage;
use crate::server::state::AppState;

/// The name the policy's changes carry in the audit log.
pub const POLICY_ACTOR: &str = "scheduled cost policy";

/// What the month-end policy does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Schedule {
    #[default]
    Off,
    /// Writes what it would switch to the audit log, and switches nothing.
    DryRun,
    /// Switches every recommended WorkSpace.
    Switch,
}

impl Schedule {
    /// `off`, `dry-run` or `switch`.
    pub fn parse(value: &str) -> Option<Schedule> {
        match value.trim() {
            "" | "off" => Some(Schedule::Off),
            "dry-run" => Some(Schedule::DryRun),
            "switch" => Some(Schedule::Switch),
            _ => None,
        }
    }

    /// What the policy does, for `/cost`.
    pub fn describe(self) -> &'static str {
        match self {
            Schedule::Off => "off",
            Schedule::DryRun => "a dry run on the month's last day (an audit entry, no switch)",
            Schedule::Switch => "switches every recommended WorkSpace on the month's last day",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Schedule::Off => "off",
            Schedule::DryRun => "dry-run",
            Schedule::Switch => "switch",
        }
    }
}

/// Whether `now` (seconds, UTC) is in the last day of its month.
pub fn is_last_day(now: i64) -> bool {
    super::month_start(now + 86_400) > super::month_start(now)
}

/// The policy's caller: an admin of every account, under [`POLICY_ACTOR`].
fn policy_caller(state: &AppState) -> Caller {
    let user = UserInfo {
        id: 0,
        name: POLICY_ACTOR.into(),
        role: Role::Admin,
        disabled: false,
        source: UserSource::Local,
        accounts: None,
    };
    Caller::new(state, user, Default::default())
}

/// Runs the policy at `now` if it is on, it is the month's last day and the month has
/// not run yet (claimed in the database, so once however many nodes check). Returns the
/// audit entries it wrote.
pub async fn run_policy(state: &AppState, now: i64) -> Result<Vec<i64>, AppError> {
    let schedule = state.cost.schedule;
    if schedule == Schedule::Off || !is_last_day(now) {
        return Ok(Vec::new());
    }
    let at = super::rfc3339(now);
    let month = at.get(..7).unwrap_or(&at);
    if !usage::claim_policy_run(&state.pool, month, &at, schedule.as_str()).await? {
        return Ok(Vec::new());
    }
    let caller = policy_caller(state);
    let (to_auto_stop, to_always_on) = super::report::switches(&caller).await?;
    let mut entries = Vec::new();
    if schedule == Schedule::DryRun {
        let entry = NewEntry {
            action: "cost.policy_dry_run".into(),
            params: json!({ "to_auto_stop": to_auto_stop, "to_always_on": to_always_on }),
            reason: Some("month-end cost policy, dry run".into()),
        };
        let detail = format!(
            "would switch {} to AUTO_STOP and {} to ALWAYS_ON; set FLEETDESK_COST_SCHEDULE=switch to carry it out",
            to_auto_stop.len(),
            to_always_on.len()
        );
        let id = audit::record(
            &state.pool,
            &caller.actor(),
            &entry,
            EntryOutcome::Succeeded,
            Some(&detail),
        )
        .await?;
        entries.push(id);
        return Ok(entries);
    }
    for (mode, ids) in [("AUTO_STOP", to_auto_stop), ("ALWAYS_ON", to_always_on)] {
        for chunk in ids.chunks(MAX_TARGETS) {
            let request = ActionRequest {
                action: ActionKind::Modify,
                ids: chunk.to_vec(),
                reason: format!(
                    "month-end cost policy: judged on the last {} days of use",
                    crate::model::USAGE_WINDOW_DAYS
                ),
                confirm: String::new(),
                properties: PropertyChange {
                    running_mode: Some(mode.into()),
                    ..PropertyChange::default()
                },
                bundle_id: None,
            };
            entries.push(run(&caller, request).await?.audit_id);
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_day_is_the_day_before_the_first() {
        // 2026-12-31T23:59:00Z, 2026-12-30T12:00:00Z, 2027-02-28T01:00:00Z
        assert!(is_last_day(1_798_761_540));
        assert!(!is_last_day(1_798_632_000));
        assert!(is_last_day(1_803_776_400));
        assert_eq!(Schedule::parse("dry-run"), Some(Schedule::DryRun));
        assert_eq!(Schedule::parse("sometimes"), None);
    }
}
