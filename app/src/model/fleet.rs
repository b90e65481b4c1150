//! The fleet page: its query (search, filters, sort, paging) and answer.

use super::*;
use serde::{Deserialize, Serialize};

/// Columns the fleet table can be sorted by, as they appear in the URL.
pub const FLEET_SORT_COLUMNS: [&str; 15] = [
    "user",
    "id",
    "computer",
    "state",
    "directory",
    "bundle",
    "compute",
    "mode",
    "account",
    "region",
    "ip",
    "connection",
    "last_connection",
    "protocol",
    "os",
];

/// The longest search text accepted (longer is a 400: SQLite refuses very long LIKE
/// patterns, and nobody types this much).
pub const MAX_SEARCH_CHARS: usize = 256;

/// Refuses a search text over [`MAX_SEARCH_CHARS`].
pub fn check_search(q: &str) -> Result<(), crate::error::AppError> {
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(crate::error::AppError::Validation {
            field: "q".into(),
            message: format!("keep the search under {MAX_SEARCH_CHARS} characters"),
        });
    }
    Ok(())
}

/// Rows per fleet page.
pub const FLEET_PAGE_SIZE: usize = 50;

/// What the fleet page shows: search text, filters, sort and page. It lives in the URL
/// (`?q=…&state=…`), so every view can be shared and the back button works.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetQuery {
    /// Matches WorkSpace id, user name or computer name anywhere, or an IP prefix.
    pub q: String,
    /// A configured account by name (see [`Workspace::account`]).
    pub account: String,
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
    /// A streaming protocol: `PCOIP` or `WSP`.
    pub protocol: String,
    /// An OperatingSystemName, e.g. `WINDOWS_SERVER_2022`.
    pub os: String,
    /// `primary` (has a standby), `standby`, or `none` (in no pair).
    pub standby: String,
    /// An application id: WorkSpaces that have it or are getting it.
    pub app: String,
    /// Days without a user connection (`30`: the last one was at least 30 days ago),
    /// or `never` (no user connection known); as the connections page's idle views.
    pub idle: String,
    /// One of [`FLEET_SORT_COLUMNS`]; user name when empty or unknown.
    pub sort: String,
    pub desc: bool,
    /// Also show WorkSpaces that have disappeared from AWS (kept for history).
    pub removed: bool,
    /// Zero-based page number.
    pub page: usize,
    /// The accounts of a user limited to some (see [`UserInfo::accounts`]); set on the
    /// server from the signed-in user, never from the URL.
    #[serde(skip)]
    pub visible_accounts: Option<Vec<String>>,
}

impl FleetQuery {
    /// The text filters with their URL names, in URL order.
    pub fn text_params(&self) -> [(&'static str, &String); 16] {
        [
            ("q", &self.q),
            ("account", &self.account),
            ("region", &self.region),
            ("directory", &self.directory),
            ("state", &self.state),
            ("compute", &self.compute),
            ("mode", &self.mode),
            ("bundle", &self.bundle),
            ("connection", &self.connection),
            ("tag", &self.tag),
            ("protocol", &self.protocol),
            ("os", &self.os),
            ("standby", &self.standby),
            ("app", &self.app),
            ("idle", &self.idle),
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
            account: text("account"),
            region: text("region"),
            directory: text("directory"),
            state: text("state"),
            compute: text("compute"),
            mode: text("mode"),
            bundle: text("bundle"),
            connection: text("connection"),
            tag: text("tag"),
            protocol: text("protocol"),
            os: text("os"),
            standby: text("standby"),
            app: text("app"),
            idle: idle_filter(&text("idle")),
            sort: text("sort"),
            desc: flag("desc"),
            removed: flag("removed"),
            page: text("page").parse().unwrap_or(0),
            visible_accounts: None,
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
            "account" => self.account = value,
            "region" => self.region = value,
            "directory" => self.directory = value,
            "state" => self.state = value,
            "compute" => self.compute = value,
            "mode" => self.mode = value,
            "bundle" => self.bundle = value,
            "connection" => self.connection = value,
            "tag" => self.tag = value,
            "protocol" => self.protocol = value,
            "os" => self.os = value,
            "standby" => self.standby = value,
            "app" => self.app = value,
            "idle" => self.idle = idle_filter(&value),
            "sort" => self.sort = value,
            _ => return,
        }
        self.page = 0;
    }

    /// The states the query admits: `state` may name several, separated by commas
    /// (`UNHEALTHY,ERROR`); none means every state.
    pub fn states(&self) -> Vec<&str> {
        self.state
            .split(',')
            .map(str::trim)
            .filter(|state| !state.is_empty())
            .collect()
    }

    /// This query with `state` added to its states, or taken out if it is one of them
    /// (a state chip of the fleet page), from the first page.
    pub fn toggle_state(&self, state: &str) -> FleetQuery {
        let mut states: Vec<&str> = self.states();
        if states.contains(&state) {
            states.retain(|s| *s != state);
        } else {
            states.push(state);
        }
        let mut next = self.clone();
        next.set("state", states.join(","));
        next
    }

    /// The fleet page showing this query: `/` or `/?<query>`.
    pub fn href(&self) -> String {
        self.path_with_query("/")
    }

    /// The CSV export of this query: `/fleet.csv` or `/fleet.csv?<query>`.
    pub fn csv_href(&self) -> String {
        self.path_with_query("/fleet.csv")
    }

    fn path_with_query(&self, path: &str) -> String {
        let qs = self.to_query_string();
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        }
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

/// `value` if it is an idle filter (a number of days, or `never`), else nothing.
fn idle_filter(value: &str) -> String {
    let days = value.parse::<u32>().is_ok_and(|days| days > 0);
    if days || value == "never" {
        value.to_string()
    } else {
        String::new()
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
    /// The configured account names; empty without an accounts file (no account
    /// column or filter is shown then).
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub directories: Vec<String>,
    pub compute_types: Vec<String>,
    pub running_modes: Vec<String>,
    pub bundles: Vec<String>,
    pub connection_states: Vec<String>,
    pub operating_systems: Vec<String>,
    /// The cached application catalog: (application id, name with its Region).
    pub applications: Vec<(String, String)>,
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
    /// Whether accounts are configured (an accounts file): the Account column shows.
    pub show_accounts: bool,
}

#[cfg(test)]
mod tests {
    use super::FleetQuery;

    #[test]
    fn a_state_chip_adds_its_state_or_takes_it_out() {
        let all = FleetQuery::default();
        assert!(all.states().is_empty());
        let unhealthy = all.toggle_state("UNHEALTHY");
        assert_eq!(unhealthy.href(), "/?state=UNHEALTHY");
        let both = unhealthy.toggle_state("ERROR");
        assert_eq!(both.states(), ["UNHEALTHY", "ERROR"]);
        assert_eq!(both.href(), "/?state=UNHEALTHY%2CERROR");
        assert_eq!(both.toggle_state("UNHEALTHY").states(), ["ERROR"]);
        let mut paged = both.clone();
        paged.page = 3;
        assert_eq!(
            paged.toggle_state("STOPPED").page,
            0,
            "back to the first page"
        );
    }

    #[test]
    fn the_idle_filter_takes_days_or_never_and_nothing_else() {
        let idle = |value: &str| {
            FleetQuery::from_params(|key| (key == "idle").then(|| value.to_string())).idle
        };
        assert_eq!(idle("30"), "30");
        assert_eq!(idle("never"), "never");
        assert_eq!(idle("0"), "");
        assert_eq!(idle("-3"), "");
        assert_eq!(idle("soon"), "");
    }
}
