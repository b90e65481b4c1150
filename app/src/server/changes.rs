//! One path for every change Fleetdesk makes in AWS.
//!
//! Each area (WorkSpace actions, directories, images, bundles, IP groups, connection
//! aliases, applications) has a pure `plan(…)` that validates a request against the cached state and
//! returns a [`Plan`]:
//! the AWS calls to make, what the audit entry says, and what the cache becomes for each
//! target that succeeds. [`execute`] carries out any plan the same way:
//!
//! 1. the audit entry is committed `pending`, naming every target, before AWS is called;
//! 2. the calls go to AWS through [`WorkspacesApi::apply`], a few at a time per Region;
//!    calls on the same target run one after the other, in the plan's order, and a call
//!    is sent only if the one before it on that target succeeded (a tag edit deletes
//!    before it creates, so a resource at the 50-tag limit can have a key renamed);
//! 3. the per-target outcomes, the cache changes of the targets that succeeded and the
//!    finished audit entry are written in one transaction.
//!
//! Steps 2 and 3 run in a task of their own that the request awaits: a browser that gives
//! up (or a request time limit) cannot leave an action that ran without its outcome.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};
use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{EntryOutcome, TargetStatus, WorkspaceState, place_name};
use crate::server::aws::{AwsError, Change, ChangeOutcome, DescribedWorkspace, WorkspacesApi};
use crate::server::repo::audit::{self, Actor, NewEntry, TargetOutcome};
use crate::server::repo::inventory::{self, ItemKind};

/// At most this many calls run at once per Region (the rate limit paces them further).
const CALLS_AT_ONCE: usize = 4;

/// One AWS call of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The configured account the call acts in (`""`: the only one).
    pub account: String,
    pub region: String,
    pub change: Change,
    /// What the call acts on, as the audit log names it: the WorkSpace ids of a WorkSpace
    /// change, otherwise the one resource (its id, or the name of a resource to create).
    pub targets: Vec<String>,
}

/// A change to the cache, made once AWS has accepted the call of its target.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheOp {
    /// Stores `item` under `id`; with `id` `None`, under the id AWS created (which is
    /// also written into the item's `id` field).
    Put {
        account: String,
        region: String,
        kind: ItemKind,
        id: Option<String>,
        item: Value,
    },
    Delete {
        account: String,
        region: String,
        kind: ItemKind,
        id: String,
    },
    /// The state a WorkSpace enters when AWS accepts the action (REBOOTING, …).
    SetState { id: String, state: WorkspaceState },
    /// A WorkSpace's cached tags take the part of the edit AWS carried out: the keys of
    /// a DeleteTags that succeeded, the tags of a CreateTags that succeeded (so a
    /// failed CreateTags after a successful DeleteTags leaves the cache as AWS is).
    EditTags {
        workspace_id: String,
        edit: crate::model::TagEdit,
    },
    /// A WorkSpace's association with an application enters the state AWS answered
    /// ([`ChangeOutcome::associations`]), or `state` when the answer has none.
    SetApplication {
        workspace_id: String,
        application_id: String,
        account: String,
        region: String,
        state: String,
    },
    /// A WorkSpace AWS is creating: stored as PENDING under the id AWS created for the
    /// target (the `id` of `workspace` is replaced by it).
    NewWorkspace(Box<DescribedWorkspace>),
}

/// A change decided and validated, ready to be carried out by [`execute`].
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The audit action, e.g. `workspace.reboot` or `ip_group.add_rule`.
    pub action: String,
    /// What the audit entry records besides the targets (values before and after, …).
    pub params: Value,
    pub reason: Option<String>,
    pub calls: Vec<Call>,
    /// Targets refused before any call, with the reason; audited with the rest.
    pub skipped: Vec<TargetOutcome>,
    /// Cache changes per target, made for the targets whose call succeeded.
    pub cache: Vec<(String, CacheOp)>,
}

