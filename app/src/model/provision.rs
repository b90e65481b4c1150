//! Provisioning new WorkSpaces: the form as posted, the review of what each row will
//! create (or why it is refused), and what AWS answered per user. Shared by the server,
//! which decides, and the pages, which show it.

use serde::{Deserialize, Serialize};

use super::{Bundle, Directory, Tag, TargetStatus};

/// Most rows (users) one provisioning request may hold: 20 CreateWorkspaces calls of 25.
pub const MAX_PROVISION_ROWS: usize = 500;

/// The running modes CreateWorkspaces takes (MANUAL from 002_363a3ccb364b572d.txt:149).
pub const RUNNING_MODES: [&str; 3] = ["AUTO_STOP", "ALWAYS_ON", "MANUAL"];

/// The streaming protocols CreateWorkspaces takes (002_363a3ccb364b572d.txt:149).
pub const PROTOCOLS: [&str; 2] = ["PCOIP", "WSP"];

/// The columns of a provisioning CSV: `user_name` is required, the others override the
/// form's value for their row.
pub const CSV_COLUMNS: [&str; 7] = [
    "user_name",
    "bundle_id",
    "running_mode",
    "auto_stop_timeout_minutes",
    "root_volume_encryption",
    "user_volume_encryption",
    "tags",
];

/// The "New WorkSpaces" form as posted: defaults for every row, the pasted user names
/// and the CSV (pasted, or read from a file by the page when JavaScript runs). Kept as
/// text so that the review can name the field a problem is in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProvisionForm {
    pub directory_id: String,
    pub bundle_id: String,
    pub running_mode: String,
    /// Minutes, a multiple of 60; for AUTO_STOP only.
    pub auto_stop_timeout: String,
    /// `PCOIP`, `WSP` or empty for the bundle's default.
    pub protocol: String,
    pub root_volume_encryption: bool,
    pub user_volume_encryption: bool,
    pub kms_key: String,
    /// `key=value`, one a line.
    pub tags: String,
    /// User names, one a line.
    pub users: String,
    /// CSV with a header row, see [`CSV_COLUMNS`].
    pub csv: String,
}

/// What the "New WorkSpaces" page offers: the cached directories and bundles, and the
/// form to start from (a draft's, when the admin goes back to edit it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProvisionOptions {
    pub directories: Vec<Directory>,
    pub bundles: Vec<Bundle>,
    pub form: ProvisionForm,
}

/// One requested WorkSpace as the review shows it: exactly what will be created, or why
/// it will not be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvisionRow {
    /// Where the row came from: `users line 3` or `CSV line 4`.
    pub source: String,
    pub user_name: String,
    pub bundle_id: String,
    /// The bundle's name, compute type and storage, when the bundle is cached.
    pub bundle: Option<Bundle>,
    pub running_mode: String,
    pub auto_stop_timeout_minutes: Option<i32>,
    pub protocol: Option<String>,
    pub root_volume_encrypted: bool,
    pub user_volume_encrypted: bool,
    pub tags: Vec<Tag>,
    /// Why the row will not be created; `None` when it will.
    pub refusal: Option<String>,
}

/// The review of a provisioning request: the directory, the KMS key and every row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvisionReview {
    /// The stored request this review is of.
    pub draft: i64,
    pub directory_id: String,
    pub directory_name: Option<String>,
    pub region: String,
    pub kms_key: Option<String>,
    /// Empty once the request has been sent: the report says what happened.
    pub rows: Vec<ProvisionRow>,
    /// Whether the request has been sent to AWS (it runs once).
    pub sent: bool,
    /// What AWS answered, once the request has run.
    pub report: Option<ProvisionReport>,
}

impl ProvisionReview {
    /// How many rows will be created.
    pub fn accepted(&self) -> usize {
        self.rows.iter().filter(|r| r.refusal.is_none()).count()
    }
}

/// What a provisioning request did: its audit entry and one result per row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvisionReport {
    pub audit_id: i64,
    pub results: Vec<ProvisionResult>,
}

/// What happened to one requested WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvisionResult {
    /// The user name, or for a refused row without a usable one, where the row was.
    pub target: String,
    pub outcome: TargetStatus,
    /// The new WorkSpace's id (from CreateWorkspaces' PendingRequests).
    pub workspace_id: Option<String>,
    /// AWS's error code and message, or why the row was refused.
    pub message: Option<String>,
}
