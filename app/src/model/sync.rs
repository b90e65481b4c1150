//! How fresh the inventory cache is and what a running sync does.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One step of a Region's sync, each listing one kind of resource. Its name is the
/// `resource` of [`SyncStatus`]: stored in the database, shown on the pages and in
/// `/healthz`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStep {
    Bundles,
    Directories,
    Images,
    IpGroups,
    Workspaces,
    /// Every WorkSpace's tags in one listing, where the client lists tags.
    Tags,
    Connections,
    ConnectionAliases,
    /// The application catalog and which WorkSpace has which application.
    Applications,
}

impl SyncStep {
    /// The steps of a Region's sync, in order: bundles first, because WorkSpaces take
    /// their compute type from their bundle when the API leaves it out.
    pub const ALL: [SyncStep; 9] = [
        SyncStep::Bundles,
        SyncStep::Directories,
        SyncStep::Images,
        SyncStep::IpGroups,
        SyncStep::Workspaces,
        SyncStep::Tags,
        SyncStep::Connections,
        SyncStep::ConnectionAliases,
        SyncStep::Applications,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncStep::Bundles => "bundles",
            SyncStep::Directories => "directories",
            SyncStep::Images => "images",
            SyncStep::IpGroups => "ip_groups",
            SyncStep::Workspaces => "workspaces",
            SyncStep::Tags => "tags",
            SyncStep::Connections => "connections",
            SyncStep::ConnectionAliases => "connection_aliases",
            SyncStep::Applications => "applications",
        }
    }
}

impl fmt::Display for SyncStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How fresh one part of the inventory cache is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    /// The [`SyncStep`] it comes from, by name.
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
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    /// The [`SyncStep`] running now, by name, or `done`.
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
    /// The configured Regions the user may see (with their account, when accounts are
    /// configured: "prod eu-west-1").
    pub regions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are stored in `sync_status` and read by `/healthz` clients: they and
    /// the order of the steps must not change by accident.
    #[test]
    fn steps_keep_their_stored_names_and_order() {
        let names = SyncStep::ALL.map(SyncStep::as_str);
        assert_eq!(
            names,
            [
                "bundles",
                "directories",
                "images",
                "ip_groups",
                "workspaces",
                "tags",
                "connections",
                "connection_aliases",
                "applications"
            ]
        );
    }
}