impl Plan {
    /// Records `text` under `key` in the audit entry's params: `summary`, the sentence
    /// saying what a change does, or `label`, the name of a bulk change ("Edit tags"),
    /// which the report of a sent change shows.
    pub fn describe(&mut self, key: &str, text: &str) {
        if let Value::Object(params) = &mut self.params {
            params.insert(key.into(), text.into());
        }
    }

    /// A plan of one call on one target, with the cache changes it brings.
    pub fn single(
        action: &str,
        params: Value,
        (account, region): (&str, &str),
        target: &str,
        change: Change,
        cache: Vec<CacheOp>,
    ) -> Plan {
        Plan {
            action: action.to_string(),
            params,
            reason: None,
            calls: vec![Call {
                account: account.to_string(),
                region: region.to_string(),
                change,
                targets: vec![target.to_string()],
            }],
            skipped: Vec::new(),
            cache: cache
                .into_iter()
                .map(|op| (target.to_string(), op))
                .collect(),
        }
    }

    /// Every target, called or skipped, in the plan's order.
    pub fn targets(&self) -> Vec<String> {
        let mut targets: Vec<String> = self
            .calls
            .iter()
            .flat_map(|call| call.targets.iter().cloned())
            .collect();
        targets.extend(self.skipped.iter().map(|t| t.target.clone()));
        targets
    }
}

/// What carrying out a plan did.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    pub audit_id: i64,
    /// The audit entry's action (the plan's).
    pub action: String,
    /// One outcome per target, sorted by target.
    pub targets: Vec<TargetOutcome>,
    /// Ids AWS created, by target (a new group, image copy, bundle, migrated WorkSpace, or
    /// the WorkSpace CreateWorkspaces started for a user).
    pub created: BTreeMap<String, String>,
}

impl Executed {
    /// The outcome of a one-target plan: the id AWS created (if any), or AWS's error.
    pub fn single_result(&self) -> Result<Option<String>, AppError> {
        match self.targets.first() {
            Some(target) if target.outcome == TargetStatus::Succeeded => {
                Ok(self.created.get(&target.target).cloned())
            }
            Some(target) => Err(AppError::Upstream {
                code: target.error_code.clone().unwrap_or_default(),
                message: target.error_message.clone().unwrap_or_default(),
            }),
            None => Err(AppError::Internal),
        }
    }

    /// The targets that succeeded.
    pub fn succeeded(&self) -> impl Iterator<Item = &TargetOutcome> {
        self.targets
            .iter()
            .filter(|t| t.outcome == TargetStatus::Succeeded)
    }
}

/// Carries out `plan` for `actor`: audit entry, AWS calls, cache, one path for all.
pub async fn execute(
    pool: &AnyPool,
    clients: &[Arc<dyn WorkspacesApi>],
    actor: &Actor,
    plan: Plan,
) -> Result<Executed, AppError> {
    if let Some(call) = plan.calls.iter().find(|call| !actor.may_use(&call.account)) {
        tracing::warn!(account = %call.account, "a change in an account the user may not use");
        return Err(AppError::Forbidden);
    }
    let mut params = plan.params.clone();
    if let Value::Object(map) = &mut params {
        map.insert("targets".into(), json!(plan.targets()));
        let mut accounts: Vec<&str> = plan
            .calls
            .iter()
            .map(|call| call.account.as_str())
            .filter(|account| !account.is_empty())
            .collect();
        accounts.sort_unstable();
        accounts.dedup();
        if !accounts.is_empty() {
            map.insert("accounts".into(), json!(accounts));
        }
    }
    let entry = NewEntry {
        action: plan.action.clone(),
        params,
        reason: plan.reason.clone(),
    };
    let audit_id = {
        let mut tx = crate::server::repo::write(pool).await?;
        let id = audit::begin(&mut tx, actor, &entry).await?;
        tx.commit().await?;
        id
    };
    // From here on the work runs to its end whatever happens to the request.
    let task = tokio::spawn(carry_out(pool.clone(), clients.to_vec(), audit_id, plan));
    let executed = task.await.map_err(|error| {
        tracing::error!(audit_id, "a change task failed: {error}");
        AppError::Internal
    })??;
    // A plain form post goes back to its page, which then shows this entry.
    crate::server::plain_form::back_with_done(audit_id);
    Ok(executed)
}

