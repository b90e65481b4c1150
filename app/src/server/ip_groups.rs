//! Changing IP access control groups (admin): create and delete groups, add, edit and
//! remove rules, associate groups with directories. Like the WorkSpace actions, each
//! change is audited `pending` before AWS is called and finished in the transaction that
//! updates the cache; rule changes record the rules before and after.

use serde_json::json;
use sqlx::SqlitePool;

use crate::cidr::parse_rule;
use crate::error::AppError;
use crate::model::{
    Directory, IpGroup, IpRule, MAX_GROUPS_PER_DIRECTORY, MAX_RULES_PER_GROUP, Role, RuleDiff,
    UserInfo,
};
use crate::server::auth::Client;
use crate::server::aws::{IpGroupChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item, region_api};
use crate::server::repo::audit::NewEntry;
use crate::server::repo::inventory::{self, ItemKind};

/// One change an admin asks for.
#[derive(Debug, Clone)]
pub enum IpGroupEdit {
    Create {
        region: String,
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

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation {
        field: field.into(),
        message: message.into(),
    }
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

/// The rules of a group before and after a rule edit, for the confirmation page. Nothing
/// is sent to AWS.
pub async fn preview(
    pool: &SqlitePool,
    user: &UserInfo,
    edit: &IpGroupEdit,
) -> Result<RuleDiff, AppError> {
    if user.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let group_id = match edit {
        IpGroupEdit::AddRule { group_id, .. }
        | IpGroupEdit::EditRule { group_id, .. }
        | IpGroupEdit::RemoveRule { group_id, .. } => group_id,
        _ => return Err(invalid("op", "not a rule change")),
    };
    let groups: Vec<IpGroup> = inventory::items(pool, ItemKind::IpGroup).await?;
    let group = groups
        .into_iter()
        .find(|g| g.id == *group_id)
        .ok_or_else(|| AppError::NotFound(format!("IP group {group_id}")))?;
    let after = rules_after(&group, edit)?;
    Ok(RuleDiff::new(group, after))
}

/// What the cache should look like once AWS has accepted the change.
enum CacheUpdate {
    PutGroup(IpGroup),
    DeleteGroup(IpGroup),
    PutDirectory(Directory),
}

/// Applies one change and returns a sentence saying what was done.
pub async fn apply(
    pool: &SqlitePool,
    regions: &[std::sync::Arc<dyn WorkspacesApi>],
    user: &UserInfo,
    client: &Client,
    edit: IpGroupEdit,
) -> Result<String, AppError> {
    if user.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let groups: Vec<IpGroup> = inventory::items(pool, ItemKind::IpGroup).await?;
    let directories: Vec<Directory> = inventory::items(pool, ItemKind::Directory).await?;
    let group = |id: &str| {
        groups
            .iter()
            .find(|g| g.id == id)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("IP group {id}")))
    };
    let directory = |id: &str| {
        directories
            .iter()
            .find(|d| d.id == id)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("directory {id}")))
    };

    // Validate and work out the call, the audit parameters and the cache update.
    let (region, target, change, params, update, done) = match &edit {
        IpGroupEdit::Create {
            region,
            name,
            description,
        } => {
            let name = name.trim();
            if name.is_empty() || name.len() > 100 {
                return Err(invalid(
                    "name",
                    "give the group a name of up to 100 characters",
                ));
            }
            if groups.iter().any(|g| g.region == *region && g.name == name) {
                return Err(invalid(
                    "name",
                    format!("{region} already has a group named {name}"),
                ));
            }
            let description = Some(description.trim().to_string()).filter(|d| !d.is_empty());
            let change = IpGroupChange::Create {
                name: name.into(),
                description: description.clone(),
                rules: Vec::new(),
            };
            let group = IpGroup {
                id: String::new(),
                region: region.clone(),
                name: name.into(),
                description,
                rules: Vec::new(),
            };
            (
                region.clone(),
                name.to_string(),
                change,
                json!({ "name": name, "region": region }),
                CacheUpdate::PutGroup(group),
                format!("Created {name}"),
            )
        }
        IpGroupEdit::Delete { group_id } => {
            let group = group(group_id)?;
            let used_by: Vec<&str> = directories
                .iter()
                .filter(|d| d.ip_group_ids.contains(group_id))
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
            let change = IpGroupChange::Delete {
                group_id: group_id.clone(),
            };
            let params =
                json!({ "group": group.name, "rules_before": describe_rules(&group.rules) });
            (
                group.region.clone(),
                group_id.clone(),
                change,
                params,
                CacheUpdate::DeleteGroup(group.clone()),
                format!("Deleted {}", group.name),
            )
        }
        IpGroupEdit::AddRule { group_id, .. }
        | IpGroupEdit::EditRule { group_id, .. }
        | IpGroupEdit::RemoveRule { group_id, .. } => {
            let mut group = group(group_id)?;
            let after = rules_after(&group, &edit)?;
            let change = IpGroupChange::SetRules {
                group_id: group_id.clone(),
                rules: after.clone(),
            };
            let params = json!({ "group": group.name, "rules_before": describe_rules(&group.rules), "rules_after": describe_rules(&after) });
            group.rules = after;
            let done = format!("Rules of {} updated", group.name);
            (
                group.region.clone(),
                group_id.clone(),
                change,
                params,
                CacheUpdate::PutGroup(group),
                done,
            )
        }
        IpGroupEdit::Associate {
            group_id,
            directory_id,
        }
        | IpGroupEdit::Disassociate {
            group_id,
            directory_id,
        } => {
            let group = group(group_id)?;
            let mut dir = directory(directory_id)?;
            if dir.region != group.region {
                return Err(invalid(
                    "directory",
                    "the group and the directory are in different Regions",
                ));
            }
            let associate = matches!(edit, IpGroupEdit::Associate { .. });
            if associate {
                if dir.ip_group_ids.contains(group_id) {
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
                dir.ip_group_ids.push(group_id.clone());
            } else {
                dir.ip_group_ids.retain(|id| id != group_id);
            }
            let change = if associate {
                IpGroupChange::Associate {
                    directory_id: directory_id.clone(),
                    group_id: group_id.clone(),
                }
            } else {
                IpGroupChange::Disassociate {
                    directory_id: directory_id.clone(),
                    group_id: group_id.clone(),
                }
            };
            let verb = if associate {
                "Associated"
            } else {
                "Disassociated"
            };
            let done = format!("{verb} {} and {directory_id}", group.name);
            (
                group.region.clone(),
                group_id.clone(),
                change,
                json!({ "group": group.name, "directory": directory_id }),
                CacheUpdate::PutDirectory(dir),
                done,
            )
        }
    };
    let api = region_api(regions, &region)?;

    let action = match &edit {
        IpGroupEdit::Create { .. } => "ip_group.create",
        IpGroupEdit::Delete { .. } => "ip_group.delete",
        IpGroupEdit::AddRule { .. } => "ip_group.add_rule",
        IpGroupEdit::EditRule { .. } => "ip_group.edit_rule",
        IpGroupEdit::RemoveRule { .. } => "ip_group.remove_rule",
        IpGroupEdit::Associate { .. } => "ip_group.associate",
        IpGroupEdit::Disassociate { .. } => "ip_group.disassociate",
    };
    let entry = NewEntry {
        action: action.into(),
        params,
        reason: None,
    };
    let actor = client.actor(Some(user), &user.name);
    let cache_region = region.clone();
    let directory_target = target.clone();
    audited(
        pool,
        &actor,
        entry,
        &region,
        &target,
        api.change_ip_group(&change),
        move |created| {
            let put = |kind, id: &str, value| CacheOp::Put {
                region: cache_region.clone(),
                kind,
                id: id.to_string(),
                item: value,
            };
            match update {
                CacheUpdate::PutGroup(mut group) => {
                    if let Some(id) = created {
                        group.id = id.clone();
                    }
                    (
                        group.id.clone(),
                        vec![put(ItemKind::IpGroup, &group.id, item(&group))],
                    )
                }
                CacheUpdate::DeleteGroup(group) => (
                    group.id.clone(),
                    vec![CacheOp::Delete {
                        region: cache_region.clone(),
                        kind: ItemKind::IpGroup,
                        id: group.id.clone(),
                    }],
                ),
                CacheUpdate::PutDirectory(dir) => (
                    directory_target,
                    vec![put(ItemKind::Directory, &dir.id, item(&dir))],
                ),
            }
        },
    )
    .await?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RuleMark;

    fn group(cidrs: &[&str]) -> IpGroup {
        IpGroup {
            id: "wsipg-1".into(),
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
}
