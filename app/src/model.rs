//! Types shared by the server and the browser.
//!
//! They cross the wire in server functions, so they hold no secrets and no AWS SDK
//! types: the SDK adapter converts into these, and the pages render them.

use serde::{Deserialize, Serialize};

/// What a Fleetdesk user may do. Ordered: each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads everything.
    Viewer,
    /// Viewer, plus refresh, reboot, start, stop, rebuild and restore.
    Helpdesk,
    /// Everything, including terminate, modify, resource changes and users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Helpdesk, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Helpdesk => "helpdesk",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value.trim().to_lowercase())
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user as pages see it: never the password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
}

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
            ActionKind::Modify => "changes running mode, compute type or volume sizes",
            ActionKind::Migrate => "moves the user to a new WorkSpace from another bundle",
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
    pub fn allowed_states(self) -> &'static [&'static str] {
        match self {
            // 000_694e23744a3a4a46.txt:5948
            ActionKind::Reboot => &["AVAILABLE", "UNHEALTHY"],
            ActionKind::Start => &["STOPPED"],
            ActionKind::Stop => &["AVAILABLE", "IMPAIRED", "UNHEALTHY", "ERROR"],
            ActionKind::Rebuild => &["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED", "REBOOTING"],
            ActionKind::Restore => &["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED"],
            ActionKind::Terminate => &[
                "PENDING",
                "AVAILABLE",
                "IMPAIRED",
                "UNHEALTHY",
                "REBOOTING",
                "STARTING",
                "REBUILDING",
                "RESTORING",
                "MAINTENANCE",
                "ADMIN_MAINTENANCE",
                "UPDATING",
                "STOPPING",
                "STOPPED",
                "ERROR",
            ],
            ActionKind::Maintenance => &["AVAILABLE", "STOPPED"],
            ActionKind::EndMaintenance => &["ADMIN_MAINTENANCE"],
            ActionKind::Modify | ActionKind::Migrate => &["AVAILABLE", "STOPPED"],
        }
    }

    /// Why the action cannot apply to a WorkSpace in `state` with `running_mode`, if it
    /// cannot.
    pub fn refusal(self, state: &WorkspaceState, running_mode: Option<&str>) -> Option<String> {
        if !self.allowed_states().contains(&state.as_api()) {
            return Some(format!(
                "{} needs the state {}; it is {}",
                self.label(),
                self.allowed_states().join(", "),
                state.as_api()
            ));
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
    /// The word stored in the audit log and shown on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Succeeded => "succeeded",
            TargetStatus::Failed => "failed",
            TargetStatus::Skipped => "skipped",
        }
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

/// What an action did: its audit entry and one result per WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionReport {
    pub audit_id: i64,
    pub action: ActionKind,
    pub results: Vec<TargetResult>,
}

/// The audit page's filters; they live in the URL like [`FleetQuery`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub actor: String,
    /// An action name or its start (`workspace.`, `login`).
    pub action: String,
    /// A WorkSpace id (or another target).
    pub target: String,
    pub outcome: String,
    /// RFC 3339 or `YYYY-MM-DD` bounds, inclusive.
    pub from: String,
    pub to: String,
    pub page: usize,
}

impl AuditQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        AuditQuery {
            actor: text("actor"),
            action: text("action"),
            target: text("target"),
            outcome: text("outcome"),
            from: text("from"),
            to: text("to"),
            page: text("page").parse().unwrap_or(0),
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<String> = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("target", &self.target),
            ("outcome", &self.outcome),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
        .collect();
        if self.page > 0 {
            pairs.push(format!("page={}", self.page));
        }
        pairs.join("&")
    }
}

/// One audit log entry with its per-target outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor_name: String,
    pub actor_role: Option<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub action: String,
    pub params: String,
    pub reason: Option<String>,
    /// pending, succeeded, failed, partial or interrupted
    pub outcome: String,
    pub detail: Option<String>,
    pub finished_at: Option<String>,
    pub targets: Vec<AuditTarget>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditTarget {
    pub target: String,
    pub outcome: String,
    pub error: Option<String>,
    pub request_id: Option<String>,
}

