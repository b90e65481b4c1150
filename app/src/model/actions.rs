//! WorkSpace actions: what each does, which states the API accepts, and their outcomes.

use super::*;
use serde::{Deserialize, Serialize};

/// What a help-desk agent or admin can do to WorkSpaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Reboot,
    Start,
    Stop,
    Rebuild,
    Restore,
    Terminate,
    /// ModifyWorkspaceState to ADMIN_MAINTENANCE.
    Maintenance,
    /// ModifyWorkspaceState back to AVAILABLE.
    EndMaintenance,
    /// ModifyWorkspaceProperties.
    Modify,
    /// MigrateWorkspace to another bundle.
    Migrate,
}

/// Which states the API accepts an action from, in the reference's own terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateRule {
    /// Only these states (API spelling).
    Only(&'static [&'static str]),
    /// Every state but these, including states this code does not know yet.
    AnyExcept(&'static [&'static str]),
}

impl ActionKind {
    pub const ALL: [ActionKind; 10] = [
        ActionKind::Reboot,
        ActionKind::Start,
        ActionKind::Stop,
        ActionKind::Rebuild,
        ActionKind::Restore,
        ActionKind::Terminate,
        ActionKind::Maintenance,
        ActionKind::EndMaintenance,
        ActionKind::Modify,
        ActionKind::Migrate,
    ];