/// Steps 2 and 3 of [`execute`].
async fn carry_out(
    pool: AnyPool,
    clients: Vec<Arc<dyn WorkspacesApi>>,
    audit_id: i64,
    plan: Plan,
) -> Result<Executed, AppError> {
    let answers = call_all(&clients, &plan.calls).await;
    let mut targets = plan.skipped.clone();
    let mut created = BTreeMap::new();
    for (call, answer) in plan.calls.iter().zip(&answers) {
        if let Ok(outcome) = answer {
            if let Some(id) = &outcome.created_id {
                for target in &call.targets {
                    created.insert(target.clone(), id.clone());
                }
            }
            for (target, id) in &outcome.created_per_target {
                if let Some(target) = call.targets.iter().find(|t| t.eq_ignore_ascii_case(target)) {
                    created.insert(target.clone(), id.clone());
                }
            }
        }
        targets.extend(outcomes(call, answer));
    }
    let targets = one_outcome_per_target(targets);

    let succeeded = targets
        .iter()
        .filter(|t| t.outcome == TargetStatus::Succeeded)
        .count();
    let overall = match succeeded {
        0 => EntryOutcome::Failed,
        n if n == targets.len() => EntryOutcome::Succeeded,
        _ => EntryOutcome::Partial,
    };
    let now = inventory::now();
    let mut tx = crate::server::repo::write(&pool).await?;
    for (target, op) in &plan.cache {
        if let CacheOp::EditTags { workspace_id, edit } = op {
            let done = carried_out(&plan.calls, &answers, target);
            let edit = carried_out_tags(edit, &done);
            if !edit.is_empty() {
                inventory::edit_tags(&mut tx, workspace_id, &edit, &now).await?;
            }
            continue;
        }
        let target_succeeded = targets
            .iter()
            .any(|t| &t.target == target && t.outcome == TargetStatus::Succeeded);
        if !target_succeeded {
            continue;
        }
        match op {
            CacheOp::Put {
                account,
                region,
                kind,
                id,
                item,
            } => {
                let id = id.clone().or_else(|| created.get(target).cloned());
                if let Some(id) = id {
                    let mut item = item.clone();
                    if let Value::Object(map) = &mut item {
                        map.insert("id".into(), json!(id));
                    }
                    inventory::put_item(&mut tx, account, region, *kind, &id, &item).await?;
                }
            }
            CacheOp::Delete {
                account,
                region,
                kind,
                id,
            } => {
                inventory::delete_item(&mut tx, account, region, *kind, id).await?;
            }
            CacheOp::SetState { id, state } => {
                inventory::set_state(&mut tx, id, state, &now).await?;
            }
            CacheOp::EditTags { .. } => {} // applied above, call by call
            CacheOp::SetApplication {
                workspace_id,
                application_id,
                account,
                region,
                state,
            } => {
                let answered = answers
                    .iter()
                    .flatten()
                    .find_map(|outcome| outcome.association_state(workspace_id, application_id));
                inventory::set_workspace_application(
                    &mut tx,
                    workspace_id,
                    application_id,
                    (account, region),
                    answered.unwrap_or(state),
                    &now,
                )
                .await?;
            }
            CacheOp::NewWorkspace(described) => {
                if let Some(id) = created.get(target) {
                    let mut described = (**described).clone();
                    described.workspace.id = id.clone();
                    inventory::upsert_workspace(&mut tx, &described, &Default::default(), &now)
                        .await?;
                }
            }
        }
    }
    let detail = (!created.is_empty()).then(|| {
        created
            .iter()
            .map(|(target, id)| format!("{target} → {id}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    audit::finish(&mut tx, audit_id, overall, detail.as_deref(), &targets).await?;
    tx.commit().await?;
    Ok(Executed {
        audit_id,
        action: plan.action.clone(),
        targets,
        created,
    })
}

/// The changes AWS carried out for `target`, in the plan's order.
fn carried_out<'a>(
    calls: &'a [Call],
    answers: &[Result<ChangeOutcome, AwsError>],
    target: &str,
) -> Vec<&'a Change> {
    calls
        .iter()
        .zip(answers)
        .filter(|(call, _)| call.targets.iter().any(|t| t == target))
        .filter(|(_, answer)| succeeded_for(answer, target))
        .map(|(call, _)| &call.change)
        .collect()
}

/// Whether `answer` carried out its call for `target` (the call was answered and
/// `target` is not among the refused).
fn succeeded_for(answer: &Result<ChangeOutcome, AwsError>, target: &str) -> bool {
    match answer {
        Ok(outcome) => !outcome.failed.iter().any(|f| f.target == target),
        Err(_) => false,
    }
}

/// The part of a tag edit that the carried-out tag calls did.
fn carried_out_tags(edit: &crate::model::TagEdit, done: &[&Change]) -> crate::model::TagEdit {
    use crate::server::aws::TagChange;
    let mut result = crate::model::TagEdit::default();
    for change in done {
        match change {
            Change::Tags(TagChange::Delete { keys, .. }) => result
                .remove
                .extend(edit.remove.iter().filter(|k| keys.contains(k)).cloned()),
            Change::Tags(TagChange::Create { tags, .. }) => result
                .set
                .extend(edit.set.iter().filter(|t| tags.contains(t)).cloned()),
            _ => {}
        }
    }
    result
}

/// Calls that act on the same targets in the same account and Region, in the plan's
/// order: they run one after the other.
fn chains(calls: &[Call]) -> Vec<Vec<usize>> {
    let mut chains: BTreeMap<(&str, &str, &[String]), Vec<usize>> = BTreeMap::new();
    for (index, call) in calls.iter().enumerate() {
        chains
            .entry((&call.account, &call.region, &call.targets))
            .or_default()
            .push(index);
    }
    chains.into_values().collect()
}

/// The answer of a call that was not sent because the call before it on the same
/// target failed.
fn not_sent() -> AwsError {
    AwsError {
        kind: crate::server::aws::ErrorKind::Other,
        code: "NotSent".into(),
        message: "not sent: the call before it on the same target failed".into(),
    }
}

/// Sends every call, a few at a time per account and Region (calls on the same target
/// one after the other, see [`chains`]); the answers in the calls' order.
async fn call_all(
    clients: &[Arc<dyn WorkspacesApi>],
    calls: &[Call],
) -> Vec<Result<ChangeOutcome, AwsError>> {
    let mut limits: BTreeMap<(&str, &str), Arc<tokio::sync::Semaphore>> = BTreeMap::new();
    let mut tasks = tokio::task::JoinSet::new();
    for chain in chains(calls) {
        let first = &calls[chain[0]];
        let Some(api) = find_client(clients, &first.account, &first.region).cloned() else {
            continue;
        };
        let limit = limits
            .entry((first.account.as_str(), first.region.as_str()))
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(CALLS_AT_ONCE)))
            .clone();
        let links: Vec<(usize, Change, Vec<String>)> = chain
            .iter()
            .map(|&index| {
                (
                    index,
                    calls[index].change.clone(),
                    calls[index].targets.clone(),
                )
            })
            .collect();
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let mut answers = Vec::with_capacity(links.len());
            let mut failed = false;
            for (index, change, targets) in links {
                let answer = if failed {
                    Err(not_sent())
                } else {
                    api.apply(&change).await
                };
                failed = failed || targets.iter().any(|t| !succeeded_for(&answer, t));
                answers.push((index, answer));
            }
            answers
        });
    }
    let mut answers: Vec<Option<Result<ChangeOutcome, AwsError>>> =
        calls.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(chain) => {
                for (index, answer) in chain {
                    answers[index] = Some(answer);
                }
            }
            Err(error) => tracing::error!("a change call task failed: {error}"),
        }
    }
    calls
        .iter()
        .zip(answers)
        .map(|(call, answer)| {
            answer.unwrap_or_else(|| {
                let configured = find_client(clients, &call.account, &call.region).is_some();
                Err(AwsError {
                    kind: crate::server::aws::ErrorKind::Other,
                    code: if configured {
                        "InternalError".into()
                    } else {
                        "RegionNotConfigured".into()
                    },
                    message: if configured {
                        "the call did not complete; check the resource's state".into()
                    } else {
                        format!(
                            "{} is not configured",
                            place_name(&call.account, &call.region)
                        )
                    },
                })
            })
        })
        .collect()
}