/// One page of the audit log, and whether its hash chain verifies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: usize,
    /// `None` when the chain verifies, else which entry fails and why.
    pub chain_problem: Option<String>,
    pub chain_entries: usize,
}

/// The lifecycle state of a WorkSpace, as the WorkSpaces API names it.
///
/// States the API adds later arrive as `Other` instead of failing the whole listing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkspaceState {
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub region: String,
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
}

/// Properties of a WorkSpace that only its detail page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceDetails {
    pub workspace_name: Option<String>,
    pub operating_system: Option<String>,
    pub protocols: Vec<String>,
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

/// A tag on a WorkSpace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
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

/// How fresh one part of the inventory cache is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub region: String,
    /// workspaces, directories, bundles, images, ip_groups or connections.
    pub resource: String,
    pub last_attempt_at: Option<String>,
    pub last_success_at: Option<String>,
    /// The error of the last attempt when it failed; the data is then stale.
    pub last_error: Option<String>,
    pub item_count: usize,
}

/// What the running (or last) sync is doing, for the progress display.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncProgress {
    pub running: bool,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub regions: Vec<RegionProgress>,
}

/// Sync progress of one Region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionProgress {
    pub region: String,
    /// The step running now (`workspaces`, `connections`, …) or `done`.
    pub step: String,
    pub pages: usize,
    pub items: usize,
    pub errors: usize,
    pub done: bool,
}

/// The sync's state for the freshness display: progress and per-resource status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncOverview {
    pub progress: SyncProgress,
    pub statuses: Vec<SyncStatus>,
    pub regions: Vec<String>,
}

/// A directory with the number of WorkSpaces in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectorySummary {
    pub directory: Directory,
    pub workspaces: usize,
}

/// The directories page: directories, Regions and whether the caller may change them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectoriesView {
    pub directories: Vec<DirectorySummary>,
    pub regions: Vec<String>,
    pub can_edit: bool,
}

/// A bundle with the number of WorkSpaces using it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundleSummary {
    pub bundle: Bundle,
    pub workspaces: usize,
}

/// Images and bundles, shown together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub images: Vec<ImageSummary>,
    pub bundles: Vec<BundleSummary>,
    /// The configured Regions (destinations of an image copy).
    pub regions: Vec<String>,
    /// Whether the caller may share and delete images (admin).
    pub can_edit: bool,
}

/// Default for "idle for at least N days" on the connections page.
pub const DEFAULT_IDLE_DAYS: u32 = 30;

/// What the connections page shows. Lives in the URL like [`FleetQuery`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionsQuery {
    /// `all`, `connected`, `idle` (no user connection for `days`) or `never`.
    pub view: String,
    pub days: u32,
    pub region: String,
    pub q: String,
    pub page: usize,
}

impl Default for ConnectionsQuery {
    fn default() -> Self {
        ConnectionsQuery {
            view: "all".into(),
            days: DEFAULT_IDLE_DAYS,
            region: String::new(),
            q: String::new(),
            page: 0,
        }
    }
}

impl ConnectionsQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        let view = match text("view").as_str() {
            view @ ("connected" | "idle" | "never") => view.to_string(),
            _ => "all".to_string(),
        };
        ConnectionsQuery {
            view,
            days: text("days").parse().unwrap_or(DEFAULT_IDLE_DAYS),
            region: text("region"),
            q: text("q"),
            page: text("page").parse().unwrap_or(0),
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs = vec![("view", self.view.clone())];
        if self.days != DEFAULT_IDLE_DAYS {
            pairs.push(("days", self.days.to_string()));
        }
        for (key, value) in [("region", &self.region), ("q", &self.q)] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if self.page > 0 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One page of the connections listing with the counts of each view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectionsPage {
    pub rows: Vec<Workspace>,
    pub total: usize,
    /// (view, count) for `all`, `connected`, `idle` and `never`.
    pub counts: Vec<(String, usize)>,
}

/// A directory registered with WorkSpaces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub id: String,
    pub region: String,
    pub alias: Option<String>,
    pub name: Option<String>,
    pub directory_type: Option<String>,
    pub state: Option<String>,
    pub registration_code: Option<String>,
    pub dns_ip_addresses: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub ip_group_ids: Vec<String>,
    /// What users may do to their own WorkSpaces; `None` when AWS did not say.
    #[serde(default)]
    pub self_service: Option<SelfService>,
    /// The security group WorkSpaces of this directory get.
    #[serde(default)]
    pub security_group_id: Option<String>,
    /// `SHARED` or `DEDICATED`.
    #[serde(default)]
    pub tenancy: Option<String>,
    /// What new WorkSpaces of this directory get; `None` when AWS did not say.
    #[serde(default)]
    pub creation: Option<CreationProperties>,
    /// Which client platforms may connect; `None` when AWS did not say.
    #[serde(default)]
    pub access: Option<AccessProperties>,
}

