//! How fresh the inventory cache is and what a running sync does.

use serde::{Deserialize, Serialize};

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