/// The outcomes sorted by target, one per target: a target of several calls (a tag edit
/// is a CreateTags and a DeleteTags) succeeded only if every call did; otherwise the
/// first failure stands for it.
fn one_outcome_per_target(mut outcomes: Vec<TargetOutcome>) -> Vec<TargetOutcome> {
    outcomes.sort_by(|a, b| {
        a.target.cmp(&b.target).then(
            (a.outcome == TargetStatus::Succeeded).cmp(&(b.outcome == TargetStatus::Succeeded)),
        )
    });
    outcomes.dedup_by(|later, first| later.target == first.target);
    outcomes
}

/// AWS's answer to one call as one outcome per target of the call.
fn outcomes(call: &Call, answer: &Result<ChangeOutcome, AwsError>) -> Vec<TargetOutcome> {
    call.targets
        .iter()
        .map(|target| {
            let (status, code, message, request_id) = match answer {
                Ok(outcome) => match outcome.failed.iter().find(|f| &f.target == target) {
                    Some(failed) => (
                        TargetStatus::Failed,
                        Some(failed.code.clone()),
                        Some(failed.message.clone()),
                        outcome.request_id.clone(),
                    ),
                    None => (
                        TargetStatus::Succeeded,
                        None,
                        None,
                        outcome.request_id.clone(),
                    ),
                },
                Err(error) => (
                    TargetStatus::Failed,
                    Some(error.code.clone()),
                    Some(error.message.clone()),
                    None,
                ),
            };
            TargetOutcome {
                target: target.clone(),
                region: Some(call.region.clone()),
                outcome: status,
                error_code: code,
                error_message: message,
                request_id,
            }
        })
        .collect()
}