    /// The name used in URLs, forms and the audit log (`reboot`, `end_maintenance`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Reboot => "reboot",
            ActionKind::Start => "start",
            ActionKind::Stop => "stop",
            ActionKind::Rebuild => "rebuild",
            ActionKind::Restore => "restore",
            ActionKind::Terminate => "terminate",
            ActionKind::Maintenance => "maintenance",
            ActionKind::EndMaintenance => "end_maintenance",
            ActionKind::Modify => "modify",
            ActionKind::Migrate => "migrate",
        }
    }

    pub fn parse(value: &str) -> Option<ActionKind> {
        ActionKind::ALL
            .into_iter()
            .find(|action| action.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Reboot => "Reboot",
            ActionKind::Start => "Start",
            ActionKind::Stop => "Stop",
            ActionKind::Rebuild => "Rebuild",
            ActionKind::Restore => "Restore",
            ActionKind::Terminate => "Terminate",
            ActionKind::Maintenance => "Admin maintenance",
            ActionKind::EndMaintenance => "End maintenance",
            ActionKind::Modify => "Modify properties",
            ActionKind::Migrate => "Migrate",
        }
    }

    /// What happens, in the words of the confirmation.
    pub fn effect(self) -> &'static str {
        match self {
            ActionKind::Reboot => "restarts the desktop; unsaved work in open applications is lost",
            ActionKind::Start => "starts the stopped desktop",
            ActionKind::Stop => "stops the desktop; the user is disconnected",
            // RebuildWorkspaces: the root volume comes anew from the bundle's image, the
            // user volume from the last rebuild snapshot, which holds the user volume only
            // (000_694e23744a3a4a46.txt:4172, :6061).
            ActionKind::Rebuild => {
                "recreates the WorkSpace from its bundle's image and restores the user volume from the last user-volume snapshot: applications installed and system changes made on the root volume are LOST, and user data changed since that snapshot is LOST"
            }
            // RestoreWorkspace: back to the last restore snapshot, which holds both the
            // root and the user volume (000_694e23744a3a4a46.txt:4195, :6327).
            ActionKind::Restore => {
                "returns the root and user volumes to the last snapshot of both: everything changed on either volume since that snapshot is LOST"
            }
            ActionKind::Terminate => "deletes the WorkSpace and its user data for good",
            ActionKind::Maintenance => {
                "puts the WorkSpace in admin maintenance; users cannot connect"
            }
            ActionKind::EndMaintenance => "makes the WorkSpace available to its user again",
            ActionKind::Modify => "changes running mode, compute type, volume sizes or protocol",
            // MigrateWorkspace: recreated under a new id with the user volume of the last
            // snapshot; a failed migration keeps the original id
            // (000_694e23744a3a4a46.txt:5160, :5223).
            ActionKind::Migrate => {
                "recreates the WorkSpace from another bundle under a new id, keeping the user volume of its last snapshot; if the migration fails, the WorkSpace keeps its id"
            }
        }
    }

    /// The role an action needs.
    pub fn required_role(self) -> Role {
        match self {
            ActionKind::Reboot
            | ActionKind::Start
            | ActionKind::Stop
            | ActionKind::Rebuild
            | ActionKind::Restore => Role::Helpdesk,
            _ => Role::Admin,
        }
    }

    /// Actions that destroy data need the target typed out to confirm.
    pub fn destroys_data(self) -> bool {
        matches!(
            self,
            ActionKind::Rebuild | ActionKind::Restore | ActionKind::Terminate
        )
    }

    /// The states the API accepts the action from (AWS WorkSpaces API reference).
    pub fn state_rule(self) -> StateRule {
        match self {
            // 000_694e23744a3a4a46.txt:5948
            ActionKind::Reboot => StateRule::Only(&["AVAILABLE", "UNHEALTHY"]),
            ActionKind::Start => StateRule::Only(&["STOPPED"]),
            ActionKind::Stop => StateRule::Only(&["AVAILABLE", "IMPAIRED", "UNHEALTHY", "ERROR"]),
            ActionKind::Rebuild => {
                StateRule::Only(&["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED", "REBOOTING"])
            }
            ActionKind::Restore => StateRule::Only(&["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED"]),
            // 000_694e23744a3a4a46.txt:6699 "You can terminate a WorkSpace that is in any
            // state except SUSPENDED".
            ActionKind::Terminate => StateRule::AnyExcept(&["SUSPENDED"]),
            ActionKind::Maintenance => StateRule::Only(&["AVAILABLE", "STOPPED"]),
            ActionKind::EndMaintenance => StateRule::Only(&["ADMIN_MAINTENANCE"]),
            ActionKind::Modify | ActionKind::Migrate => StateRule::Only(&["AVAILABLE", "STOPPED"]),
        }
    }

    /// Why the action cannot apply to a WorkSpace in `state` with `running_mode`, if it
    /// cannot.
    pub fn refusal(self, state: &WorkspaceState, running_mode: Option<&str>) -> Option<String> {
        match self.state_rule() {
            StateRule::Only(states) if !states.contains(&state.as_api()) => {
                return Some(format!(
                    "{} needs the state {}; it is {}",
                    self.label(),
                    states.join(", "),
                    state.as_api()
                ));
            }
            StateRule::AnyExcept(states) if states.contains(&state.as_api()) => {
                return Some(format!(
                    "{} is refused in the state {}",
                    self.label(),
                    state.as_api()
                ));
            }
            _ => {}
        }
        // 000_694e23744a3a4a46.txt:6467 and :6578: "You cannot start/stop a WorkSpace
        // unless it has a running mode of AutoStop".
        if matches!(self, ActionKind::Start | ActionKind::Stop) && running_mode != Some("AUTO_STOP")
        {
            return Some(format!(
                "{} applies to AutoStop WorkSpaces; this one is {}",
                self.label(),
                running_mode.unwrap_or("of unknown running mode")
            ));
        }
        None
    }

    /// What may work instead when none of the chosen WorkSpaces allows this action, for
    /// a review with nothing to send.
    pub fn alternative_hint(self) -> &'static str {
        match self {
            ActionKind::Reboot => {
                "A WorkSpace in ERROR cannot be rebooted: rebuild or restore it; a stopped one needs Start."
            }
            ActionKind::Start => "Start applies to STOPPED AutoStop WorkSpaces only.",
            ActionKind::Stop => "Stop applies to running AutoStop WorkSpaces only.",
            ActionKind::Rebuild | ActionKind::Restore => {
                "Wait until a WorkSpace in a transitional state has settled, then review again."
            }
            _ => "The state column says what each WorkSpace needs.",
        }
    }

    /// The state a WorkSpace enters when AWS accepts the action.
    pub fn state_after(self) -> Option<WorkspaceState> {
        match self {
            ActionKind::Reboot => Some(WorkspaceState::Rebooting),
            ActionKind::Start => Some(WorkspaceState::Starting),
            ActionKind::Stop => Some(WorkspaceState::Stopping),
            ActionKind::Rebuild => Some(WorkspaceState::Rebuilding),
            ActionKind::Restore => Some(WorkspaceState::Restoring),
            ActionKind::Terminate => Some(WorkspaceState::Terminating),
            ActionKind::Maintenance => Some(WorkspaceState::AdminMaintenance),
            ActionKind::EndMaintenance => Some(WorkspaceState::Available),
            ActionKind::Modify | ActionKind::Migrate => None,
        }
    }
}

