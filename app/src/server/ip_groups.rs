//! Changing IP access control groups (admin): create and delete groups, add, edit and
//! remove rules, associate groups with directories.
//!
//! Rule changes work on the group as AWS holds it now, never on the cache alone (it may
//! be 15 minutes old): the group is read again before the review page and before the
//! change. A rule is added with AuthorizeIpRules and removed with RevokeIpRules, which
//! leave the other rules alone; an edit in place needs UpdateRulesOfIpGroup, which
//! replaces every rule (000_694e23744a3a4a46.txt:6926), so it is refused when the rules
//! differ from those the review page showed.

use std::sync::Arc;

use serde_json::json;

use crate::cidr::parse_rule;
use crate::error::AppError;
use crate::model::{
    Directory, IpGroup, IpGroupsView, IpRule, MAX_GROUPS_PER_DIRECTORY, MAX_RULES_PER_GROUP,
    RuleDiff, rules_fingerprint,
};
use crate::server::aws::{Change, IpGroupChange, WorkspacesApi};
use crate::server::caller::Caller;
use crate::server::changes::{CacheOp, Plan, invalid, item, region_api};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::resources::visible_items;

/// One change an admin asks for.
#[derive(Debug, Clone)]
pub enum IpGroupEdit {
    /// `place`: the account and Region (see [`crate::model::place_value`]).
    Create {
        place: String,
        name: String,
        description: String,
    },
    Delete {
        group_id: String,
    },
    AddRule {
        group_id: String,
        cidr: String,
        description: String,
    },
    EditRule {
        group_id: String,
        old_cidr: String,
        cidr: String,
        description: String,
    },
    RemoveRule {
        group_id: String,
        cidr: String,
    },
    Associate {
        group_id: String,
        directory_id: String,
    },
    Disassociate {
        group_id: String,
        directory_id: String,
    },
}

fn describe_rules(rules: &[IpRule]) -> Vec<String> {
    rules
        .iter()
        .map(|r| match &r.description {
            Some(d) if !d.is_empty() => format!("{} ({d})", r.cidr),
            _ => r.cidr.clone(),
        })
        .collect()
}

/// A validated rule in canonical form, refused if the group already has it.
fn new_rule(rules: &[IpRule], cidr: &str, description: &str) -> Result<IpRule, AppError> {
    let canonical = parse_rule(cidr)
        .map_err(|message| invalid("cidr", message))?
        .canonical();
    if rules.iter().any(|rule| rule.cidr == canonical) {
        return Err(invalid(
            "cidr",
            format!("the group already has {canonical}"),
        ));
    }
    let description = description.trim();
    if description.len() > 100 {
        return Err(invalid(
            "description",
            "keep the description under 100 characters",
        ));
    }
    Ok(IpRule {
        cidr: canonical,
        description: Some(description.to_string()).filter(|d| !d.is_empty()),
    })
}

/// The rules `group` has after a rule edit (add, edit or remove), validated: the new
/// rule in canonical form, no duplicates, at most [`MAX_RULES_PER_GROUP`]. An edited rule
/// keeps its place.
pub fn rules_after(group: &IpGroup, edit: &IpGroupEdit) -> Result<Vec<IpRule>, AppError> {
    let mut rules = group.rules.clone();
    let position = |cidr: &str| {
        group
            .rules
            .iter()
            .position(|r| r.cidr == cidr)
            .ok_or_else(|| AppError::NotFound(format!("rule {cidr} in {}", group.name)))
    };
    match edit {
        IpGroupEdit::AddRule {
            cidr, description, ..
        } => {
            if rules.len() >= MAX_RULES_PER_GROUP {
                return Err(invalid(
                    "cidr",
                    format!(
                        "{} already has {MAX_RULES_PER_GROUP} rules, the most a group holds; use another group",
                        group.name
                    ),
                ));
            }
            let rule = new_rule(&rules, cidr, description)?;
            rules.push(rule);
        }
        IpGroupEdit::EditRule {
            old_cidr,
            cidr,
            description,
            ..
        } => {
            let at = position(old_cidr)?;
            rules.remove(at);
            let rule = new_rule(&rules, cidr, description)?;
            rules.insert(at, rule);
        }
        IpGroupEdit::RemoveRule { cidr, .. } => {
            rules.remove(position(cidr)?);
        }
        _ => return Err(invalid("op", "not a rule change")),
    }
    Ok(rules)
}