/// The defaults a directory gives the WorkSpaces launched in it
/// (DefaultWorkspaceCreationProperties).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreationProperties {
    pub enable_internet_access: bool,
    pub user_enabled_as_local_administrator: bool,
    pub enable_maintenance_mode: bool,
    /// Organizational unit for the computer accounts, e.g. `OU=WorkSpaces,DC=corp,DC=example`.
    pub default_ou: Option<String>,
    /// A security group added to the default one, `sg-…`.
    pub custom_security_group_id: Option<String>,
    /// IAM role the WorkSpaces' instances get (ARN).
    pub instance_iam_role_arn: Option<String>,
}

impl CreationProperties {
    /// What AWS holds once these properties are sent over `before`: text fields left
    /// `None` are not sent, so they keep their old value.
    pub fn sent_over(&self, before: &CreationProperties) -> CreationProperties {
        CreationProperties {
            default_ou: self.default_ou.clone().or(before.default_ou.clone()),
            custom_security_group_id: self
                .custom_security_group_id
                .clone()
                .or(before.custom_security_group_id.clone()),
            instance_iam_role_arn: self
                .instance_iam_role_arn
                .clone()
                .or(before.instance_iam_role_arn.clone()),
            ..self.clone()
        }
    }
}

/// How one client platform may reach a directory's WorkSpaces (an AccessPropertyValue).
///
/// `Trust` (trusted devices only: managed devices with valid certificates) exists for
/// Windows and macOS only (000_694e23744a3a4a46.txt:3683, :3690 for
/// DescribeWorkspaceDirectories; :5537, :5544 for ModifyWorkspaceAccessProperties); the
/// other platforms are `ALLOW` or `DENY`. Serialized as the API's words (`"ALLOW"`,
/// `"DENY"`, `"TRUST"`), so an audit entry's before/after reads like the API; cached
/// rows written when access was a boolean still read (`true` is `Allow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Access {
    Allow,
    /// Trusted (managed) devices only.
    Trust,
    #[default]
    Deny,
}

impl Access {
    /// Every value, in the order the page offers them.
    pub const ALL: [Access; 3] = [Access::Allow, Access::Trust, Access::Deny];

    /// The API's word: `ALLOW`, `TRUST` or `DENY`.
    pub fn as_api(self) -> &'static str {
        match self {
            Access::Allow => "ALLOW",
            Access::Trust => "TRUST",
            Access::Deny => "DENY",
        }
    }

    /// The API's word read back; `None` for anything else.
    pub fn from_api(value: &str) -> Option<Access> {
        match value {
            "ALLOW" => Some(Access::Allow),
            "TRUST" => Some(Access::Trust),
            "DENY" => Some(Access::Deny),
            _ => None,
        }
    }

    /// What the page and the CSV say.
    pub fn label(self) -> &'static str {
        match self {
            Access::Allow => "allowed",
            Access::Trust => "trusted devices only",
            Access::Deny => "denied",
        }
    }
}

impl<'de> Deserialize<'de> for Access {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Today's words, or the boolean of cache rows and audit entries written before
        /// TRUST was modelled.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Allowed(bool),
            Word(String),
        }
        match Stored::deserialize(deserializer)? {
            Stored::Allowed(true) => Ok(Access::Allow),
            Stored::Allowed(false) => Ok(Access::Deny),
            Stored::Word(word) => Access::from_api(&word)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown access value {word}"))),
        }
    }
}