/// A target refused before any call, with the reason.
pub fn skipped(target: &str, region: Option<&str>, reason: impl Into<String>) -> TargetOutcome {
    TargetOutcome {
        target: target.to_string(),
        region: region.map(str::to_string),
        outcome: TargetStatus::Skipped,
        error_code: None,
        error_message: Some(reason.into()),
        request_id: None,
    }
}

/// The client of a configured account and Region.
pub fn find_client<'a>(
    clients: &'a [Arc<dyn WorkspacesApi>],
    account: &str,
    region: &str,
) -> Option<&'a Arc<dyn WorkspacesApi>> {
    clients
        .iter()
        .find(|api| api.account() == account && api.region() == region)
}

/// The client of a configured account and Region, or a validation error naming them.
pub fn region_api(
    clients: &[Arc<dyn WorkspacesApi>],
    account: &str,
    region: &str,
) -> Result<Arc<dyn WorkspacesApi>, AppError> {
    find_client(clients, account, region)
        .cloned()
        .ok_or_else(|| {
            invalid(
                "region",
                format!("{} is not configured", place_name(account, region)),
            )
        })
}

/// The longest reason a change accepts.
pub const MAX_REASON_CHARS: usize = 500;

/// The reason or ticket of a change, trimmed; refused when empty or too long.
pub fn reason(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("reason", "give a reason or ticket number"));
    }
    if text.chars().count() > MAX_REASON_CHARS {
        return Err(invalid(
            "reason",
            format!("keep the reason under {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(text.to_string())
}

/// A validation error on `field`: what every plan refuses with.
pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation {
        field: field.into(),
        message: message.into(),
    }
}

/// A model value as the JSON the cache stores.
pub fn item<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