/// The group a rule edit is about; `None` for other edits.
fn rule_group(edit: &IpGroupEdit) -> Option<&str> {
    match edit {
        IpGroupEdit::AddRule { group_id, .. }
        | IpGroupEdit::EditRule { group_id, .. }
        | IpGroupEdit::RemoveRule { group_id, .. } => Some(group_id),
        _ => None,
    }
}

/// The group as AWS holds it now (its account and Region from the `cached` groups).
async fn live_group(
    clients: &[Arc<dyn WorkspacesApi>],
    cached: &[IpGroup],
    group_id: &str,
) -> Result<IpGroup, AppError> {
    let missing = || AppError::NotFound(format!("IP group {group_id}"));
    let known = cached
        .iter()
        .find(|g| g.id == group_id)
        .ok_or_else(missing)?;
    let api = region_api(clients, &known.account, &known.region)?;
    let mut live = api.describe_ip_group(group_id).await?.ok_or_else(missing)?;
    live.account = known.account.clone();
    Ok(live)
}

/// The rules of a group before and after a rule edit, for the confirmation page: the
/// group is read from AWS first. Nothing is changed.
pub async fn preview(caller: &Caller, edit: &IpGroupEdit) -> Result<RuleDiff, AppError> {
    caller.require_admin()?;
    let group_id = rule_group(edit).ok_or_else(|| invalid("op", "not a rule change"))?;
    let cached: Vec<IpGroup> = inventory::items(caller.pool(), ItemKind::IpGroup).await?;
    let group = live_group(&caller.workspaces, &cached, group_id).await?;
    let after = rules_after(&group, edit)?;
    Ok(RuleDiff::new(group, after))
}

/// Refuses a rule change when the group's rules are no longer those the review page
/// showed (`shown`, see [`rules_fingerprint`]).
pub fn check_unchanged(live: &IpGroup, shown: &str) -> Result<(), AppError> {
    if rules_fingerprint(&live.rules) == shown {
        return Ok(());
    }
    Err(invalid(
        "rules",
        format!(
            "the rules of {} changed in AWS since the review page was shown; review the change again",
            live.name
        ),
    ))
}

/// The group `id` among `groups`.
fn find_group(groups: &[IpGroup], id: &str) -> Result<IpGroup, AppError> {
    groups
        .iter()
        .find(|g| g.id == id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("IP group {id}")))
}

/// The directory `id` among `directories`.
fn find_directory(directories: &[Directory], id: &str) -> Result<Directory, AppError> {
    directories
        .iter()
        .find(|d| d.id == id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("directory {id}")))
}

/// The cache operation storing `group` under `id` (`None`: under the id AWS creates).
fn put_group(group: &IpGroup, id: Option<String>) -> CacheOp {
    CacheOp::Put {
        account: group.account.clone(),
        region: group.region.clone(),
        kind: ItemKind::IpGroup,
        id,
        item: item(group),
    }
}

/// Decides one change from the groups and directories it concerns (for rule edits,
/// `groups` holds the group as AWS holds it now): the call, the audit parameters, the
/// cache afterwards and a sentence for the admin. Pure: no database, no AWS.
pub fn plan(
    edit: &IpGroupEdit,
    groups: &[IpGroup],
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    match edit {
        IpGroupEdit::Create {
            place,
            name,
            description,
        } => plan_create(place, name, description, groups),
        IpGroupEdit::Delete { group_id } => plan_delete(group_id, groups, directories),
        IpGroupEdit::AddRule { group_id, .. }
        | IpGroupEdit::EditRule { group_id, .. }
        | IpGroupEdit::RemoveRule { group_id, .. } => plan_rule_change(edit, group_id, groups),
        IpGroupEdit::Associate {
            group_id,
            directory_id,
        }
        | IpGroupEdit::Disassociate {
            group_id,
            directory_id,
        } => plan_association(edit, group_id, directory_id, groups, directories),
    }
}

