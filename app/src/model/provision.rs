//! Provisioning new WorkSpaces: the form as posted, the review of what each row will
//! create (or why it is refused), and what AWS answered per user. Shared by the server,
//! which decides, and the pages, which show it.

use serde::{Deserialize, Serialize};

use super::{Bundle, Directory, Tag, TargetStatus};

/// Most rows (users) one provisioning request may hold: 20 CreateWorkspaces calls of 25.
pub const MAX_PROVISION_ROWS: usize = 500;

/// The running modes CreateWorkspaces takes (MANUAL from 002_363a3ccb364b572d.txt:149).
/// MANUAL is accepted but only for WorkSpaces Core accounts that are allow-listed
/// (004_989ae404788726c9.txt:1008): show it with [`running_mode_label`], never as a plain
/// choice.
pub const RUNNING_MODES: [&str; 3] = ["AUTO_STOP", "ALWAYS_ON", "MANUAL"];

/// What the reference says of MANUAL: "only supported by Amazon WorkSpaces Core. Contact
/// your account team to be allow-listed to use this value" (004_989ae404788726c9.txt:1008
/// for CreateWorkspaces, :1803 for ModifyWorkspaceProperties).
pub const MANUAL_RUNNING_MODE_NOTE: &str = "MANUAL is only for Amazon WorkSpaces Core accounts that are allow-listed: contact your AWS account team to be allow-listed.";

/// A running mode as a form or review shows it: the API's word, and for MANUAL that it
/// is for allow-listed WorkSpaces Core accounts only (004_989ae404788726c9.txt:1008).
pub fn running_mode_label(mode: &str) -> String {
    match mode {
        "MANUAL" => "MANUAL — WorkSpaces Core, allow-listed accounts only".to_string(),
        other => other.to_string(),
    }
}

/// The streaming protocols CreateWorkspaces takes (002_363a3ccb364b572d.txt:149), spelt
/// exactly so: the property is case sensitive (004_989ae404788726c9.txt:1117). Not for
/// Windows 7 or GPU-based bundles, see [`super::protocol_problem`].
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
    /// `PCOIP`, `WSP` or empty for the bundle's default (the only choice for Windows 7
    /// and GPU-based bundles, 004_989ae404788726c9.txt:1119).
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

#[cfg(test)]
mod tests {
    use super::*;

    /// 004_989ae404788726c9.txt:1008: MANUAL is only for allow-listed WorkSpaces Core
    /// accounts, so it is never labelled like an ordinary mode; it stays accepted.
    #[test]
    fn manual_is_labelled_as_workspaces_core_only() {
        assert!(RUNNING_MODES.contains(&"MANUAL"));
        let label = running_mode_label("MANUAL");
        assert!(
            label.starts_with("MANUAL")
                && label.contains("WorkSpaces Core")
                && label.contains("allow-listed"),
            "{label}"
        );
        assert_eq!(running_mode_label("AUTO_STOP"), "AUTO_STOP");
        assert_eq!(running_mode_label("ALWAYS_ON"), "ALWAYS_ON");
        assert!(MANUAL_RUNNING_MODE_NOTE.contains("allow-listed"));
    }
}
