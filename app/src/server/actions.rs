//! Help-desk and admin actions on WorkSpaces: a pure [`plan`] checks the request and each
//! target's cached state and splits the work into the calls the API takes; the shared
//! executor ([`crate::server::changes::execute`]) audits and carries it out; [`follow`]
//! then keeps the cache in step until the targets settle.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{
    ActionKind, ActionReport, Bundle, Directory, Image, TargetResult, Workspace, bundle_image,
    tenancy_problem, workspace_protocol_problem,
};
use crate::server::auth::allows;
use crate::server::aws::{API_BATCH_LIMIT, Change, PropertyChange, WorkspaceChange, WorkspacesApi};
use crate::server::caller::Caller;
use crate::server::changes::{self, CacheOp, Call, Plan, invalid, skipped};
use crate::server::repo::audit::{self, NewEntry};
use crate::server::repo::inventory::{self, ItemKind};

/// Most WorkSpaces one action may target.
pub const MAX_TARGETS: usize = crate::model::MAX_BULK_TARGETS;

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

/// The word to type to confirm a destructive action, e.g. `REBUILD`.
pub fn confirmation_word(action: ActionKind) -> String {
    action.as_str().to_uppercase()
}

/// Refuses requests that cannot be run, saying why.
fn validate(request: &mut ActionRequest) -> Result<(), AppError> {
    request.reason = changes::reason(&request.reason)?;
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
            && p.protocols.is_none()
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
        // 002_363a3ccb364b572d.txt:179: Protocols takes PCOIP and WSP.
        if p.protocols
            .iter()
            .flatten()
            .any(|protocol| !["PCOIP", "WSP"].contains(&protocol.as_str()))
        {
            return Err(invalid("protocol", "choose PCOIP or WSP"));
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
    if request.action == ActionKind::Migrate
        && request.bundle_id.as_deref().is_none_or(str::is_empty)
    {
        return Err(invalid("bundle_id", "choose the bundle to migrate to"));
    }
    Ok(())
}

/// The changes of one account and Region's targets: batches of 25, or one call each.
pub fn calls(
    action: ActionKind,
    (account, region): (&str, &str),
    ids: &[String],
    request: &ActionRequest,
) -> Vec<Call> {
    let call = |change: WorkspaceChange, targets: Vec<String>| Call {
        account: account.to_string(),
        region: region.to_string(),
        change: Change::Workspace(change),
        targets,
    };
    let batch = |make: fn(Vec<String>) -> WorkspaceChange| -> Vec<Call> {
        ids.chunks(API_BATCH_LIMIT)
            .map(|chunk| call(make(chunk.to_vec()), chunk.to_vec()))
            .collect()
    };
    let each = |make: &dyn Fn(&String) -> WorkspaceChange| -> Vec<Call> {
        ids.iter()
            .map(|id| call(make(id), vec![id.clone()]))
            .collect()
    };
    match action {
        ActionKind::Reboot => batch(WorkspaceChange::Reboot),
        ActionKind::Start => batch(WorkspaceChange::Start),
        ActionKind::Stop => batch(WorkspaceChange::Stop),
        ActionKind::Terminate => batch(WorkspaceChange::Terminate),
        ActionKind::Rebuild => each(&|id| WorkspaceChange::Rebuild(id.clone())),
        ActionKind::Restore => each(&|id| WorkspaceChange::Restore(id.clone())),
        ActionKind::Maintenance | ActionKind::EndMaintenance => {
            each(&|id| WorkspaceChange::SetMaintenance {
                id: id.clone(),
                maintenance: action == ActionKind::Maintenance,
            })
        }
        ActionKind::Modify => each(&|id| WorkspaceChange::ModifyProperties {
            id: id.clone(),
            properties: request.properties.clone(),
        }),
        ActionKind::Migrate => each(&|id| WorkspaceChange::Migrate {
            id: id.clone(),
            bundle_id: request.bundle_id.clone().unwrap_or_default(),
        }),
    }
}

/// The cached resources an action's refusals look at: for a migration the target bundle,
/// its image and the WorkSpace's directory (tenancy); for a protocol change the
/// WorkSpace's bundle and its image (Windows 7, GPU). Empty for the other actions.
#[derive(Debug, Default)]
pub struct Resources {
    pub bundles: Vec<Bundle>,
    pub images: Vec<Image>,
    pub directories: Vec<Directory>,
}

impl Resources {
    /// Whether `request` needs them.
    fn needed_by(request: &ActionRequest) -> bool {
        request.action == ActionKind::Migrate
            || (request.action == ActionKind::Modify && request.properties.protocols.is_some())
    }

    /// The cached bundles, images and directories, when `request` needs them.
    async fn for_request(pool: &AnyPool, request: &ActionRequest) -> Result<Self, AppError> {
        if !Self::needed_by(request) {
            return Ok(Resources::default());
        }
        Ok(Resources {
            bundles: inventory::items(pool, ItemKind::Bundle).await?,
            images: inventory::items(pool, ItemKind::Image).await?,
            directories: inventory::items(pool, ItemKind::Directory).await?,
        })
    }

    /// The cached bundle `id` in the WorkSpace's account and Region.
    fn bundle_of(&self, ws: &Workspace, id: &str) -> Option<&Bundle> {
        self.bundles
            .iter()
            .find(|b| b.id == id && b.account == ws.account && b.region == ws.region)
    }
}

/// Decides what an action does to each target, from the cached WorkSpaces and the
/// [`Resources`] it needs: targets the API would refuse are skipped with the reason, the
/// rest are split into the calls the API takes. Pure: no database, no AWS.
pub fn plan(
    mut request: ActionRequest,
    cached: &[Workspace],
    resources: &Resources,
) -> Result<Plan, AppError> {
    validate(&mut request)?;
    let action = request.action;
    let mut skipped_targets = Vec::new();
    // Calls go per account and Region: each has its own credentials and limits.
    let mut by_place: std::collections::BTreeMap<(String, String), Vec<String>> =
        Default::default();
    for id in &request.ids {
        match cached.iter().find(|ws| &ws.id == id) {
            None => skipped_targets.push(skipped(id, None, "not in the inventory")),
            Some(ws) if ws.removed_at.is_some() => {
                skipped_targets.push(skipped(id, None, "no longer exists in AWS"))
            }
            Some(ws) => {
                let refusal = action
                    .refusal(&ws.state, ws.running_mode.as_deref())
                    .or_else(|| migrate_refusal(&request, ws, resources))
                    .or_else(|| protocol_refusal(&request, ws, resources))
                    .or_else(|| mode_refusal(&request, ws));
                match refusal {
                    Some(reason) => skipped_targets.push(skipped(id, Some(&ws.region), reason)),
                    None => by_place
                        .entry((ws.account.clone(), ws.region.clone()))
                        .or_default()
                        .push(ws.id.clone()),
                }
            }
        }
    }
    let mut params = json!({ "ids": request.ids });
    if action == ActionKind::Modify {
        let p = &request.properties;
        params["properties"] = json!({
            "running_mode": p.running_mode, "auto_stop_timeout_minutes": p.auto_stop_timeout_minutes,
            "compute_type": p.compute_type, "root_volume_gib": p.root_volume_gib, "user_volume_gib": p.user_volume_gib,
            // WorkspaceProperties.Protocols (002_363a3ccb364b572d.txt:179).
            "protocols": p.protocols,
        });
    }
    if let Some(bundle) = &request.bundle_id {
        params["bundle_id"] = json!(bundle);
    }
    // A migration is not linked here: AWS answers the target's id at once, but "if the
    // migration does not succeed, the target WorkSpace ID will not be used"
    // (000_694e23744a3a4a46.txt:5223). `follow_changes` links it once AWS describes it.
    let mut cache = Vec::new();
    let mut all_calls = Vec::new();
    for ((account, region), ids) in &by_place {
        for id in ids {
            if let Some(state) = action.state_after() {
                cache.push((
                    id.clone(),
                    CacheOp::SetState {
                        id: id.clone(),
                        state,
                    },
                ));
            }
        }
        all_calls.extend(calls(action, (account, region), ids, &request));
    }
    Ok(Plan {
        action: format!("workspace.{}", action.as_str()),
        params,
        reason: Some(request.reason.clone()),
        calls: all_calls,
        skipped: skipped_targets,
        cache,
    })
}

/// Why `ws` cannot be migrated to the requested bundle: it must be a bundle of the
/// WorkSpace's Region, not the one the WorkSpace already has, and a BYOL bundle needs a
/// DEDICATED directory (000_694e23744a3a4a46.txt:3740, :4070).
fn migrate_refusal(
    request: &ActionRequest,
    ws: &Workspace,
    resources: &Resources,
) -> Option<String> {
    if request.action != ActionKind::Migrate {
        return None;
    }
    let wanted = request.bundle_id.as_deref().unwrap_or_default();
    let Some(bundle) = resources.bundles.iter().find(|b| b.id == wanted) else {
        return Some(format!("bundle {wanted} is not in the inventory"));
    };
    if bundle.region != ws.region || bundle.account != ws.account {
        return Some(format!(
            "bundle {wanted} is in {}, the WorkSpace in {}",
            bundle.region, ws.region
        ));
    }
    if ws.bundle_id == wanted {
        return Some(format!("the WorkSpace already uses {wanted}"));
    }
    let directory = resources
        .directories
        .iter()
        .find(|d| d.id == ws.directory_id && d.account == ws.account)?;
    tenancy_problem(bundle, bundle_image(bundle, &resources.images), directory)
}

/// Why a request that only switches the running mode skips `ws`: it is in that mode
/// already.
fn mode_refusal(request: &ActionRequest, ws: &Workspace) -> Option<String> {
    let p = &request.properties;
    let only_mode = p.auto_stop_timeout_minutes.is_none()
        && p.compute_type.is_none()
        && p.root_volume_gib.is_none()
        && p.user_volume_gib.is_none()
        && p.protocols.is_none();
    match (&request.action, &p.running_mode) {
        (ActionKind::Modify, Some(wanted)) if only_mode => {
            crate::model::mode_switch_refusal(ws.running_mode.as_deref(), wanted)
        }
        _ => None,
    }
}

/// Why `ws` cannot take the requested protocols: no protocol choice on Windows 7 or
/// GPU bundles (004_989ae404788726c9.txt:1873-1877).
fn protocol_refusal(
    request: &ActionRequest,
    ws: &Workspace,
    resources: &Resources,
) -> Option<String> {
    if request.action != ActionKind::Modify {
        return None;
    }
    let bundle = resources.bundle_of(ws, &ws.bundle_id);
    let image = bundle.and_then(|b| bundle_image(b, &resources.images));
    request
        .properties
        .protocols
        .iter()
        .flatten()
        .find_map(|protocol| workspace_protocol_problem(ws, bundle, image, protocol))
}

/// Runs an action for `user` and returns the outcome per WorkSpace.
pub async fn run(caller: &Caller, request: ActionRequest) -> Result<ActionReport, AppError> {
    let actor = caller.actor();
    if !allows(caller.user.role, request.action.required_role()) {
        // A refused attempt is a security event: it is audited too.
        let entry = NewEntry {
            action: format!("workspace.{}", request.action.as_str()),
            params: json!({ "ids": request.ids }),
            reason: Some(request.reason.clone()),
        };
        let detail = format!(
            "refused: the {} role may not {}",
            caller.user.role,
            request.action.as_str()
        );
        audit::record(
            caller.pool(),
            &actor,
            &entry,
            crate::model::EntryOutcome::Failed,
            Some(&detail),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    let action = request.action;
    // WorkSpaces in accounts the &caller.user may not use are not in their inventory.
    let cached: Vec<Workspace> = inventory::workspaces_by_id(caller.pool(), &request.ids)
        .await?
        .into_iter()
        .filter(|ws| caller.user.may_use(&ws.account))
        .collect();
    let resources = Resources::for_request(caller.pool(), &request).await?;
    let plan = plan(request, &cached, &resources)?;
    let executed = caller.execute(plan).await?;

    // Follow what AWS is now changing: the targets, and the WorkSpaces migrations create.
    // A migration's source is followed too: it stays if the migration fails
    // (000_694e23744a3a4a46.txt:5223).
    let mut followed: Vec<(String, String, String)> = Vec::new();
    let mut migrations = Vec::new();
    for target in executed.succeeded() {
        let Some(ws) = cached.iter().find(|ws| ws.id == target.target) else {
            continue;
        };
        followed.push((ws.account.clone(), ws.region.clone(), ws.id.clone()));
        if let Some(target_id) = executed.created.get(&target.target) {
            followed.push((ws.account.clone(), ws.region.clone(), target_id.clone()));
            migrations.push(PendingMigration {
                source_id: ws.id.clone(),
                target_id: target_id.clone(),
                audit_id: executed.audit_id,
            });
        }
    }
    if !followed.is_empty() {
        tokio::spawn(follow_changes(
            caller.pool().clone(),
            caller.workspaces.clone(),
            Following {
                targets: followed,
                migrations,
                every: FOLLOW_EVERY,
                limit: FOLLOW_FOR,
            },
        ));
    }
    Ok(report(action.label(), executed))
}

/// What a change on WorkSpaces did, per WorkSpace, for the page that asked for it.
pub fn report(label: &str, executed: changes::Executed) -> ActionReport {
    ActionReport {
        audit_id: executed.audit_id,
        label: label.to_string(),
        audit_action: executed.action.clone(),
        results: executed
            .targets
            .into_iter()
            .map(|r| TargetResult {
                message: match (r.error_code, r.error_message) {
                    (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                    (code, message) => code.or(message),
                },
                created_id: executed.created.get(&r.target).cloned(),
                workspace_id: r.target,
                outcome: r.outcome,
            })
            .collect(),
    }
}

/// How long the cache follows WorkSpaces after an action.
pub const FOLLOW_FOR: Duration = Duration::from_secs(15 * 60);

/// How often the cache asks AWS again while it follows WorkSpaces.
pub const FOLLOW_EVERY: Duration = Duration::from_secs(3);

/// A migration AWS accepted. AWS answers the target's id at once, but "if the migration
/// does not succeed, the target WorkSpace ID will not be used, and the WorkSpace will
/// still have the original WorkSpace ID" (000_694e23744a3a4a46.txt:5223): the cache
/// links source and target only once AWS describes the target.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMigration {
    pub source_id: String,
    pub target_id: String,
    /// The audit entry of the MigrateWorkspace call.
    pub audit_id: i64,
}

/// What [`follow_changes`] follows, and how.
#[derive(Debug, Clone)]
pub struct Following {
    /// The WorkSpaces to refresh: `(account, region, id)`.
    pub targets: Vec<(String, String, String)>,
    /// Migrations to link once their target is described.
    pub migrations: Vec<PendingMigration>,
    /// The pause before each round of DescribeWorkspaces.
    pub every: Duration,
    /// How long to follow at most.
    pub limit: Duration,
}

/// Refreshes the `(account, region, id)` WorkSpaces in the cache every few seconds until
/// they have settled or `limit` has passed (see [`follow_changes`]).
pub async fn follow(
    pool: AnyPool,
    clients: Vec<Arc<dyn WorkspacesApi>>,
    targets: Vec<(String, String, String)>,
    limit: Duration,
) {
    let following = Following {
        targets,
        migrations: Vec::new(),
        every: FOLLOW_EVERY,
        limit,
    };
    follow_changes(pool, clients, following).await;
}

/// Refreshes the followed WorkSpaces in the cache every `every` until none is in a
/// transitional state (REBOOTING, STARTING, …) and every one AWS is still creating has
/// been described, or until `limit` has passed.
///
/// A WorkSpace AWS is creating (no cached row: a migration's target or a standby; or a
/// cached PENDING row from CreateWorkspaces) is not described at once: "If you
/// immediately call DescribeWorkspaces with this identifier, no information is returned"
/// (000_694e23744a3a4a46.txt:4262, also :1733 and 002_363a3ccb364b572d.txt:64). Until
/// AWS has returned it once, "not returned" means "not there yet", not "gone". Once
/// returned, a WorkSpace AWS stops returning is gone (terminated) and settled.
pub async fn follow_changes(
    pool: AnyPool,
    clients: Vec<Arc<dyn WorkspacesApi>>,
    following: Following,
) {
    let Following {
        targets,
        mut migrations,
        every,
        limit,
    } = following;
    let deadline = tokio::time::Instant::now() + limit;
    let mut awaited = being_created(&pool, &targets).await;
    loop {
        tokio::time::sleep(every).await;
        let mut unsettled = false;
        for api in &clients {
            let region_ids: Vec<String> = targets
                .iter()
                .filter(|(account, region, _)| (account.as_str(), region.as_str()) == api.place())
                .map(|(_, _, id)| id.clone())
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
                            unsettled = true;
                            continue;
                        }
                        for described in &found {
                            awaited.remove(&described.workspace.id);
                        }
                        link_described_migrations(&pool, &mut migrations, &found).await;
                    }
                    Err(error) => {
                        tracing::warn!("cannot refresh WorkSpaces after an action: {error}");
                        unsettled = true;
                    }
                }
            }
        }
        // Not described yet is not settled (000_694e23744a3a4a46.txt:4262).
        unsettled |= !awaited.is_empty();
        if !unsettled || tokio::time::Instant::now() >= deadline {
            if !awaited.is_empty() {
                tracing::info!(
                    ids = ?awaited,
                    "stopped following WorkSpaces AWS has not described yet"
                );
            }
            return;
        }
    }
}