/// A client platform of [`AccessProperties`]: its form key, label and whether the API
/// lets it be restricted to trusted devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    pub key: &'static str,
    pub label: &'static str,
    /// `TRUST` is allowed: Windows and macOS only (000_694e23744a3a4a46.txt:5537, :5544).
    pub trust: bool,
}

impl Platform {
    /// The values the page offers for this platform.
    pub fn choices(self) -> &'static [Access] {
        if self.trust {
            &Access::ALL
        } else {
            &[Access::Allow, Access::Deny]
        }
    }
}

/// Which client platforms may connect to a directory's WorkSpaces
/// (WorkspaceAccessProperties), each allowed, denied or (Windows, macOS) limited to
/// trusted devices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessProperties {
    pub windows: Access,
    pub macos: Access,
    pub linux: Access,
    pub web: Access,
    pub ios: Access,
    pub android: Access,
    pub chrome_os: Access,
    pub zero_client: Access,
    pub thin_client: Access,
}

impl AccessProperties {
    /// The platforms in the console's order.
    pub const PLATFORMS: [Platform; 9] = [
        Platform {
            key: "windows",
            label: "Windows",
            trust: true,
        },
        Platform {
            key: "macos",
            label: "macOS",
            trust: true,
        },
        Platform {
            key: "linux",
            label: "Linux",
            trust: false,
        },
        Platform {
            key: "web",
            label: "Web Access",
            trust: false,
        },
        Platform {
            key: "ios",
            label: "iOS",
            trust: false,
        },
        Platform {
            key: "android",
            label: "Android",
            trust: false,
        },
        Platform {
            key: "chrome_os",
            label: "ChromeOS",
            trust: false,
        },
        Platform {
            key: "zero_client",
            label: "Zero Client",
            trust: false,
        },
        Platform {
            key: "thin_client",
            label: "WorkSpaces Thin Client",
            trust: false,
        },
    ];

    /// Each platform with its access, in the console's order.
    pub fn labelled(self) -> [(Platform, Access); 9] {
        let values = [
            self.windows,
            self.macos,
            self.linux,
            self.web,
            self.ios,
            self.android,
            self.chrome_os,
            self.zero_client,
            self.thin_client,
        ];
        let mut out = [(Self::PLATFORMS[0], Access::Deny); 9];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = (Self::PLATFORMS[i], values[i]);
        }
        out
    }

    /// The access of the platform with form key `key`, if there is one.
    fn slot(&mut self, key: &str) -> Option<&mut Access> {
        Some(match key {
            "windows" => &mut self.windows,
            "macos" => &mut self.macos,
            "linux" => &mut self.linux,
            "web" => &mut self.web,
            "ios" => &mut self.ios,
            "android" => &mut self.android,
            "chrome_os" => &mut self.chrome_os,
            "zero_client" => &mut self.zero_client,
            "thin_client" => &mut self.thin_client,
            _ => return None,
        })
    }

    /// The platforms named in `keys` allowed, every other one denied.
    pub fn from_keys(keys: &[String]) -> Self {
        let mut access = AccessProperties::default();
        for key in keys {
            if let Some(slot) = access.slot(key) {
                *slot = Access::Allow;
            }
        }
        access
    }

    /// Reads the directories page's access form: one `(platform key, API word)` pair
    /// per platform. Every platform must be there exactly once, with a value the API
    /// accepts for it (TRUST for Windows and macOS only), so what is sent is exactly
    /// what the admin chose and a missing field never turns into DENY.
    pub fn from_form<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, crate::error::AppError> {
        let invalid = |field: &str, message: String| crate::error::AppError::Validation {
            field: format!("access[{field}]"),
            message,
        };
        let mut access = AccessProperties::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, word) in fields {
            let platform = Self::PLATFORMS
                .iter()
                .find(|p| p.key == key)
                .ok_or_else(|| invalid(key, "not a client platform".into()))?;
            if seen.contains(&platform.key) {
                return Err(invalid(key, "given twice".into()));
            }
            seen.push(platform.key);
            let value = Access::from_api(word)
                .filter(|value| platform.choices().contains(value))
                .ok_or_else(|| {
                    let allowed: Vec<&str> =
                        platform.choices().iter().map(|a| a.as_api()).collect();
                    invalid(
                        key,
                        format!("{} must be one of {}", platform.label, allowed.join(", ")),
                    )
                })?;
            if let Some(slot) = access.slot(platform.key) {
                *slot = value;
            }
        }
        if let Some(missing) = Self::PLATFORMS.iter().find(|p| !seen.contains(&p.key)) {
            return Err(invalid(
                missing.key,
                format!("{} is missing", missing.label),
            ));
        }
        Ok(access)
    }

    /// True when no platform may connect at all (every one denied).
    pub fn denies_everyone(self) -> bool {
        self.labelled().iter().all(|(_, a)| *a == Access::Deny)
    }

    /// The labels of the platforms with access `value`, or `none`.
    pub fn text_for(self, value: Access) -> String {
        let names: Vec<&str> = self
            .labelled()
            .iter()
            .filter(|(_, a)| *a == value)
            .map(|(p, _)| p.label)
            .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }

    /// The labels of the allowed platforms, or `none`.
    pub fn allowed_text(self) -> String {
        self.text_for(Access::Allow)
    }
}