/// Plans CreateIpGroup.
fn plan_create(
    place: &str,
    name: &str,
    description: &str,
    groups: &[IpGroup],
) -> Result<(Plan, String), AppError> {
    let (account, region) = crate::model::split_place(place);
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(invalid(
            "name",
            "give the group a name of up to 100 characters",
        ));
    }
    if groups
        .iter()
        .any(|g| g.account == account && g.region == region && g.name == name)
    {
        return Err(invalid(
            "name",
            format!("{region} already has a group named {name}"),
        ));
    }
    let description = Some(description.trim().to_string()).filter(|d| !d.is_empty());
    let group = IpGroup {
        id: String::new(),
        account: account.to_string(),
        region: region.to_string(),
        name: name.into(),
        description: description.clone(),
        rules: Vec::new(),
    };
    let plan = Plan::single(
        "ip_group.create",
        json!({ "name": name, "region": region, "account": account }),
        (account, region),
        name,
        Change::IpGroup(IpGroupChange::Create {
            name: name.into(),
            description,
            rules: Vec::new(),
        }),
        vec![put_group(&group, None)],
    );
    Ok((plan, format!("Created {name}")))
}

/// Plans DeleteIpGroup.
fn plan_delete(
    group_id: &str,
    groups: &[IpGroup],
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let group = find_group(groups, group_id)?;
    let used_by: Vec<&str> = directories
        .iter()
        .filter(|d| d.ip_group_ids.iter().any(|id| id == group_id))
        .map(|d| d.id.as_str())
        .collect();
    if !used_by.is_empty() {
        return Err(invalid(
            "group",
            format!(
                "{} is associated with {}; disassociate it first",
                group.name,
                used_by.join(", ")
            ),
        ));
    }
    let plan = Plan::single(
        "ip_group.delete",
        json!({ "group": group.name, "rules_before": describe_rules(&group.rules) }),
        (&group.account, &group.region),
        group_id,
        Change::IpGroup(IpGroupChange::Delete {
            group_id: group_id.to_string(),
        }),
        vec![CacheOp::Delete {
            account: group.account.clone(),
            region: group.region.clone(),
            kind: ItemKind::IpGroup,
            id: group_id.to_string(),
        }],
    );
    Ok((plan, format!("Deleted {}", group.name)))
}

/// Plans AuthorizeIpRules (add), RevokeIpRules (remove) or UpdateRulesOfIpGroup (edit).
fn plan_rule_change(
    edit: &IpGroupEdit,
    group_id: &str,
    groups: &[IpGroup],
) -> Result<(Plan, String), AppError> {
    let before = find_group(groups, group_id)?;
    let after = rules_after(&before, edit)?;
    let (action, call) = match edit {
        IpGroupEdit::AddRule { .. } => (
            "ip_group.add_rule",
            IpGroupChange::AuthorizeRules {
                group_id: group_id.to_string(),
                rules: after
                    .iter()
                    .filter(|rule| !before.rules.contains(rule))
                    .cloned()
                    .collect(),
            },
        ),
        IpGroupEdit::RemoveRule { cidr, .. } => (
            "ip_group.remove_rule",
            IpGroupChange::RevokeRules {
                group_id: group_id.to_string(),
                cidrs: vec![cidr.clone()],
            },
        ),
        _ => (
            "ip_group.edit_rule",
            IpGroupChange::ReplaceRules {
                group_id: group_id.to_string(),
                rules: after.clone(),
            },
        ),
    };
    let params = json!({
        "group": before.name,
        "rules_before": describe_rules(&before.rules),
        "rules_after": describe_rules(&after),
    });
    let mut changed = before.clone();
    changed.rules = after;
    let plan = Plan::single(
        action,
        params,
        (&before.account, &before.region),
        group_id,
        Change::IpGroup(call),
        vec![put_group(&changed, Some(group_id.to_string()))],
    );
    Ok((plan, format!("Rules of {} updated", before.name)))
}

