//! A WorkSpace: its state, properties, tags, snapshots and history.

use serde::{Deserialize, Serialize};

use super::Tag;

/// The lifecycle state of a WorkSpace, as the WorkSpaces API names it.
///
/// States the API adds later arrive as `Other` instead of failing the whole listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkspaceState {
    /// A new WorkSpace's first state, and so the default.
    #[default]
    Pending,
    Available,
    Impaired,
    Unhealthy,
    Rebooting,
    Starting,
    Rebuilding,
    Restoring,
    Maintenance,
    AdminMaintenance,
    Terminating,
    Terminated,
    Suspended,
    Updating,
    Stopping,
    Stopped,
    Error,
    Other(String),
}

impl WorkspaceState {
    /// States that end by themselves; the cache follows them until they do.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            WorkspaceState::Pending
                | WorkspaceState::Rebooting
                | WorkspaceState::Starting
                | WorkspaceState::Rebuilding
                | WorkspaceState::Restoring
                | WorkspaceState::Terminating
                | WorkspaceState::Updating
                | WorkspaceState::Stopping
                | WorkspaceState::Maintenance
        )
    }

    /// Every state the API documents, in the order the fleet page lists them.
    pub const KNOWN: [WorkspaceState; 17] = [
        WorkspaceState::Available,
        WorkspaceState::Stopped,
        WorkspaceState::Pending,
        WorkspaceState::Starting,
        WorkspaceState::Stopping,
        WorkspaceState::Rebooting,
        WorkspaceState::Rebuilding,
        WorkspaceState::Restoring,
        WorkspaceState::Updating,
        WorkspaceState::Maintenance,
        WorkspaceState::AdminMaintenance,
        WorkspaceState::Impaired,
        WorkspaceState::Unhealthy,
        WorkspaceState::Error,
        WorkspaceState::Suspended,
        WorkspaceState::Terminating,
        WorkspaceState::Terminated,
    ];

    /// Parses the API's spelling (`ADMIN_MAINTENANCE`); unknown values are kept as is.
    pub fn from_api(value: &str) -> Self {
        Self::KNOWN
            .iter()
            .find(|state| state.as_api() == value)
            .cloned()
            .unwrap_or_else(|| WorkspaceState::Other(value.to_string()))
    }

    /// The API's spelling of the state.
    pub fn as_api(&self) -> &str {
        match self {
            WorkspaceState::Pending => "PENDING",
            WorkspaceState::Available => "AVAILABLE",
            WorkspaceState::Impaired => "IMPAIRED",
            WorkspaceState::Unhealthy => "UNHEALTHY",
            WorkspaceState::Rebooting => "REBOOTING",
            WorkspaceState::Starting => "STARTING",
            WorkspaceState::Rebuilding => "REBUILDING",
            WorkspaceState::Restoring => "RESTORING",
            WorkspaceState::Maintenance => "MAINTENANCE",
            WorkspaceState::AdminMaintenance => "ADMIN_MAINTENANCE",
            WorkspaceState::Terminating => "TERMINATING",
            WorkspaceState::Terminated => "TERMINATED",
            WorkspaceState::Suspended => "SUSPENDED",
            WorkspaceState::Updating => "UPDATING",
            WorkspaceState::Stopping => "STOPPING",
            WorkspaceState::Stopped => "STOPPED",
            WorkspaceState::Error => "ERROR",
            WorkspaceState::Other(value) => value,
        }
    }

    /// How the UI colours the state: healthy, stopped, busy (transitional) or bad.
    pub fn tone(&self) -> &'static str {
        match self {
            WorkspaceState::Available => "ok",
            WorkspaceState::Stopped | WorkspaceState::Terminated | WorkspaceState::Suspended => {
                "off"
            }
            WorkspaceState::Impaired | WorkspaceState::Unhealthy | WorkspaceState::Error => "bad",
            WorkspaceState::Other(_) => "off",
            _ => "busy",
        }
    }
}

impl std::fmt::Display for WorkspaceState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_api())
    }
}