/// A directory's self-service permissions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfService {
    pub restart: bool,
    pub increase_volume_size: bool,
    pub change_compute_type: bool,
    pub switch_running_mode: bool,
    pub rebuild: bool,
}

impl SelfService {
    /// Each permission with its label, in the console's order.
    pub fn labelled(self) -> [(&'static str, &'static str, bool); 5] {
        [
            ("restart", "Restart", self.restart),
            (
                "increase_volume_size",
                "Increase volume size",
                self.increase_volume_size,
            ),
            (
                "change_compute_type",
                "Change compute type",
                self.change_compute_type,
            ),
            (
                "switch_running_mode",
                "Switch running mode",
                self.switch_running_mode,
            ),
            ("rebuild", "Rebuild", self.rebuild),
        ]
    }
}

/// A WorkSpaces image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: Option<String>,
    pub state: Option<String>,
    pub operating_system: Option<String>,
    pub owner_account_id: Option<String>,
    pub required_tenancy: Option<String>,
    pub created: Option<String>,
    /// AWS account ids the image is shared with (filled by the sync).
    #[serde(default)]
    pub shared_with: Vec<String>,
    /// Why the image is in ERROR: `code: message`.
    #[serde(default)]
    pub error: Option<String>,
    /// Whether the account owns the image (else it is shared with the account); only
    /// owned images can be shared, unshared or deleted.
    #[serde(default)]
    pub owned: bool,
    /// Why the accounts the image is shared with could not be read, if they could not.
    #[serde(default)]
    pub permissions_error: Option<String>,
}

/// An image with the bundles (`name (id)`) that use it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageSummary {
    pub image: Image,
    pub bundles: Vec<String>,
}

/// A WorkSpaces bundle (hardware + image a WorkSpace is launched from).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub id: String,
    pub region: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub compute_type: Option<String>,
    pub root_storage_gib: Option<String>,
    pub user_storage_gib: Option<String>,
    pub image_id: Option<String>,
    /// `AVAILABLE`, `PENDING` or `ERROR`.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub last_updated: Option<String>,
}

/// One rule of an IP access control group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IpRule {
    pub cidr: String,
    pub description: Option<String>,
}

/// An IP access control group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IpGroup {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: Option<String>,
    pub rules: Vec<IpRule>,
}

/// A rule change of an IP group as the confirmation shows it: every rule before and
/// after, each marked as kept, added or removed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleDiff {
    pub group_id: String,
    pub group_name: String,
    pub region: String,
    pub before: Vec<IpRule>,
    pub after: Vec<IpRule>,
}

/// How one rule fares in a [`RuleDiff`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleMark {
    Kept,
    Added,
    Removed,
}

