//! The action controls: a confirmation form per action (what happens, to which
//! WorkSpaces, a required reason, a typed confirmation where data is destroyed) and the
//! error of one that failed. Plain forms inside `<details>`, so they work without
//! JavaScript; with it, each is sent once ([`SendOnce`]).

use leptos::prelude::*;

use crate::api::actions::RunAction;
use crate::components::error_box::ErrorBox;
use crate::components::sync_bar::short_time;
use crate::islands::send_once::SendOnce;
use crate::model::{ActionKind, Role, Snapshot, StandbyRole, Workspace};

/// The actions a role may run, in the order the page shows them.
pub fn actions_for(role: Option<Role>) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|action| role.is_some_and(|role| role >= action.required_role()))
        .collect()
}

/// The error of the last action sent through `action`: a plain form post that failed
/// comes back to its page with the error in the URL, which the action holds on the
/// server. (A sent action comes back with `done=<audit entry>` instead.)
#[component]
pub fn ActionError(action: ServerAction<RunAction>) -> impl IntoView {
    action
        .value()
        .get_untracked()
        .and_then(Result::err)
        .map(|error| view! { <ErrorBox error/> })
}

/// What a migration does to the WorkSpace's id, under the bundle choice: AWS recreates
/// the WorkSpace under a new id (000_694e23744a3a4a46.txt:5160), and "if the migration
/// does not succeed, the target WorkSpace ID will not be used, and the WorkSpace will
/// still have the original WorkSpace ID" (:5223).
pub const MIGRATION_NOTE: &str = "AWS recreates the WorkSpace under a new id, with a new root volume from the bundle's image and the user volume from the last snapshot. If the migration does not succeed, the new id is not used and the WorkSpace keeps its current id.";

/// The line of a rebuild or restore confirmation naming the snapshot it goes back to:
/// its time, or that AWS reports none or could not be asked. `None` for other actions.
/// `snapshots` is `None` when DescribeWorkspaceSnapshots failed.
pub fn snapshot_note(kind: ActionKind, snapshots: Option<&[Snapshot]>) -> Option<String> {
    let snapshot_kind = kind.snapshot_kind()?;
    let contents = Snapshot::contents(snapshot_kind);
    Some(match snapshots {
        None => format!("The time of the last snapshot of the {contents} could not be fetched."),
        Some(list) => match Snapshot::latest(list, snapshot_kind) {
            Some(snapshot) => format!(
                "Last snapshot of the {contents}: {}; what changed after it is lost.",
                short_time(&snapshot.time)
            ),
            None => format!("AWS reports no snapshot of the {contents} for this WorkSpace."),
        },
    })
}

/// The warning of a rebuild, restore or terminate of a primary WorkSpace: its standby in
/// the other Region (002_363a3ccb364b572d.txt) is a WorkSpace of its own that the action
/// leaves as it is. `None` for other actions and WorkSpaces in no pair.
pub fn standby_note(kind: ActionKind, role: Option<StandbyRole>) -> Option<&'static str> {
    if role != Some(StandbyRole::Primary) {
        return None;
    }
    match kind {
        ActionKind::Rebuild | ActionKind::Restore => Some(
            "This WorkSpace has a standby in another Region: the standby is not rebuilt or restored with it, so the two will differ until the standby gets the same treatment.",
        ),
        ActionKind::Terminate => Some(
            "This WorkSpace has a standby in another Region: terminating the primary leaves the standby without it. Decide what happens to the standby (see its detail page).",
        ),
        _ => None,
    }
}

/// The warning of an action that ends the session of a user connected right now (the
/// cached connection state is `CONNECTED`): what they have open and unsaved is lost.
/// `None` for actions that leave the session alone and for WorkSpaces nobody uses now.
pub fn connected_note(kind: ActionKind, connection_state: Option<&str>) -> Option<String> {
    if connection_state != Some("CONNECTED") {
        return None;
    }
    let ends = matches!(
        kind,
        ActionKind::Reboot
            | ActionKind::Stop
            | ActionKind::Rebuild
            | ActionKind::Restore
            | ActionKind::Terminate
            | ActionKind::Maintenance
            | ActionKind::Migrate
    );
    ends.then(|| {
        format!(
            "The user is connected right now: {} ends their session, and what they have not saved is lost.",
            kind.label().to_lowercase()
        )
    })
}

