//! IP access control groups and their rules.

use super::*;
use serde::{Deserialize, Serialize};

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
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
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
    // Never empty, so that a group without rules still has a fingerprint to carry.
    let listed: Vec<String> = rules
        .iter()
        .map(|rule| {
            format!(
                "{} {}",
                rule.cidr,
                rule.description.as_deref().unwrap_or("")
            )
        })
        .collect();
    format!("{} rules: {}", rules.len(), listed.join("; "))
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

/// Most rules AWS allows in one IP access control group (default quota).
pub const MAX_RULES_PER_GROUP: usize = 10;

/// Most IP access control groups AWS allows per directory.
pub const MAX_GROUPS_PER_DIRECTORY: usize = 25;

/// The change an IP groups form asks for (its `op` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IpGroupOp {
    Create,
    Delete,
    AddRule,
    EditRule,
    RemoveRule,
    Associate,
    Disassociate,
}

impl IpGroupOp {
    /// The rule changes, which go through the review page.
    pub const RULE_CHANGES: [IpGroupOp; 3] = [
        IpGroupOp::AddRule,
        IpGroupOp::EditRule,
        IpGroupOp::RemoveRule,
    ];

    /// The form value, e.g. `add_rule`.
    pub fn as_str(self) -> &'static str {
        match self {
            IpGroupOp::Create => "create",
            IpGroupOp::Delete => "delete",
            IpGroupOp::AddRule => "add_rule",
            IpGroupOp::EditRule => "edit_rule",
            IpGroupOp::RemoveRule => "remove_rule",
            IpGroupOp::Associate => "associate",
            IpGroupOp::Disassociate => "disassociate",
        }
    }

    /// A rule change named in a URL (the review page's `op`); `None` for anything else.
    pub fn rule_change(value: &str) -> Option<IpGroupOp> {
        Self::RULE_CHANGES
            .into_iter()
            .find(|op| op.as_str() == value)
    }
}
