//! Help-desk and admin actions on WorkSpaces: validate, check each target's state, call
//! AWS within the API's limits, record the outcome, follow the targets until they settle.
//!
//! The audit entry is committed as `pending` before AWS is called; the outcome per
//! WorkSpace is written in the same transaction as the cache update. A crash in between
//! leaves the pending entry, marked `interrupted` at the next start.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{ActionKind, ActionReport, TargetResult, UserInfo};
use crate::server::auth::{Client, allows};
use crate::server::aws::{API_BATCH_LIMIT, Change, ChangeOutcome, PropertyChange, WorkspacesApi};
use crate::server::repo::audit::{self, NewEntry, TargetOutcome};
use crate::server::repo::inventory;

/// At most this many rebuilds or restores run at once.
const SINGLE_CALL_CONCURRENCY: usize = 4;
/// Most WorkSpaces one action may target.
pub const MAX_TARGETS: usize = 500;

/// An action as requested from a page.
#[derive(Debug, Clone)]
pub struct ActionRequest {
    pub action: ActionKind,
    pub ids: Vec<String>,
    pub reason: String,
    /// For actions that destroy data: the action's name typed in capitals.
    pub confirm: String,
    pub properties: PropertyChange,
    pub bundle_id: Option<String>,
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation {
        field: field.into(),
        message: message.into(),
    }
}

/// The word to type to confirm a destructive action, e.g. `REBUILD`.
pub fn confirmation_word(action: ActionKind) -> String {
    action.as_str().to_uppercase()
}

/// Refuses requests that cannot be run, saying why.
fn validate(request: &mut ActionRequest) -> Result<(), AppError> {
    request.reason = request.reason.trim().to_string();
    if request.reason.is_empty() {
        return Err(invalid("reason", "give a reason or ticket number"));
    }
    if request.reason.chars().count() > 500 {
        return Err(invalid("reason", "keep the reason under 500 characters"));
    }
    request.ids.retain(|id| !id.trim().is_empty());
    request.ids.sort();
    request.ids.dedup();
    if request.ids.is_empty() {
        return Err(invalid("ids", "select at least one WorkSpace"));
    }
    if request.ids.len() > MAX_TARGETS {
        return Err(invalid(
            "ids",
            format!("select at most {MAX_TARGETS} WorkSpaces"),
        ));
    }
    if request.action.destroys_data() && request.confirm.trim() != confirmation_word(request.action)
    {
        return Err(invalid(
            "confirm",
            format!(
                "type {} to confirm: this destroys data",
                confirmation_word(request.action)
            ),
        ));
    }
    if request.action == ActionKind::Modify {
        let p = &request.properties;
        if p.running_mode.is_none()
            && p.auto_stop_timeout_minutes.is_none()
            && p.compute_type.is_none()
            && p.root_volume_gib.is_none()
            && p.user_volume_gib.is_none()
        {
            return Err(invalid("properties", "change at least one property"));
        }
        if let Some(mode) = &p.running_mode {
            if !["ALWAYS_ON", "AUTO_STOP", "MANUAL"].contains(&mode.as_str()) {
                return Err(invalid(
                    "running_mode",
                    "choose ALWAYS_ON, AUTO_STOP or MANUAL",
                ));
            }
        }
        if let Some(minutes) = p.auto_stop_timeout_minutes {
            if minutes < 60 || minutes % 60 != 0 {
                return Err(invalid("auto_stop_timeout", "use a multiple of 60 minutes"));
            }
        }
        for (field, size) in [
            ("root_volume", p.root_volume_gib),
            ("user_volume", p.user_volume_gib),
        ] {
            if size.is_some_and(|gib| !(10..=2000).contains(&gib)) {
                return Err(invalid(field, "use 10 to 2000 GiB"));
            }
        }
    }
    if request.action == ActionKind::Migrate {
        let bundle_ok = request
            .bundle_id
            .as_deref()
            .is_some_and(|b| b.starts_with("wsb-") && b.len() <= 64);
        if !bundle_ok {
            return Err(invalid("bundle_id", "give the target bundle id (wsb-…)"));
        }
    }
    Ok(())
}