/// The confirmation form of one action on the given WorkSpaces. `note` is an extra line
/// under what happens (the snapshot a rebuild or restore goes back to); `form_token` the
/// page's one-time token (see `server::form_token`).
#[component]
pub fn ActionForm(
    action: ServerAction<RunAction>,
    kind: ActionKind,
    ids: Vec<String>,
    subject: String,
    form_token: String,
    #[prop(default = None)] note: Option<String>,
    /// For a migration: the bundles to choose from, `(id, name)`.
    #[prop(default = Vec::new())]
    bundles: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <details class="action-confirm">
            <summary class=if kind.destroys_data() { "button-danger" } else { "button-secondary" }>{kind.label()}</summary>
            <leptos::form::ActionForm action=action attr:class="stack">
                <p class="confirm-text"><strong>{kind.label()}</strong> " " {subject} ": " {kind.effect()} "."</p>
                {note.map(|note| view! { <p class="confirm-text snapshot-note">{note}</p> })}
                <TargetFields kind ids form_token/>
                {(kind == ActionKind::Modify).then(|| view! { <PropertyFields/> })}
                {(kind == ActionKind::Migrate).then(|| view! {
                    <label><span>"Target bundle"</span>
                        <select name="bundle_id" required>
                            <option value="">"Choose a bundle of this Region"</option>
                            {bundles.into_iter().map(|(id, name)| view! { <option value=id.clone()>{format!("{name} ({id})")}</option> }).collect_view()}
                        </select>
                    </label>
                    // 000_694e23744a3a4a46.txt:5160 (new root volume, user volume from the
                    // last snapshot) and :5223 (a failed migration keeps the original id).
                    <p class="muted small">{MIGRATION_NOTE}</p>
                })}
                <ConfirmFields kind/>
            </leptos::form::ActionForm>
        </details>
    }
}