/// Plans AssociateIpGroups or DisassociateIpGroups (one group, one directory).
fn plan_association(
    edit: &IpGroupEdit,
    group_id: &str,
    directory_id: &str,
    groups: &[IpGroup],
    directories: &[Directory],
) -> Result<(Plan, String), AppError> {
    let group = find_group(groups, group_id)?;
    let mut dir = find_directory(directories, directory_id)?;
    if dir.region != group.region || dir.account != group.account {
        return Err(invalid(
            "directory",
            "the group and the directory are in different accounts or Regions",
        ));
    }
    let associate = matches!(edit, IpGroupEdit::Associate { .. });
    if associate {
        if dir.ip_group_ids.iter().any(|id| id == group_id) {
            return Err(invalid(
                "directory",
                format!("{} is already associated with {directory_id}", group.name),
            ));
        }
        if dir.ip_group_ids.len() >= MAX_GROUPS_PER_DIRECTORY {
            return Err(invalid(
                "directory",
                format!("a directory takes at most {MAX_GROUPS_PER_DIRECTORY} IP groups"),
            ));
        }
        dir.ip_group_ids.push(group_id.to_string());
    } else {
        dir.ip_group_ids.retain(|id| id != group_id);
    }
    let (action, verb, call) = if associate {
        (
            "ip_group.associate",
            "Associated",
            IpGroupChange::Associate {
                directory_id: directory_id.to_string(),
                group_id: group_id.to_string(),
            },
        )
    } else {
        (
            "ip_group.disassociate",
            "Disassociated",
            IpGroupChange::Disassociate {
                directory_id: directory_id.to_string(),
                group_id: group_id.to_string(),
            },
        )
    };
    let plan = Plan::single(
        action,
        json!({ "group": group.name, "directory": directory_id }),
        (&group.account, &group.region),
        group_id,
        Change::IpGroup(call),
        vec![CacheOp::Put {
            account: dir.account.clone(),
            region: dir.region.clone(),
            kind: ItemKind::Directory,
            id: Some(dir.id.clone()),
            item: item(&dir),
        }],
    );
    Ok((plan, format!("{verb} {} and {directory_id}", group.name)))
}

/// Applies one change and returns a sentence saying what was done. A rule change carries
/// `shown`, the rules its review page showed (see [`check_unchanged`]).
pub async fn apply(
    caller: &Caller,
    edit: IpGroupEdit,
    shown: Option<&str>,
) -> Result<String, AppError> {
    caller.require_admin()?;
    let mut groups: Vec<IpGroup> = inventory::items(caller.pool(), ItemKind::IpGroup).await?;
    let directories: Vec<Directory> = inventory::items(caller.pool(), ItemKind::Directory).await?;
    if let Some(group_id) = rule_group(&edit) {
        let shown =
            shown.ok_or_else(|| invalid("rules", "confirm rule changes on their review page"))?;
        let live = live_group(&caller.workspaces, &groups, group_id).await?;
        check_unchanged(&live, shown)?;
        groups.retain(|g| g.id != live.id);
        groups.push(live);
    }
    let planned = plan(&edit, &groups, &directories)?;
    caller.execute_single(planned).await
}

/// The IP groups in the accounts the caller may see.
pub async fn list(caller: &Caller) -> Result<Vec<IpGroup>, AppError> {
    visible_items(caller, ItemKind::IpGroup).await
}

