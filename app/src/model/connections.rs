//! Connection status and the connections page query.

use super::*;
use serde::{Deserialize, Serialize};

/// Default for "idle for at least N days" on the connections page.
pub const DEFAULT_IDLE_DAYS: u32 = 30;

/// What the connections page shows. Lives in the URL like [`FleetQuery`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionsQuery {
    /// `all`, `connected`, `idle` (no user connection for `days`) or `never`.
    pub view: String,
    pub days: u32,
    /// A configured account by name; empty for all.
    pub account: String,
    pub region: String,
    pub q: String,
    pub page: usize,
    /// The accounts of a user limited to some; set on the server, never from the URL.
    #[serde(skip)]
    pub visible_accounts: Option<Vec<String>>,
}

impl Default for ConnectionsQuery {
    fn default() -> Self {
        ConnectionsQuery {
            view: "all".into(),
            days: DEFAULT_IDLE_DAYS,
            account: String::new(),
            region: String::new(),
            q: String::new(),
            page: 0,
            visible_accounts: None,
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
            account: text("account"),
            region: text("region"),
            q: text("q"),
            page: text("page").parse().unwrap_or(0),
            visible_accounts: None,
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs = vec![("view", self.view.clone())];
        if self.days != DEFAULT_IDLE_DAYS {
            pairs.push(("days", self.days.to_string()));
        }
        for (key, value) in [
            ("account", &self.account),
            ("region", &self.region),
            ("q", &self.q),
        ] {
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
    /// The configured accounts the user may see, for the account menu; empty without an
    /// accounts file.
    pub accounts: Vec<String>,
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