/// The rules of a group as one line of text: what a review page showed, carried with the
/// confirmation so the server can tell whether the group changed since.
pub fn rules_fingerprint(rules: &[IpRule]) -> String {
    rules
        .iter()
        .map(|rule| {
            format!(
                "{} {}",
                rule.cidr,
                rule.description.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl RuleDiff {
    pub fn new(group: IpGroup, after: Vec<IpRule>) -> Self {
        RuleDiff {
            group_id: group.id,
            group_name: group.name,
            region: group.region,
            before: group.rules,
            after,
        }
    }

    /// The rules before, marked `Removed` when they are not in the after list (same
    /// CIDR and description).
    pub fn before_marked(&self) -> Vec<(IpRule, RuleMark)> {
        Self::mark(&self.before, &self.after, RuleMark::Removed)
    }

    /// The rules after, marked `Added` when they are not in the before list.
    pub fn after_marked(&self) -> Vec<(IpRule, RuleMark)> {
        Self::mark(&self.after, &self.before, RuleMark::Added)
    }

    fn mark(rules: &[IpRule], other: &[IpRule], changed: RuleMark) -> Vec<(IpRule, RuleMark)> {
        rules
            .iter()
            .map(|rule| {
                let mark = if other.contains(rule) {
                    RuleMark::Kept
                } else {
                    changed
                };
                (rule.clone(), mark)
            })
            .collect()
    }
}

/// The IP groups page: groups, the directories they can be associated with, and
/// whether the caller may change them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IpGroupsView {
    pub groups: Vec<IpGroup>,
    pub directories: Vec<Directory>,
    pub regions: Vec<String>,
    pub can_edit: bool,
}

/// Compute types a custom bundle can use.
pub const BUNDLE_COMPUTE_TYPES: [&str; 7] = [
    "VALUE",
    "STANDARD",
    "PERFORMANCE",
    "POWER",
    "POWERPRO",
    "GRAPHICS_G4DN",
    "GRAPHICSPRO_G4DN",
];

/// Most rules AWS allows in one IP access control group (default quota).
pub const MAX_RULES_PER_GROUP: usize = 10;
/// Most IP access control groups AWS allows per directory.
pub const MAX_GROUPS_PER_DIRECTORY: usize = 25;

/// The connection status of one WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    pub workspace_id: String,
    pub region: String,
    pub connection_state: Option<String>,
    pub connection_state_checked: Option<String>,
    pub last_known_user_connection: Option<String>,
}

/// Columns the fleet table can be sorted by, as they appear in the URL.
pub const FLEET_SORT_COLUMNS: [&str; 12] = [
    "user",
    "id",
    "computer",
    "state",
    "directory",
    "bundle",
    "compute",
    "mode",
    "region",
    "ip",
    "connection",
    "last_connection",
];

/// Rows per fleet page.
pub const FLEET_PAGE_SIZE: usize = 50;

/// What the fleet page shows: search text, filters, sort and page. It lives in the URL
/// (`?q=…&state=…`), so every view can be shared and the back button works.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetQuery {
    /// Matches WorkSpace id, user name or computer name anywhere, or an IP prefix.
    pub q: String,
    pub region: String,
    pub directory: String,
    /// A state in the API's spelling.
    pub state: String,
    pub compute: String,
    pub mode: String,
    pub bundle: String,
    /// A connection state (`CONNECTED`, `DISCONNECTED`, `UNKNOWN`).
    pub connection: String,
    /// A tag filter `Key=Value` (or just `Key` for any value).
    pub tag: String,
    /// One of [`FLEET_SORT_COLUMNS`]; user name when empty or unknown.
    pub sort: String,
    pub desc: bool,
    /// Also show WorkSpaces that have disappeared from AWS (kept for history).
    pub removed: bool,
    /// Zero-based page number.
    pub page: usize,
}

impl FleetQuery {
    /// The text filters with their URL names, in URL order.
    pub fn text_params(&self) -> [(&'static str, &String); 10] {
        [
            ("q", &self.q),
            ("region", &self.region),
            ("directory", &self.directory),
            ("state", &self.state),
            ("compute", &self.compute),
            ("mode", &self.mode),
            ("bundle", &self.bundle),
            ("connection", &self.connection),
            ("tag", &self.tag),
            ("sort", &self.sort),
        ]
    }

    /// Reads the query from URL parameters (`get` returns a parameter's value); missing
    /// or malformed values fall back to their defaults.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        let flag = |key: &str| matches!(text(key).as_str(), "1" | "true" | "on");
        FleetQuery {
            q: text("q"),
            region: text("region"),
            directory: text("directory"),
            state: text("state"),
            compute: text("compute"),
            mode: text("mode"),
            bundle: text("bundle"),
            connection: text("connection"),
            tag: text("tag"),
            sort: text("sort"),
            desc: flag("desc"),
            removed: flag("removed"),
            page: text("page").parse().unwrap_or(0),
        }
    }

    /// One text filter by its URL name (empty for unknown names).
    pub fn get(&self, key: &str) -> String {
        self.text_params()
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| (*value).clone())
            .unwrap_or_default()
    }

    /// Sets one text filter by its URL name and goes back to the first page.
    pub fn set(&mut self, key: &str, value: String) {
        match key {
            "q" => self.q = value,
            "region" => self.region = value,
            "directory" => self.directory = value,
            "state" => self.state = value,
            "compute" => self.compute = value,
            "mode" => self.mode = value,
            "bundle" => self.bundle = value,
            "connection" => self.connection = value,
            "tag" => self.tag = value,
            "sort" => self.sort = value,
            _ => return,
        }
        self.page = 0;
    }

    /// The query as URL parameters, leaving out everything at its default.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = self
            .text_params()
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| (key, value.clone()))
            .collect();
        if self.desc {
            pairs.push(("desc", "1".into()));
        }
        if self.removed {
            pairs.push(("removed", "1".into()));
        }
        if self.page > 0 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The values each fleet filter can take, for the filter menus.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetFacets {
    pub regions: Vec<String>,
    pub directories: Vec<String>,
    pub compute_types: Vec<String>,
    pub running_modes: Vec<String>,
    pub bundles: Vec<String>,
    pub connection_states: Vec<String>,
}