/// The IP groups page: the groups and the directories they can be associated with.
pub async fn view(caller: &Caller) -> Result<IpGroupsView, AppError> {
    Ok(IpGroupsView {
        groups: list(caller).await?,
        directories: visible_items(caller, ItemKind::Directory).await?,
        regions: caller.places(),
        can_edit: caller.is_admin(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RuleMark;

    fn group(cidrs: &[&str]) -> IpGroup {
        IpGroup {
            id: "wsipg-1".into(),
            account: String::new(),
            region: "eu-west-1".into(),
            name: "Offices".into(),
            description: None,
            rules: cidrs
                .iter()
                .map(|c| IpRule {
                    cidr: c.to_string(),
                    description: None,
                })
                .collect(),
        }
    }

    fn cidrs(rules: &[IpRule]) -> Vec<&str> {
        rules.iter().map(|r| r.cidr.as_str()).collect()
    }

    #[test]
    fn an_edited_rule_keeps_its_place_and_the_diff_marks_it() {
        let g = group(&["10.0.0.0/8", "192.0.2.0/24", "198.51.100.0/24"]);
        let edit = IpGroupEdit::EditRule {
            group_id: g.id.clone(),
            old_cidr: "192.0.2.0/24".into(),
            cidr: "192.0.2.128/25".into(),
            description: "Lab".into(),
        };
        let after = rules_after(&g, &edit).expect("valid edit");
        assert_eq!(
            cidrs(&after),
            vec!["10.0.0.0/8", "192.0.2.128/25", "198.51.100.0/24"]
        );
        let diff = RuleDiff::new(g, after);
        let marks = |list: Vec<(IpRule, RuleMark)>| -> Vec<RuleMark> {
            list.into_iter().map(|(_, mark)| mark).collect()
        };
        assert_eq!(
            marks(diff.before_marked()),
            vec![RuleMark::Kept, RuleMark::Removed, RuleMark::Kept]
        );
        assert_eq!(
            marks(diff.after_marked()),
            vec![RuleMark::Kept, RuleMark::Added, RuleMark::Kept]
        );
    }

    #[test]
    fn rule_changes_are_refused_with_a_reason() {
        let g = group(&["10.0.0.0/8", "192.0.2.0/24"]);
        let add = |cidr: &str| IpGroupEdit::AddRule {
            group_id: g.id.clone(),
            cidr: cidr.into(),
            description: String::new(),
        };
        assert!(rules_after(&g, &add("10.0.0.0/8")).is_err(), "duplicate");
        assert!(rules_after(&g, &add("10.0.0.1/8")).is_err(), "host bits");
        assert!(rules_after(&g, &add("300.0.0.0/8")).is_err(), "not IPv4");
        let full = group(&[
            "10.0.0.0/32",
            "10.0.0.1/32",
            "10.0.0.2/32",
            "10.0.0.3/32",
            "10.0.0.4/32",
            "10.0.0.5/32",
            "10.0.0.6/32",
            "10.0.0.7/32",
            "10.0.0.8/32",
            "10.0.0.9/32",
        ]);
        let eleventh = IpGroupEdit::AddRule {
            group_id: full.id.clone(),
            cidr: "10.0.0.10/32".into(),
            description: String::new(),
        };
        match rules_after(&full, &eleventh) {
            Err(AppError::Validation { message, .. }) => assert!(message.contains("10 rules")),
            other => panic!("an 11th rule was accepted: {other:?}"),
        }
        let missing = IpGroupEdit::RemoveRule {
            group_id: g.id.clone(),
            cidr: "203.0.113.0/24".into(),
        };
        assert!(matches!(
            rules_after(&g, &missing),
            Err(AppError::NotFound(_))
        ));
        let remove = IpGroupEdit::RemoveRule {
            group_id: g.id.clone(),
            cidr: "10.0.0.0/8".into(),
        };
        assert_eq!(
            cidrs(&rules_after(&g, &remove).expect("remove")),
            vec!["192.0.2.0/24"]
        );
    }

    /// A rule is added with AuthorizeIpRules carrying that rule alone and removed with
    /// RevokeIpRules carrying its CIDR alone; only an edit replaces the rules.
    #[test]
    fn rule_changes_send_only_what_changes() {
        let g = group(&["10.0.0.0/8", "192.0.2.0/24"]);
        let call = |edit: IpGroupEdit| -> Change {
            let (planned, _) = plan(&edit, std::slice::from_ref(&g), &[]).expect("plan");
            planned.calls[0].change.clone()
        };
        assert_eq!(
            call(IpGroupEdit::AddRule {
                group_id: g.id.clone(),
                cidr: "198.51.100.0/24".into(),
                description: String::new(),
            }),
            Change::IpGroup(IpGroupChange::AuthorizeRules {
                group_id: g.id.clone(),
                rules: vec![IpRule {
                    cidr: "198.51.100.0/24".into(),
                    description: None,
                }],
            })
        );
        assert_eq!(
            call(IpGroupEdit::RemoveRule {
                group_id: g.id.clone(),
                cidr: "10.0.0.0/8".into(),
            }),
            Change::IpGroup(IpGroupChange::RevokeRules {
                group_id: g.id.clone(),
                cidrs: vec!["10.0.0.0/8".into()],
            })
        );
        assert!(matches!(
            call(IpGroupEdit::EditRule {
                group_id: g.id.clone(),
                old_cidr: "10.0.0.0/8".into(),
                cidr: "10.0.0.0/16".into(),
                description: String::new(),
            }),
            Change::IpGroup(IpGroupChange::ReplaceRules { rules, .. }) if rules.len() == 2
        ));
        assert!(check_unchanged(&g, &rules_fingerprint(&g.rules)).is_ok());
        assert!(check_unchanged(&g, "10.0.0.0/8 ").is_err());
    }
}