/// The followed ids AWS may still be creating: those without a cached row (a
/// migration's target, a standby) and those cached as PENDING (CreateWorkspaces). When
/// the cache cannot be read, every target is treated as one: following longer is
/// harmless, stopping early is not.
async fn being_created(
    pool: &AnyPool,
    targets: &[(String, String, String)],
) -> std::collections::HashSet<String> {
    let ids: Vec<String> = targets.iter().map(|(_, _, id)| id.clone()).collect();
    match inventory::workspaces_by_id(pool, &ids).await {
        Ok(cached) => ids
            .into_iter()
            .filter(|id| {
                cached
                    .iter()
                    .find(|ws| &ws.id == id)
                    .is_none_or(|ws| ws.state == crate::model::WorkspaceState::Pending)
            })
            .collect(),
        Err(error) => {
            tracing::warn!("cannot read the followed WorkSpaces: {error}");
            ids.into_iter().collect()
        }
    }
}

/// Links each migration whose target AWS has now described, and drops it from
/// `migrations`; a link that cannot be written is tried again at the next round.
async fn link_described_migrations(
    pool: &AnyPool,
    migrations: &mut Vec<PendingMigration>,
    found: &[crate::server::aws::DescribedWorkspace],
) {
    let mut waiting = Vec::new();
    for migration in migrations.drain(..) {
        if !found.iter().any(|d| d.workspace.id == migration.target_id) {
            waiting.push(migration);
            continue;
        }
        let linked = async {
            let mut conn = pool.acquire().await?;
            inventory::link_migration(
                &mut conn,
                &migration.source_id,
                &migration.target_id,
                migration.audit_id,
                &inventory::now(),
            )
            .await
        };
        if let Err(error) = linked.await {
            tracing::warn!(
                "cannot record the migration to {}: {error}",
                migration.target_id
            );
            waiting.push(migration);
        }
    }
    *migrations = waiting;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::WorkspaceState;

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

    pub(crate) fn workspace(id: &str, state: WorkspaceState, running_mode: &str) -> Workspace {
        Workspace {
            id: id.into(),
            region: "eu-west-1".into(),
            directory_id: "d-1".into(),
            user_name: "alice".into(),
            state,
            bundle_id: "wsb-old".into(),
            running_mode: Some(running_mode.into()),
            ..Workspace::default()
        }
    }

    pub(crate) fn bundle(id: &str, region: &str) -> Bundle {
        Bundle {
            id: id.into(),
            account: String::new(),
            region: region.into(),
            name: id.into(),
            owner: None,
            description: None,
            compute_type: None,
            root_storage_gib: None,
            user_storage_gib: None,
            image_id: None,
            state: None,
            last_updated: None,
            bundle_type: None,
            created: None,
        }
    }

    /// What the plan does with each target: called, or skipped with the reason.
    fn decided(plan: &Plan) -> (Vec<String>, Vec<(String, String)>) {
        let called = plan.calls.iter().flat_map(|c| c.targets.clone()).collect();
        let skipped = plan
            .skipped
            .iter()
            .map(|t| {
                (
                    t.target.clone(),
                    t.error_message.clone().unwrap_or_default(),
                )
            })
            .collect();
        (called, skipped)
    }

    #[test]
    fn batched_actions_take_25_ids_per_call_and_rebuilds_one() {
        let reboot = request(ActionKind::Reboot, 500);
        let calls_made = calls(ActionKind::Reboot, ("", "eu-west-1"), &reboot.ids, &reboot);
        assert_eq!(calls_made.len(), 20, "500 reboots are exactly 20 calls");
        assert!(calls_made.iter().all(|c| matches!(
            &c.change,
            Change::Workspace(WorkspaceChange::Reboot(ids)) if ids.len() == 25 && *ids == c.targets
        )));
        let rebuild = request(ActionKind::Rebuild, 3);
        assert_eq!(
            calls(
                ActionKind::Rebuild,
                ("", "eu-west-1"),
                &rebuild.ids,
                &rebuild
            )
            .len(),
            3
        );
        let stop = request(ActionKind::Stop, 26);
        assert_eq!(
            calls(ActionKind::Stop, ("", "eu-west-1"), &stop.ids, &stop).len(),
            2
        );
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

    /// 000_694e23744a3a4a46.txt:5948 "You cannot reboot a WorkSpace unless its state is
    /// AVAILABLE or UNHEALTHY": a REBOOTING WorkSpace is skipped, not sent.
    #[test]
    fn reboot_takes_available_and_unhealthy_only() {
        let cached = [
            workspace("ws-0000", WorkspaceState::Available, "AUTO_STOP"),
            workspace("ws-0001", WorkspaceState::Unhealthy, "AUTO_STOP"),
            workspace("ws-0002", WorkspaceState::Rebooting, "AUTO_STOP"),
        ];
        let plan = plan(
            request(ActionKind::Reboot, 3),
            &cached,
            &Resources::default(),
        )
        .expect("plan");
        let (called, skipped) = decided(&plan);
        assert_eq!(called, vec!["ws-0000", "ws-0001"]);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].1.contains("AVAILABLE, UNHEALTHY"), "{skipped:?}");
    }

    /// 000_694e23744a3a4a46.txt:6467 and :6578: start and stop need the running mode
    /// AutoStop; AlwaysOn and Manual WorkSpaces are skipped with the reason.
    #[test]
    fn start_and_stop_need_the_auto_stop_running_mode() {
        let cached = [
            workspace("ws-0000", WorkspaceState::Stopped, "AUTO_STOP"),
            workspace("ws-0001", WorkspaceState::Stopped, "ALWAYS_ON"),
            workspace("ws-0002", WorkspaceState::Stopped, "MANUAL"),
        ];
        let plan = plan(
            request(ActionKind::Start, 3),
            &cached,
            &Resources::default(),
        )
        .expect("plan");
        let (called, skipped) = decided(&plan);
        assert_eq!(called, vec!["ws-0000"]);
        assert_eq!(
            skipped
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>(),
            vec!["ws-0001", "ws-0002"]
        );
        assert!(skipped.iter().all(|(_, why)| why.contains("AutoStop")));
    }

    /// MigrateWorkspace goes to a bundle of the WorkSpace's Region; the plan changes
    /// nothing in the cache, as "if the migration does not succeed, the target WorkSpace
    /// ID will not be used, and the WorkSpace will still have the original WorkSpace ID"
    /// (000_694e23744a3a4a46.txt:5223): the link waits until AWS describes the target.
    #[test]
    fn migration_goes_to_a_bundle_of_the_workspaces_region_and_links_nothing_yet() {
        let cached = [
            workspace("ws-0000", WorkspaceState::Available, "AUTO_STOP"),
            workspace("ws-0001", WorkspaceState::Available, "AUTO_STOP"),
        ];
        let mut migrate = request(ActionKind::Migrate, 2);
        migrate.bundle_id = Some("wsb-new".into());
        let resources = Resources {
            bundles: vec![bundle("wsb-new", "eu-west-1")],
            ..Resources::default()
        };
        let planned = plan(migrate.clone(), &cached, &resources).expect("plan");
        assert_eq!(
            planned.calls.len(),
            2,
            "MigrateWorkspace takes one WorkSpace"
        );
        assert_eq!(
            planned.cache,
            Vec::new(),
            "nothing recorded before AWS confirms"
        );
        let elsewhere = Resources {
            bundles: vec![bundle("wsb-new", "us-east-1")],
            ..Resources::default()
        };
        let refused = plan(migrate, &cached, &elsewhere).expect("plan");
        let (called, skipped) = decided(&refused);
        assert!(called.is_empty());
        assert!(skipped[0].1.contains("us-east-1"), "{skipped:?}");
    }

    /// ModifyWorkspaceProperties' Protocols (WorkspaceProperties.Protocols,
    /// 002_363a3ccb364b572d.txt:179) is in the audit entry like the other properties.
    #[test]
    fn a_protocol_change_is_in_the_audit_entry() {
        let cached = [workspace("ws-0000", WorkspaceState::Available, "AUTO_STOP")];
        let mut modify = request(ActionKind::Modify, 1);
        modify.properties.protocols = Some(vec!["WSP".into()]);
        let planned = plan(modify, &cached, &Resources::default()).expect("plan");
        assert_eq!(planned.params["properties"]["protocols"], json!(["WSP"]));
        let mut compute_only = request(ActionKind::Modify, 1);
        compute_only.properties.compute_type = Some("POWER".into());
        let planned = plan(compute_only, &cached, &Resources::default()).expect("plan");
        assert_eq!(planned.params["properties"]["compute_type"], json!("POWER"));
        assert_eq!(
            planned.params["properties"]["protocols"],
            serde_json::Value::Null,
            "unchanged"
        );
    }

    /// 000_694e23744a3a4a46.txt:6699: terminate is sent in any state but SUSPENDED, a
    /// PENDING or TERMINATING WorkSpace included.
    #[test]
    fn terminate_skips_only_suspended_workspaces() {
        let cached = [
            workspace("ws-0000", WorkspaceState::Pending, "AUTO_STOP"),
            workspace("ws-0001", WorkspaceState::Suspended, "AUTO_STOP"),
            workspace("ws-0002", WorkspaceState::Terminating, "AUTO_STOP"),
            workspace("ws-0003", WorkspaceState::Error, "AUTO_STOP"),
        ];
        let mut terminate = request(ActionKind::Terminate, 4);
        terminate.confirm = "TERMINATE".into();
        let planned = plan(terminate, &cached, &Resources::default()).expect("plan");
        let (called, skipped) = decided(&planned);
        assert_eq!(called, vec!["ws-0000", "ws-0002", "ws-0003"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, "ws-0001");
        assert!(skipped[0].1.contains("SUSPENDED"), "{skipped:?}");
    }

    /// A cached image and directory, read from JSON as the cache stores them.
    fn image(id: &str, tenancy: &str) -> Image {
        serde_json::from_value(json!({
            "id": id, "region": "eu-west-1", "name": id, "required_tenancy": tenancy,
        }))
        .expect("image")
    }

    fn directory(id: &str, tenancy: &str) -> Directory {
        serde_json::from_value(json!({
            "id": id, "region": "eu-west-1", "name": id, "tenancy": tenancy,
            "dns_ip_addresses": [], "subnet_ids": [], "ip_group_ids": [],
        }))
        .expect("directory")
    }

    /// 000_694e23744a3a4a46.txt:3740 and :4070: a BYOL bundle (its image needs DEDICATED
    /// tenancy) cannot take a WorkSpace of a SHARED directory; migration skips it.
    #[test]
    fn a_migration_to_a_byol_bundle_needs_a_dedicated_directory() {
        let cached = [workspace("ws-0000", WorkspaceState::Available, "AUTO_STOP")];
        let mut migrate = request(ActionKind::Migrate, 1);
        migrate.bundle_id = Some("wsb-byol".into());
        let byol = Bundle {
            image_id: Some("wsi-byol".into()),
            ..bundle("wsb-byol", "eu-west-1")
        };
        let resources = |tenancy: &str| Resources {
            bundles: vec![byol.clone()],
            images: vec![image("wsi-byol", "DEDICATED")],
            directories: vec![directory("d-1", tenancy)],
        };
        let refused = plan(migrate.clone(), &cached, &resources("SHARED")).expect("plan");
        let (called, skipped) = decided(&refused);
        assert!(called.is_empty());
        assert!(skipped[0].1.contains("DEDICATED"), "{skipped:?}");
        let planned = plan(migrate, &cached, &resources("DEDICATED")).expect("plan");
        assert_eq!(decided(&planned).0, vec!["ws-0000"]);
    }

    /// 004_989ae404788726c9.txt:1873-1877: no protocol choice on GPU bundles; a Modify
    /// that switches a GRAPHICS WorkSpace's protocol is skipped with the reason.
    #[test]
    fn a_protocol_change_skips_gpu_workspaces() {
        let gpu = Workspace {
            compute_type: Some("GRAPHICS".into()),
            ..workspace("ws-0000", WorkspaceState::Available, "AUTO_STOP")
        };
        let standard = Workspace {
            compute_type: Some("STANDARD".into()),
            ..workspace("ws-0001", WorkspaceState::Available, "AUTO_STOP")
        };
        let mut modify = request(ActionKind::Modify, 2);
        modify.properties.protocols = Some(vec!["WSP".into()]);
        let planned = plan(modify, &[gpu, standard], &Resources::default()).expect("plan");
        let (called, skipped) = decided(&planned);
        assert_eq!(called, vec!["ws-0001"]);
        assert_eq!(skipped[0].0, "ws-0000");
        assert!(skipped[0].1.contains("GRAPHICS"), "{skipped:?}");
    }
}