/// One WorkSpace as Fleetdesk shows it.
///
/// `Default` is a PENDING WorkSpace with every field empty, for building one with the
/// fields that matter: `Workspace { id, user_name, ..Workspace::default() }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    pub directory_id: String,
    pub user_name: String,
    pub computer_name: Option<String>,
    pub ip_address: Option<String>,
    pub state: WorkspaceState,
    pub bundle_id: String,
    pub subnet_id: Option<String>,
    /// From the WorkSpace's properties; the bundle's compute type when the API omits it.
    pub compute_type: Option<String>,
    pub running_mode: Option<String>,
    pub auto_stop_timeout_minutes: Option<i32>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
    pub root_volume_encrypted: bool,
    pub user_volume_encrypted: bool,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// From the connection status sync; `None` until it has run.
    pub connection_state: Option<String>,
    /// RFC 3339 time of the last user connection AWS knows of.
    pub last_user_connection: Option<String>,
    /// RFC 3339 time at which a sync found the WorkSpace gone from AWS.
    pub removed_at: Option<String>,
    /// Streaming protocols, `PCOIP` and/or `WSP` (WorkspaceProperties.Protocols,
    /// 002_363a3ccb364b572d.txt:179).
    #[serde(default)]
    pub protocols: Vec<String>,
    /// OperatingSystemName, e.g. `WINDOWS_SERVER_2022` (004_989ae404788726c9.txt).
    #[serde(default)]
    pub operating_system: Option<String>,
    /// Its part in a primary/standby pair, from RelatedWorkspaces
    /// (002_363a3ccb364b572d.txt:294); `None` when it is in no pair.
    #[serde(default)]
    pub standby_role: Option<StandbyRole>,
}

/// An OperatingSystemName (`WINDOWS_SERVER_2022`, `UBUNTU_22_04`) as people write it
/// (`Windows Server 2022`, `Ubuntu 22.04`), for narrow table cells.
pub fn operating_system_label(name: &str) -> String {
    let words: Vec<String> = name
        .split('_')
        .map(|word| match word {
            "RHEL" => word.to_string(),
            w if w.chars().all(|c| c.is_ascii_digit()) => w.to_string(),
            w => {
                let mut chars = w.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_string() + &chars.as_str().to_lowercase()
                })
            }
        })
        .collect();
    // Version parts split by '_' are joined with dots: UBUNTU_22_04 -> Ubuntu 22.04.
    let mut label = String::new();
    for (i, word) in words.iter().enumerate() {
        let numeric = word.chars().all(|c| c.is_ascii_digit());
        let previous_numeric = i > 0 && words[i - 1].chars().all(|c| c.is_ascii_digit());
        if i > 0 {
            label.push(if numeric && previous_numeric {
                '.'
            } else {
                ' '
            });
        }
        label.push_str(word);
    }
    label
}

/// A WorkSpace's part in a multi-Region primary/standby pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StandbyRole {
    /// A primary WorkSpace that has a standby in another Region.
    Primary,
    /// A standby WorkSpace of a primary in another Region.
    Standby,
}

impl StandbyRole {
    /// The word stored in the cache and used in the fleet's URL.
    pub fn as_str(self) -> &'static str {
        match self {
            StandbyRole::Primary => "primary",
            StandbyRole::Standby => "standby",
        }
    }

    pub fn parse(value: &str) -> Option<StandbyRole> {
        match value {
            "primary" => Some(StandbyRole::Primary),
            "standby" => Some(StandbyRole::Standby),
            _ => None,
        }
    }

    /// The role RelatedWorkspaces give a WorkSpace: a related WorkSpace of type STANDBY
    /// makes it a primary, one of type PRIMARY makes it a standby.
    pub fn from_related(related: &[RelatedWorkspace]) -> Option<StandbyRole> {
        let has = |relation: &str| {
            related
                .iter()
                .any(|r| r.relation.as_deref() == Some(relation))
        };
        if has("PRIMARY") {
            Some(StandbyRole::Standby)
        } else if has("STANDBY") {
            Some(StandbyRole::Primary)
        } else {
            None
        }
    }

    /// For people: "primary (has a standby)" / "standby".
    pub fn label(self) -> &'static str {
        match self {
            StandbyRole::Primary => "primary",
            StandbyRole::Standby => "standby",
        }
    }
}