/// One page of the fleet with the numbers around it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetPage {
    pub rows: Vec<Workspace>,
    /// How many WorkSpaces match the query (all pages).
    pub total: usize,
    /// WorkSpaces per state among those matching every filter but the state, so the
    /// counts stay clickable while one state is selected.
    pub state_counts: Vec<(String, usize)>,
    /// The bulk actions the caller's role may run on selected rows (none for viewers).
    pub actions: Vec<ActionKind>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The access form as the page posts it: every platform once.
    fn access_form(
        overrides: &[(&'static str, &'static str)],
    ) -> Vec<(&'static str, &'static str)> {
        AccessProperties::PLATFORMS
            .iter()
            .map(|p| {
                let value = overrides
                    .iter()
                    .find(|(key, _)| *key == p.key)
                    .map_or("DENY", |(_, value)| *value);
                (p.key, value)
            })
            .collect()
    }

    #[test]
    fn the_access_form_reads_allow_deny_and_trust() {
        let access =
            AccessProperties::from_form(access_form(&[("windows", "TRUST"), ("linux", "ALLOW")]))
                .expect("valid form");
        assert_eq!(access.windows, Access::Trust);
        assert_eq!(access.linux, Access::Allow);
        assert_eq!(access.macos, Access::Deny);
        assert_eq!(access.text_for(Access::Trust), "Windows");
        // TRUST for macOS too (000_694e23744a3a4a46.txt:5544).
        let mac = AccessProperties::from_form(access_form(&[("macos", "TRUST")])).expect("macOS");
        assert_eq!(mac.macos, Access::Trust);
        assert!(!mac.denies_everyone());
        assert!(AccessProperties::default().denies_everyone());
    }

    #[test]
    fn the_access_form_refuses_trust_where_the_api_does_not_offer_it() {
        // Only DeviceTypeWindows and DeviceTypeOsx mention TRUST
        // (000_694e23744a3a4a46.txt:5537, :5544; Linux at :5584 does not).
        for key in [
            "linux",
            "web",
            "ios",
            "android",
            "chrome_os",
            "zero_client",
            "thin_client",
        ] {
            let refused = AccessProperties::from_form(access_form(&[(key, "TRUST")]));
            assert!(
                matches!(&refused, Err(crate::error::AppError::Validation { field, .. }) if field == &format!("access[{key}]")),
                "{key}: {refused:?}"
            );
        }
    }

    #[test]
    fn the_access_form_needs_every_platform_once_with_a_known_value() {
        let mut missing = access_form(&[]);
        missing.retain(|(key, _)| *key != "windows");
        assert!(matches!(
            AccessProperties::from_form(missing),
            Err(crate::error::AppError::Validation { field, .. }) if field == "access[windows]"
        ));
        let mut twice = access_form(&[]);
        twice.push(("web", "ALLOW"));
        assert!(AccessProperties::from_form(twice).is_err());
        assert!(AccessProperties::from_form(access_form(&[("web", "allow")])).is_err());
        let mut unknown = access_form(&[]);
        unknown.push(("beos", "ALLOW"));
        assert!(AccessProperties::from_form(unknown).is_err());
    }

    #[test]
    fn access_serializes_as_the_api_words_and_reads_old_booleans() {
        let access = AccessProperties {
            windows: Access::Trust,
            web: Access::Allow,
            ..AccessProperties::default()
        };
        let json = serde_json::to_value(access).expect("json");
        assert_eq!(json["windows"], "TRUST");
        assert_eq!(json["web"], "ALLOW");
        assert_eq!(json["linux"], "DENY");
        let back: AccessProperties = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, access);
        let old: AccessProperties = serde_json::from_str(
            r#"{"windows":true,"macos":false,"linux":false,"web":true,"ios":false,"android":false,"chrome_os":false,"zero_client":false,"thin_client":false}"#,
        )
        .expect("cache rows written before TRUST");
        assert_eq!(old.windows, Access::Allow);
        assert_eq!(old.macos, Access::Deny);
    }

    #[test]
    fn states_round_trip_through_the_api_spelling() {
        for state in WorkspaceState::KNOWN {
            assert_eq!(WorkspaceState::from_api(state.as_api()), state);
        }
        assert_eq!(
            WorkspaceState::from_api("ADMIN_MAINTENANCE"),
            WorkspaceState::AdminMaintenance
        );
    }

    #[test]
    fn fleet_query_string_leaves_out_defaults_and_encodes_values() {
        assert_eq!(FleetQuery::default().to_query_string(), "");
        let query = FleetQuery {
            q: "anna m&".into(),
            state: "STOPPED".into(),
            desc: true,
            page: 2,
            ..FleetQuery::default()
        };
        assert_eq!(
            query.to_query_string(),
            "q=anna%20m%26&state=STOPPED&desc=1&page=2"
        );
    }

    #[test]
    fn fleet_query_reads_its_parameters_and_ignores_bad_values() {
        let params = [
            ("q", " anna "),
            ("tag", "Department=HR"),
            ("desc", "true"),
            ("page", "x"),
        ];
        let query = FleetQuery::from_params(|key| {
            params
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(query.q, "anna");
        assert_eq!(query.tag, "Department=HR");
        assert!(query.desc && !query.removed);
        assert_eq!(query.page, 0);
    }

    #[test]
    fn actions_follow_the_api_state_rules() {
        assert!(
            ActionKind::Reboot
                .refusal(&WorkspaceState::Available, None)
                .is_none()
        );
        assert!(
            ActionKind::Reboot
                .refusal(&WorkspaceState::Stopped, None)
                .is_some()
        );
        assert!(
            ActionKind::Rebuild
                .refusal(&WorkspaceState::Error, None)
                .is_none()
        );
        assert!(
            ActionKind::Restore
                .refusal(&WorkspaceState::Rebooting, None)
                .is_some()
        );
        assert!(
            ActionKind::Start
                .refusal(&WorkspaceState::Stopped, Some("AUTO_STOP"))
                .is_none()
        );
        assert!(
            ActionKind::Stop
                .refusal(&WorkspaceState::Available, Some("ALWAYS_ON"))
                .is_some()
        );
        assert!(
            ActionKind::Terminate
                .refusal(&WorkspaceState::Suspended, None)
                .is_some()
        );
        assert_eq!(
            ActionKind::parse("end_maintenance"),
            Some(ActionKind::EndMaintenance)
        );
        assert_eq!(ActionKind::Terminate.required_role(), Role::Admin);
        assert_eq!(ActionKind::Rebuild.required_role(), Role::Helpdesk);
    }

    #[test]
    fn unknown_states_are_kept_not_dropped() {
        let state = WorkspaceState::from_api("HIBERNATING");
        assert_eq!(state, WorkspaceState::Other("HIBERNATING".into()));
        assert_eq!(state.as_api(), "HIBERNATING");
    }
}