/// Splits the targets' ids into the calls the API takes: batches of 25, or one each.
pub fn calls(action: ActionKind, ids: &[String], request: &ActionRequest) -> Vec<Change> {
    let batch = |make: fn(Vec<String>) -> Change| -> Vec<Change> {
        ids.chunks(API_BATCH_LIMIT)
            .map(|chunk| make(chunk.to_vec()))
            .collect()
    };
    match action {
        ActionKind::Reboot => batch(Change::Reboot),
        ActionKind::Start => batch(Change::Start),
        ActionKind::Stop => batch(Change::Stop),
        ActionKind::Terminate => batch(Change::Terminate),
        ActionKind::Rebuild => ids.iter().cloned().map(Change::Rebuild).collect(),
        ActionKind::Restore => ids.iter().cloned().map(Change::Restore).collect(),
        ActionKind::Maintenance | ActionKind::EndMaintenance => ids
            .iter()
            .map(|id| Change::SetMaintenance {
                id: id.clone(),
                maintenance: action == ActionKind::Maintenance,
            })
            .collect(),
        ActionKind::Modify => ids
            .iter()
            .map(|id| Change::ModifyProperties {
                id: id.clone(),
                properties: request.properties.clone(),
            })
            .collect(),
        ActionKind::Migrate => ids
            .iter()
            .map(|id| Change::Migrate {
                id: id.clone(),
                bundle_id: request.bundle_id.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

/// The ids a change is about.
fn change_ids(change: &Change) -> Vec<String> {
    match change {
        Change::Reboot(ids) | Change::Start(ids) | Change::Stop(ids) | Change::Terminate(ids) => {
            ids.clone()
        }
        Change::Rebuild(id) | Change::Restore(id) => vec![id.clone()],
        Change::SetMaintenance { id, .. }
        | Change::ModifyProperties { id, .. }
        | Change::Migrate { id, .. } => {
            vec![id.clone()]
        }
    }
}

fn target(
    id: &str,
    region: Option<&str>,
    outcome: &str,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
) -> TargetOutcome {
    TargetOutcome {
        target: id.to_string(),
        region: region.map(str::to_string),
        outcome: outcome.to_string(),
        error_code: code,
        error_message: message,
        request_id,
    }
}

/// Turns AWS's answer to one call into one outcome per WorkSpace of the call.
fn outcomes(
    change: &Change,
    region: &str,
    answer: Result<ChangeOutcome, crate::server::aws::WorkspacesError>,
) -> Vec<TargetOutcome> {
    let ids = change_ids(change);
    match answer {
        Ok(outcome) => ids
            .iter()
            .map(
                |id| match outcome.failed.iter().find(|f| &f.workspace_id == id) {
                    Some(f) => target(
                        id,
                        Some(region),
                        "failed",
                        Some(f.code.clone()),
                        Some(f.message.clone()),
                        outcome.request_id.clone(),
                    ),
                    None => target(
                        id,
                        Some(region),
                        "succeeded",
                        None,
                        None,
                        outcome.request_id.clone(),
                    ),
                },
            )
            .collect(),
        Err(error) => ids
            .iter()
            .map(|id| {
                target(
                    id,
                    Some(region),
                    "failed",
                    Some(error.code.clone()),
                    Some(error.message.clone()),
                    None,
                )
            })
            .collect(),
    }
}

/// Runs the calls of one Region: batched calls one after another, single-WorkSpace
/// calls a few at a time.
async fn run_calls(api: Arc<dyn WorkspacesApi>, changes: Vec<Change>) -> Vec<TargetOutcome> {
    let region = api.region().to_string();
    let limit = Arc::new(tokio::sync::Semaphore::new(SINGLE_CALL_CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    let ids_per_call: Vec<Vec<String>> = changes.iter().map(change_ids).collect();
    for (index, change) in changes.into_iter().enumerate() {
        let (api, limit, region) = (api.clone(), limit.clone(), region.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire().await;
            let answer = api.change(&change).await;
            (index, outcomes(&change, &region, answer))
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => done.push(result),
            Err(error) => tracing::error!("an action call task failed: {error}"),
        }
    }
    // A call whose task died is reported as failed, never dropped from the results.
    for (index, ids) in ids_per_call.iter().enumerate() {
        if !done.iter().any(|(i, _)| *i == index) {
            let lost = ids
                .iter()
                .map(|id| {
                    target(
                        id,
                        Some(&region),
                        "failed",
                        Some("InternalError".into()),
                        Some("the call did not complete; check the WorkSpace's state".into()),
                        None,
                    )
                })
                .collect();
            done.push((index, lost));
        }
    }
    done.sort_by_key(|(index, _)| *index);
    done.into_iter()
        .flat_map(|(_, outcomes)| outcomes)
        .collect()
}

/// Runs an action for `user` and returns the outcome per WorkSpace.
pub async fn run(
    pool: &SqlitePool,
    regions: &[Arc<dyn WorkspacesApi>],
    user: &UserInfo,
    client: &Client,
    mut request: ActionRequest,
) -> Result<ActionReport, AppError> {
    if !allows(user.role, request.action.required_role()) {
        // A refused attempt is a security event: it is audited too.
        let entry = NewEntry {
            action: format!("workspace.{}", request.action.as_str()),
            params: json!({ "ids": request.ids }),
            reason: Some(request.reason.clone()),
        };
        let detail = format!(
            "refused: the {} role may not {}",
            user.role,
            request.action.as_str()
        );
        audit::record(
            pool,
            &client.actor(Some(user), &user.name),
            &entry,
            "failed",
            Some(&detail),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    validate(&mut request)?;
    let action = request.action;

    // Which targets can be acted on, by Region; the others are skipped with the reason.
    let mut skipped = Vec::new();
    let mut by_region: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let cached = inventory::workspaces_by_id(pool, &request.ids).await?;
    for id in &request.ids {
        match cached.iter().find(|ws| &ws.id == id) {
            None => skipped.push(target(
                id,
                None,
                "skipped",
                None,
                Some("not in the inventory".into()),
                None,
            )),
            Some(ws) if ws.removed_at.is_some() => skipped.push(target(
                id,
                None,
                "skipped",
                None,
                Some("no longer exists in AWS".into()),
                None,
            )),
            Some(ws) => match action.refusal(&ws.state, ws.running_mode.as_deref()) {
                Some(reason) => skipped.push(target(
                    id,
                    Some(&ws.region),
                    "skipped",
                    None,
                    Some(reason),
                    None,
                )),
                None => by_region
                    .entry(ws.region.clone())
                    .or_default()
                    .push(ws.id.clone()),
            },
        }
    }

    let mut params = json!({ "ids": request.ids });
    if action == ActionKind::Modify {
        let p = &request.properties;
        params["properties"] = json!({
            "running_mode": p.running_mode, "auto_stop_timeout_minutes": p.auto_stop_timeout_minutes,
            "compute_type": p.compute_type, "root_volume_gib": p.root_volume_gib, "user_volume_gib": p.user_volume_gib,
        });
    }
    if let Some(bundle) = &request.bundle_id {
        params["bundle_id"] = json!(bundle);
    }
    let entry = NewEntry {
        action: format!("workspace.{}", action.as_str()),
        params,
        reason: Some(request.reason.clone()),
    };
    let actor = client.actor(Some(user), &user.name);
    let audit_id = {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = audit::begin(&mut tx, &actor, &entry).await?;
        tx.commit().await?;
        id
    };

    let mut results = skipped;
    let mut tasks = tokio::task::JoinSet::new();
    for (region, ids) in &by_region {
        let changes = calls(action, ids, &request);
        match regions.iter().find(|api| api.region() == region) {
            Some(api) => {
                tasks.spawn(run_calls(api.clone(), changes));
            }
            None => results.extend(ids.iter().map(|id| {
                target(
                    id,
                    Some(region),
                    "failed",
                    Some("RegionNotConfigured".into()),
                    Some(format!("{region} is not configured")),
                    None,
                )
            })),
        }
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(outcomes) => results.extend(outcomes),
            Err(error) => tracing::error!("an action Region task failed: {error}"),
        }
    }
    results.sort_by(|a, b| a.target.cmp(&b.target));

    let succeeded = results.iter().filter(|r| r.outcome == "succeeded").count();
    let overall = match succeeded {
        0 => "failed",
        n if n == results.len() => "succeeded",
        _ => "partial",
    };
    let now = inventory::now();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    if let Some(new_state) = action.state_after() {
        for result in results.iter().filter(|r| r.outcome == "succeeded") {
            inventory::set_state(&mut tx, &result.target, &new_state, &now).await?;
        }
    }
    audit::finish(&mut tx, audit_id, overall, None, &results).await?;
    tx.commit().await?;

    let followed: Vec<String> = results
        .iter()
        .filter(|r| r.outcome == "succeeded")
        .map(|r| r.target.clone())
        .collect();
    if !followed.is_empty() {
        tokio::spawn(follow(pool.clone(), regions.to_vec(), followed, FOLLOW_FOR));
    }
    Ok(ActionReport {
        audit_id,
        action,
        results: results
            .into_iter()
            .map(|r| TargetResult {
                workspace_id: r.target,
                outcome: r.outcome,
                message: match (r.error_code, r.error_message) {
                    (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                    (code, message) => code.or(message),
                },
            })
            .collect(),
    })
}

/// How long the cache follows WorkSpaces after an action.
pub const FOLLOW_FOR: Duration = Duration::from_secs(15 * 60);

/// Refreshes `ids` in the cache every few seconds until none is in a transitional state
/// (REBOOTING, STARTING, …) or `limit` has passed.
pub async fn follow(
    pool: SqlitePool,
    regions: Vec<Arc<dyn WorkspacesApi>>,
    ids: Vec<String>,
    limit: Duration,
) {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let pending: Vec<(String, String)> = match inventory::workspaces_by_id(&pool, &ids).await {
            Ok(found) => found.into_iter().map(|ws| (ws.region, ws.id)).collect(),
            Err(error) => {
                tracing::warn!("cannot read the WorkSpaces to follow: {error}");
                Vec::new()
            }
        };
        let mut unsettled = false;
        for api in &regions {
            let region_ids: Vec<String> = pending
                .iter()
                .filter(|(region, _)| region == api.region())
                .map(|(_, id)| id.clone())
                .collect();
            for chunk in region_ids.chunks(API_BATCH_LIMIT) {
                match api.describe_workspaces_by_id(chunk).await {
                    Ok(found) => {
                        unsettled |= found.iter().any(|d| d.workspace.state.is_transitional());
                        if let Err(error) = inventory::store_workspaces(
                            &pool,
                            &found,
                            &Default::default(),
                            &inventory::now(),
                        )
                        .await
                        {
                            tracing::warn!("cannot store refreshed WorkSpaces: {error}");
                        }
                    }
                    Err(error) => {
                        tracing::warn!("cannot refresh WorkSpaces after an action: {error}");
                        unsettled = true;
                    }
                }
            }
        }
        if !unsettled || tokio::time::Instant::now() >= deadline {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(action: ActionKind, count: usize) -> ActionRequest {
        ActionRequest {
            action,
            ids: (0..count).map(|n| format!("ws-{n:04}")).collect(),
            reason: "INC-1234".into(),
            confirm: String::new(),
            properties: PropertyChange::default(),
            bundle_id: None,
        }
    }

    #[test]
    fn batched_actions_take_25_ids_per_call_and_rebuilds_one() {
        let reboot = request(ActionKind::Reboot, 500);
        let calls_made = calls(ActionKind::Reboot, &reboot.ids, &reboot);
        assert_eq!(calls_made.len(), 20, "500 reboots are exactly 20 calls");
        assert!(
            calls_made
                .iter()
                .all(|c| matches!(c, Change::Reboot(ids) if ids.len() == 25))
        );
        let rebuild = request(ActionKind::Rebuild, 3);
        assert_eq!(calls(ActionKind::Rebuild, &rebuild.ids, &rebuild).len(), 3);
        let stop = request(ActionKind::Stop, 26);
        assert_eq!(calls(ActionKind::Stop, &stop.ids, &stop).len(), 2);
    }

    #[test]
    fn requests_need_a_reason_and_destructive_ones_a_typed_confirmation() {
        let mut no_reason = request(ActionKind::Reboot, 1);
        no_reason.reason = "  ".into();
        assert!(validate(&mut no_reason).is_err());
        let mut rebuild = request(ActionKind::Rebuild, 1);
        assert!(validate(&mut rebuild).is_err());
        rebuild.confirm = "REBUILD".into();
        assert!(validate(&mut rebuild).is_ok());
        let mut modify = request(ActionKind::Modify, 1);
        assert!(validate(&mut modify).is_err(), "nothing to change");
        modify.properties.auto_stop_timeout_minutes = Some(45);
        assert!(validate(&mut modify).is_err(), "not a multiple of 60");
        let mut duplicates = request(ActionKind::Reboot, 2);
        duplicates.ids.push("ws-0000".into());
        validate(&mut duplicates).expect("valid");
        assert_eq!(duplicates.ids.len(), 2);
    }
}