/// Properties of a WorkSpace that only its detail page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceDetails {
    pub workspace_name: Option<String>,
    /// Pending modifications: (resource, state), e.g. ("COMPUTE_TYPE", "UPDATE_IN_PROGRESS").
    pub modification_states: Vec<(String, String)>,
    /// Primary/standby WorkSpaces linked to this one: (id, Region, type, state).
    pub related_workspaces: Vec<RelatedWorkspace>,
}

/// A WorkSpace linked to another (multi-Region resilience).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedWorkspace {
    pub id: String,
    pub region: Option<String>,
    pub relation: Option<String>,
    pub state: Option<String>,
}

/// A point a WorkSpace can be rebuilt or restored to (DescribeWorkspaceSnapshots).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// "rebuild" (RebuildSnapshots: the user volume, 000_694e23744a3a4a46.txt:4172) or
    /// "restore" (RestoreSnapshots: root and user volume, 000_694e23744a3a4a46.txt:4195).
    pub kind: String,
    /// RFC 3339 time of the snapshot.
    pub time: String,
}

impl Snapshot {
    /// What a snapshot of `kind` holds, for people.
    pub fn contents(kind: &str) -> &'static str {
        match kind {
            "rebuild" => "user volume (used by rebuild)",
            "restore" => "root and user volumes (used by restore)",
            _ => "snapshot",
        }
    }

    /// The newest snapshot of `kind` ("rebuild" or "restore") among `snapshots`.
    pub fn latest<'a>(snapshots: &'a [Snapshot], kind: &str) -> Option<&'a Snapshot> {
        snapshots
            .iter()
            .filter(|s| s.kind == kind)
            .max_by(|a, b| a.time.cmp(&b.time))
    }
}

/// Everything the detail page shows about one WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceDetail {
    pub workspace: Workspace,
    pub details: WorkspaceDetails,
    /// `None` when the tags could not be loaded (see `tags_error`).
    pub tags: Option<Vec<Tag>>,
    pub tags_error: Option<String>,
    /// Newest first.
    pub timeline: Vec<StateChange>,
    pub snapshots: Vec<Snapshot>,
    /// Why the snapshots could not be fetched, if they could not.
    pub snapshots_error: Option<String>,
    /// Migrations this WorkSpace was part of, as source or as result.
    #[serde(default)]
    pub migrations: Vec<Migration>,
    /// The bundles of its Region it can be migrated to: `(id, name)`.
    #[serde(default)]
    pub migration_bundles: Vec<(String, String)>,
    /// The configured Regions: related WorkSpaces there are linked.
    #[serde(default)]
    pub configured_regions: Vec<String>,
    /// Where a standby of this WorkSpace can go: the other configured Regions with their
    /// registered directories. Empty when it cannot have one (it is a standby, or has one).
    #[serde(default)]
    pub standby_regions: Vec<StandbyRegion>,
    /// The one-time token of the page's action forms (see `server::form_token`); a new
    /// one with every load, so after an action the refreshed page can act again.
    #[serde(default)]
    pub form_token: String,
}

/// A Region a standby WorkSpace can be created in, with its directories `(id, name)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StandbyRegion {
    pub region: String,
    pub directories: Vec<(String, String)>,
}

/// A migration (MigrateWorkspace): the WorkSpace `source_id` became `target_id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    pub source_id: String,
    pub target_id: String,
    pub at: String,
}

/// One entry of a WorkSpace's state timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateChange {
    /// `None` when the sync first saw the WorkSpace.
    pub from_state: Option<String>,
    /// A state in the API's spelling, or `REMOVED` when it vanished from AWS.
    pub to_state: String,
    pub observed_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operating_system_names_read_like_people_write_them() {
        assert_eq!(
            operating_system_label("WINDOWS_SERVER_2022"),
            "Windows Server 2022"
        );
        assert_eq!(operating_system_label("UBUNTU_22_04"), "Ubuntu 22.04");
        assert_eq!(operating_system_label("AMAZON_LINUX_2"), "Amazon Linux 2");
        assert_eq!(operating_system_label("RHEL_8"), "RHEL 8");
        assert_eq!(operating_system_label("WINDOWS_11"), "Windows 11");
    }
}

/// `n` WorkSpaces in words: "1 WorkSpace", "3 WorkSpaces".
pub fn workspaces_count(n: usize) -> String {
    if n == 1 {
        "1 WorkSpace".to_string()
    } else {
        format!("{n} WorkSpaces")
    }
}