/// The fields of a property change (ModifyWorkspaceProperties), each "unchanged" unless
/// chosen.
#[component]
pub fn PropertyFields() -> impl IntoView {
    view! {
        <div class="filter-row">
            <label class="filter"><span>"Running mode"</span>
                <select name="running_mode">
                    <option value="">"unchanged"</option>
                    <option value="AUTO_STOP">"AUTO_STOP"</option>
                    <option value="ALWAYS_ON">"ALWAYS_ON"</option>
                    <option value="MANUAL">{crate::model::running_mode_label("MANUAL")}</option>
                </select>
            </label>
            <label class="filter"><span>"Auto-stop (minutes)"</span><input type="number" name="auto_stop_timeout" step="60" min="60"/></label>
            <label class="filter"><span>"Compute type"</span>
                <select name="compute_type">
                    <option value="">"unchanged"</option>
                    {["VALUE", "STANDARD", "PERFORMANCE", "POWER", "POWERPRO"].into_iter().map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                </select>
            </label>
            <label class="filter"><span>"Root GiB"</span><input type="number" name="root_volume_gib" min="10"/></label>
            <label class="filter"><span>"User GiB"</span><input type="number" name="user_volume_gib" min="10"/></label>
            <label class="filter"><span>"Protocol"</span>
                <select name="protocol">
                    <option value="">"unchanged"</option>
                    <option value="PCOIP">"PCoIP"</option>
                    <option value="WSP">"WSP (DCV)"</option>
                </select>
            </label>
        </div>
    }
}

/// The hidden fields naming the action and its WorkSpaces (`ids[0]`, `ids[1]`, …), and
/// the form's one-time token.
#[component]
pub fn TargetFields(kind: ActionKind, ids: Vec<String>, form_token: String) -> impl IntoView {
    view! {
        <input type="hidden" name="action" value=kind.as_str()/>
        <input type="hidden" name="form_token" value=form_token/>
        {ids.into_iter().enumerate().map(|(i, id)| view! { <input type="hidden" name=format!("ids[{i}]") value=id/> }).collect_view()}
    }
}

/// The required reason, the typed confirmation for actions that destroy data, and the
/// submit button (locked once pressed by [`SendOnce`] around the form). `label` names
/// the change on the button when it is more precise than the action's ("Switch to
/// AUTO_STOP").
#[component]
pub fn ConfirmFields(
    kind: ActionKind,
    #[prop(optional, into)] label: Option<String>,
) -> impl IntoView {
    let word = kind.as_str().to_uppercase();
    let label = label.unwrap_or_else(|| kind.label().to_string());
    view! {
        <label>
            <span>"Reason or ticket"</span>
            <input type="text" name="reason" required placeholder="INC-12345: user cannot log in"/>
        </label>
        {kind.destroys_data().then(|| view! {
            <label>
                <span>{format!("Type {word} to confirm")}</span>
                <input type="text" name="confirm" required autocomplete="off"/>
            </label>
        })}
        <button type="submit" class=if kind.destroys_data() { "danger" } else { "" }>{format!("{label} now")}</button>
    }
}

/// Every action the role may run on one WorkSpace: a form where the state allows it, a
/// disabled button with the reason where it does not. `snapshots` are the WorkSpace's
/// snapshots (`None` when they could not be fetched); rebuild and restore name theirs.
#[component]
pub fn WorkspaceActions(
    action: ServerAction<RunAction>,
    workspace: Workspace,
    role: Option<Role>,
    #[prop(default = None)] snapshots: Option<Vec<Snapshot>>,
    /// The bundles a migration may choose from, `(id, name)`.
    #[prop(default = Vec::new())]
    bundles: Vec<(String, String)>,
    /// The page's one-time form token.
    form_token: String,
) -> impl IntoView {
    let actions = actions_for(role);
    if actions.is_empty() || workspace.removed_at.is_some() {
        return ().into_any();
    }
    view! {
        <section class="card actions-card">
            <h2>"Actions"</h2>
            <SendOnce>
            <div class="action-row">
                {actions.into_iter().map(|kind| {
                    match kind.refusal(&workspace.state, workspace.running_mode.as_deref()) {
                        Some(reason) => {
                            let title = reason.clone();
                            view! {
                            <span class="action-disabled" title=title>
                                <button type="button" class="button-secondary" disabled=true>{kind.label()}</button>
                                <span class="muted small">{reason}</span>
                            </span>
                        }.into_any()},
                        None => {
                            let notes: Vec<String> = connected_note(kind, workspace.connection_state.as_deref())
                                .into_iter()
                                .chain(snapshot_note(kind, snapshots.as_deref()))
                                .chain(standby_note(kind, workspace.standby_role).map(str::to_string))
                                .collect();
                            let note = (!notes.is_empty()).then(|| notes.join(" "));
                            view! {
                            <ActionForm action kind ids=vec![workspace.id.clone()] subject=format!("WorkSpace {} of {}", workspace.id, workspace.user_name) note bundles=bundles.clone() form_token=form_token.clone()/>
                        }.into_any()},
                    }
                }).collect_view()}
            </div>
            </SendOnce>
            <ActionError action/>
        </section>
    }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuild_and_restore_name_the_newest_snapshot_of_their_kind() {
        let snap = |kind: &str, time: &str| Snapshot {
            kind: kind.into(),
            time: time.into(),
        };
        let list = [
            snap("rebuild", "2024-05-01T10:00:00Z"),
            snap("restore", "2024-04-30T10:00:00Z"),
            snap("restore", "2024-05-01T02:00:00Z"),
        ];
        let rebuild = snapshot_note(ActionKind::Rebuild, Some(&list)).expect("note");
        assert!(rebuild.contains("user volume (used by rebuild): 2024-05-01 10:00:00 UTC"));
        let restore = snapshot_note(ActionKind::Restore, Some(&list)).expect("note");
        assert!(
            restore.contains("root and user volumes (used by restore): 2024-05-01 02:00:00 UTC")
        );
        assert!(
            snapshot_note(ActionKind::Restore, Some(&[]))
                .expect("note")
                .contains("reports no snapshot")
        );
        assert!(
            snapshot_note(ActionKind::Rebuild, None)
                .expect("note")
                .contains("could not be fetched")
        );
        assert_eq!(snapshot_note(ActionKind::Reboot, Some(&list)), None);
    }

    #[test]
    fn destroying_actions_on_a_primary_warn_about_its_standby() {
        let primary = Some(StandbyRole::Primary);
        for kind in [
            ActionKind::Rebuild,
            ActionKind::Restore,
            ActionKind::Terminate,
        ] {
            assert!(standby_note(kind, primary).is_some_and(|n| n.contains("standby")));
            assert_eq!(standby_note(kind, None), None);
            assert_eq!(standby_note(kind, Some(StandbyRole::Standby)), None);
        }
        assert_eq!(standby_note(ActionKind::Reboot, primary), None);
    }

    /// Issue 27, item 10: a rebuild of a WorkSpace in use says the user is connected.
    #[test]
    fn actions_that_end_a_session_warn_when_the_user_is_connected() {
        let connected = Some("CONNECTED");
        assert!(
            connected_note(ActionKind::Rebuild, connected)
                .is_some_and(|n| n.contains("connected right now") && n.contains("rebuild"))
        );
        assert!(connected_note(ActionKind::Reboot, connected).is_some());
        assert_eq!(
            connected_note(ActionKind::Rebuild, Some("DISCONNECTED")),
            None
        );
        assert_eq!(connected_note(ActionKind::Rebuild, None), None);
        assert_eq!(connected_note(ActionKind::Start, connected), None);
        assert_eq!(connected_note(ActionKind::EndMaintenance, connected), None);
    }

    /// 000_694e23744a3a4a46.txt:5223: the note under a migration's bundle choice says
    /// the current id stays when the migration fails, not that it goes away.
    #[test]
    fn the_migration_note_says_a_failed_migration_keeps_the_id() {
        assert!(MIGRATION_NOTE.contains("new id"));
        assert!(MIGRATION_NOTE.contains("keeps its current id"));
        assert!(!MIGRATION_NOTE.contains("goes away"));
    }
}
