//! The audit log as pages read it.

use super::*;
use serde::{Deserialize, Serialize};

/// Entries per audit page.
pub const AUDIT_PAGE_SIZE: usize = 50;

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
    /// A configured account: changes made in it.
    pub account: String,
    /// One entry by its number (`#42`), as a change's result links to it.
    pub entry: String,
    pub page: usize,
    /// The accounts of a user limited to some: changes in other accounts are hidden.
    /// Set on the server from the signed-in user, never from the URL.
    #[serde(skip)]
    pub visible_accounts: Option<Vec<String>>,
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
            account: text("account"),
            entry: text("entry"),
            page: text("page").parse().unwrap_or(0),
            visible_accounts: None,
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
            ("account", &self.account),
            ("entry", &self.entry),
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
    /// The configured accounts the user may see, for the account filter; empty without
    /// an accounts file.
    pub accounts: Vec<String>,
}

/// What non-admins see instead of the name a failed sign-in typed.
pub const HIDDEN_NAME: &str = "(name shown to admins)";

impl AuditEntry {
    /// The entry as `role` may read it: why a login failed (unknown name, wrong password,
    /// disabled account) tells which user names exist, and the name typed may be a
    /// password typed into the wrong field (issue 20, finding 10), so only admins see
    /// either.
    pub fn as_seen_by(mut self, role: crate::model::Role) -> AuditEntry {
        if role < crate::model::Role::Admin && self.action == "login" && self.outcome == "failed" {
            self.detail = Some("refused".into());
            self.actor_name = HIDDEN_NAME.into();
            self.params = "{}".into();
        }
        self
    }
}

/// How a finished audit entry ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryOutcome {
    Succeeded,
    /// Some targets succeeded, others failed or were skipped.
    Partial,
    Failed,
    /// Left pending by a process that stopped before recording AWS's answer.
    Interrupted,
}

impl EntryOutcome {
    /// The word stored in the audit log and shown on the audit page.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryOutcome::Succeeded => "succeeded",
            EntryOutcome::Partial => "partial",
            EntryOutcome::Failed => "failed",
            EntryOutcome::Interrupted => "interrupted",
        }
    }
}
