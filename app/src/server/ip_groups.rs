//! Changing IP access control groups (admin): create and delete groups, add, edit and
//! remove rules, associate groups with directories. Like the WorkSpace actions, each
//! change is audited `pending` before AWS is called and finished in the transaction that
//! updates the cache; rule changes record the rules before and after.

use serde_json::json;
use sqlx::SqlitePool;

use crate::cidr::parse_rule;
use crate::error::AppError;
use crate::model::{
    Directory, IpGroup, IpRule, MAX_GROUPS_PER_DIRECTORY, MAX_RULES_PER_GROUP, Role, UserInfo,
};
use crate::server::auth::Client;
use crate::server::aws::{IpGroupChange, WorkspacesApi};
use crate::server::changes::{CacheOp, audited, item};
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
        IpGroupEdit::AddRule {
            group_id,
            cidr,
            description,
        }
        | IpGroupEdit::EditRule {
            group_id,
            cidr,
            description,
            ..
        } => {
            let mut group = group(group_id)?;
            let before = group.rules.clone();
            if let IpGroupEdit::EditRule { old_cidr, .. } = &edit {
                let position = group
                    .rules
                    .iter()
                    .position(|r| r.cidr == *old_cidr)
                    .ok_or_else(|| AppError::NotFound(format!("rule {old_cidr}")))?;
                group.rules.remove(position);
            } else if group.rules.len() >= MAX_RULES_PER_GROUP {
                return Err(invalid(
                    "cidr",
                    format!("a group holds at most {MAX_RULES_PER_GROUP} rules; use another group"),
                ));
            }
            let rule = new_rule(&group.rules, cidr, description)?;
            group.rules.push(rule);
            let change = IpGroupChange::SetRules {
                group_id: group_id.clone(),
                rules: group.rules.clone(),
            };
            let params = json!({ "group": group.name, "rules_before": describe_rules(&before), "rules_after": describe_rules(&group.rules) });
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
        IpGroupEdit::RemoveRule { group_id, cidr } => {
            let mut group = group(group_id)?;
            let before = group.rules.clone();
            group.rules.retain(|r| r.cidr != *cidr);
            if group.rules.len() == before.len() {
                return Err(AppError::NotFound(format!("rule {cidr}")));
            }
            let change = IpGroupChange::SetRules {
                group_id: group_id.clone(),
                rules: group.rules.clone(),
            };
            let params = json!({ "group": group.name, "rules_before": describe_rules(&before), "rules_after": describe_rules(&group.rules) });
            let done = format!("Removed {cidr} from {}", group.name);
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
    let api = regions
        .iter()
        .find(|api| api.region() == region)
        .ok_or_else(|| invalid("region", format!("{region} is not configured")))?;

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