/// Why a switch of the running mode to `wanted` does not apply to a WorkSpace whose mode
/// is `current`: it is in that mode already (a review of "every recommended" WorkSpace
/// sent twice changes nothing the second time).
pub fn mode_switch_refusal(current: Option<&str>, wanted: &str) -> Option<String> {
    (current == Some(wanted)).then(|| format!("already {wanted}"))
}

/// Most WorkSpaces one change may target (one bulk review).
pub const MAX_BULK_TARGETS: usize = 500;

/// What happened to one target of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetStatus {
    Succeeded,
    Failed,
    /// Refused before AWS was called (state rule, not in the inventory, …).
    Skipped,
}

impl TargetStatus {
    /// The badge classes a page shows the outcome with.
    pub fn badge_class(self) -> &'static str {
        match self {
            TargetStatus::Succeeded => "badge badge-ok",
            TargetStatus::Skipped => "badge badge-busy",
            TargetStatus::Failed => "badge badge-bad",
        }
    }

    /// The word stored in the audit log and shown on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Succeeded => "succeeded",
            TargetStatus::Failed => "failed",
            TargetStatus::Skipped => "skipped",
        }
    }

    /// The status an audit log word names ([`TargetStatus::as_str`]).
    pub fn parse(word: &str) -> Option<TargetStatus> {
        [
            TargetStatus::Succeeded,
            TargetStatus::Failed,
            TargetStatus::Skipped,
        ]
        .into_iter()
        .find(|status| status.as_str() == word)
    }
}

/// The outcome of an action for one WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    pub workspace_id: String,
    pub outcome: TargetStatus,
    /// The WorkSpace AWS created in its place (a migration's TargetWorkspaceId).
    #[serde(default)]
    pub created_id: Option<String>,
    /// Why it failed or was skipped (AWS's error code and message, or the state rule).
    pub message: Option<String>,
}

/// The WorkSpaces of a bulk review, and the one-time token of its form (see
/// `server::form_token`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkSelection {
    pub workspaces: Vec<super::Workspace>,
    pub form_token: String,
}

/// What an action did: its audit entry and one result per WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionReport {
    pub audit_id: i64,
    /// What was done, for people ("Reboot", "Edit tags").
    pub label: String,
    /// The audit entry's action (`workspace.reboot`).
    pub audit_action: String,
    pub results: Vec<TargetResult>,
}

impl ActionKind {
    /// The kind of snapshot the action goes back to: `rebuild` for Rebuild, `restore`
    /// for Restore, none for the others.
    pub fn snapshot_kind(self) -> Option<&'static str> {
        match self {
            ActionKind::Rebuild => Some("rebuild"),
            ActionKind::Restore => Some("restore"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 000_694e23744a3a4a46.txt:6699: "You can terminate a WorkSpace that is in any
    /// state except SUSPENDED": every other documented state, transitional ones and
    /// TERMINATING included, is allowed, and so is a state the API adds later.
    #[test]
    fn terminate_is_refused_only_for_suspended_workspaces() {
        for state in WorkspaceState::KNOWN {
            let refusal = ActionKind::Terminate.refusal(&state, None);
            if state == WorkspaceState::Suspended {
                assert!(
                    refusal
                        .as_deref()
                        .is_some_and(|why| why.contains("SUSPENDED")),
                    "{refusal:?}"
                );
            } else {
                assert_eq!(refusal, None, "{state:?}");
            }
        }
        assert_eq!(
            ActionKind::Terminate.refusal(&WorkspaceState::Other("HIBERNATED".into()), None),
            None
        );
    }

    /// The other actions keep their lists: a state not listed is refused with the list.
    #[test]
    fn listed_states_refuse_the_others_and_name_what_is_needed() {
        let why = ActionKind::Restore
            .refusal(&WorkspaceState::Pending, None)
            .expect("refused");
        assert!(
            why.contains("AVAILABLE, ERROR, UNHEALTHY, STOPPED"),
            "{why}"
        );
        assert!(
            ActionKind::Maintenance
                .refusal(&WorkspaceState::Other("HIBERNATED".into()), None)
                .is_some()
        );
    }
}
