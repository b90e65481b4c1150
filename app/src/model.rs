//! Types shared by the server and the browser.
//!
//! They cross the wire in server functions, so they hold no secrets and no AWS SDK
//! types: the SDK adapter converts into these, and the pages render them.

use serde::{Deserialize, Serialize};

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

/// The connection status of one WorkSpace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    pub workspace_id: String,
    pub region: String,
    pub connection_state: Option<String>,
    pub connection_state_checked: Option<String>,
    pub last_known_user_connection: Option<String>,
}

/// Columns the fleet table can be sorted by.
pub const FLEET_SORT_COLUMNS: [&str; 8] = [
    "user", "id", "computer", "state", "directory", "bundle", "region", "ip",
];

/// Rows per fleet page.
pub const FLEET_PAGE_SIZE: usize = 50;

/// What the fleet page shows: search text, filters, sort and page. It lives in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetQuery {
    /// Matches WorkSpace id, user name, computer name or an IP address prefix.
    pub q: String,
    /// A state in the API's spelling, or empty for all.
    pub state: String,
    /// A Region name, or empty for all.
    pub region: String,
    /// One of [`FLEET_SORT_COLUMNS`]; user name when empty or unknown.
    pub sort: String,
    pub desc: bool,
    /// Zero-based page number.
    pub page: usize,
}

impl FleetQuery {
    /// The query as URL parameters, leaving out everything at its default.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (key, value) in [
            ("q", &self.q),
            ("state", &self.state),
            ("region", &self.region),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if self.desc {
            pairs.push(("desc", "1".into()));
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

/// One page of the fleet with the numbers around it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetPage {
    pub rows: Vec<Workspace>,
    /// How many WorkSpaces match the query (all pages).
    pub total: usize,
    /// WorkSpaces per state over the whole fleet matching the search and Region, so the
    /// state counts stay clickable while one state is selected.
    pub state_counts: Vec<(String, usize)>,
    /// The configured Regions, for the Region filter.
    pub regions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(query.to_query_string(), "q=anna%20m%26&state=STOPPED&desc=1&page=2");
    }

    #[test]
    fn unknown_states_are_kept_not_dropped() {
        let state = WorkspaceState::from_api("HIBERNATING");
        assert_eq!(state, WorkspaceState::Other("HIBERNATING".into()));
        assert_eq!(state.as_api(), "HIBERNATING");
    }
}
