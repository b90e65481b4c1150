//! Tags on WorkSpaces, directories, images, custom bundles, IP groups and connection
//! aliases: reading them
//! live for the tags page, and planning edits (one resource, or many WorkSpaces at once)
//! for [`changes::execute`].
//!
//! A WorkSpace's tags are the help desk's to change; the other resources' are admins'.
//! An edit sends only what the person changed (see [`TagEdit::between`]), so tags added
//! in AWS meanwhile are left alone.

use serde_json::json;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{
    Bundle, ConnectionAlias, Directory, Image, IpGroup, MAX_TAGS, ResourceTags, Role, Tag, TagEdit,
    UserInfo, Workspace,
};
use crate::server::aws::{Change, TagChange};
use crate::server::caller::Caller;
use crate::server::changes::{self, CacheOp, Call, Plan, invalid, skipped};
use crate::server::repo::inventory::{self, ItemKind};

/// The kinds of resource Fleetdesk tags, told apart by their id's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Workspace,
    Directory,
    Image,
    Bundle,
    IpGroup,
    ConnectionAlias,
}

impl TagKind {
    /// The kind of resource `id` names (`ws-`, `d-`, `wsi-`, `wsb-`, `wsipg-`, `wsca-`).
    pub fn of(id: &str) -> Option<TagKind> {
        [
            ("wsipg-", TagKind::IpGroup),
            ("wsca-", TagKind::ConnectionAlias),
            ("wsi-", TagKind::Image),
            ("wsb-", TagKind::Bundle),
            ("ws-", TagKind::Workspace),
            ("d-", TagKind::Directory),
        ]
        .into_iter()
        .find(|(prefix, _)| id.starts_with(prefix))
        .map(|(_, kind)| kind)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            TagKind::Workspace => "WorkSpace",
            TagKind::Directory => "directory",
            TagKind::Image => "image",
            TagKind::Bundle => "bundle",
            TagKind::IpGroup => "IP group",
            TagKind::ConnectionAlias => "connection alias",
        }
    }

    /// The first part of the audit action (`workspace.tags`, `directory.tags`, …).
    fn audit_name(self) -> &'static str {
        match self {
            TagKind::Workspace => "workspace",
            TagKind::Directory => "directory",
            TagKind::Image => "image",
            TagKind::Bundle => "bundle",
            TagKind::IpGroup => "ip_group",
            TagKind::ConnectionAlias => "connection_alias",
        }
    }

    /// WorkSpace tags are the help desk's; the others are admins'.
    pub fn required_role(self) -> Role {
        match self {
            TagKind::Workspace => Role::Helpdesk,
            _ => Role::Admin,
        }
    }
}

/// A cached resource that can be tagged.
#[derive(Debug, Clone, PartialEq)]
pub struct Taggable {
    pub id: String,
    pub kind: TagKind,
    pub account: String,
    pub region: String,
    pub name: Option<String>,
    /// The page that lists it.
    pub back: String,
}

/// Finds the resource `id` in the cache among the accounts `user` may use; 404 when it
/// is not there, 400 when it cannot be tagged (an Amazon bundle, a WorkSpace that is
/// gone).
pub async fn find(pool: &AnyPool, user: &UserInfo, id: &str) -> Result<Taggable, AppError> {
    let missing = || AppError::NotFound(format!("resource {id}"));
    let kind = TagKind::of(id).ok_or_else(missing)?;
    async fn cached<T: serde::de::DeserializeOwned>(
        pool: &AnyPool,
        kind: ItemKind,
        find: impl Fn(&T) -> bool,
    ) -> Result<Option<T>, AppError> {
        Ok(inventory::items::<T>(pool, kind)
            .await?
            .into_iter()
            .find(|item| find(item)))
    }
    let visible = |account: &str| user.may_use(account);
    let (account, region, name, back) = match kind {
        TagKind::Workspace => {
            let record = inventory::workspace(pool, id)
                .await?
                .filter(|record| visible(&record.workspace.account))
                .ok_or_else(missing)?;
            if record.workspace.removed_at.is_some() {
                return Err(invalid("id", "this WorkSpace is gone from AWS"));
            }
            let ws: Workspace = record.workspace;
            (
                ws.account,
                ws.region,
                Some(ws.user_name),
                format!("/workspaces/{id}"),
            )
        }
        TagKind::Directory => {
            let d: Directory = cached(pool, ItemKind::Directory, |d: &Directory| {
                d.id == id && visible(&d.account)
            })
            .await?
            .ok_or_else(missing)?;
            (
                d.account,
                d.region,
                d.name.or(d.alias),
                "/directories".to_string(),
            )
        }
        TagKind::Image => {
            let i: Image = cached(pool, ItemKind::Image, |i: &Image| {
                i.id == id && visible(&i.account)
            })
            .await?
            .ok_or_else(missing)?;
            if !i.owned {
                return Err(invalid("id", "only the owner of a shared image can tag it"));
            }
            (i.account, i.region, Some(i.name), "/images".to_string())
        }
        TagKind::Bundle => {
            let b: Bundle = cached(pool, ItemKind::Bundle, |b: &Bundle| {
                b.id == id && visible(&b.account)
            })
            .await?
            .ok_or_else(missing)?;
            // CreateTags takes custom bundles only (000_694e23744a3a4a46.txt:953).
            if b.owner.as_deref() == Some("AMAZON") {
                return Err(invalid("id", "Amazon's public bundles cannot be tagged"));
            }
            (b.account, b.region, Some(b.name), "/images".to_string())
        }
        TagKind::IpGroup => {
            let g: IpGroup = cached(pool, ItemKind::IpGroup, |g: &IpGroup| {
                g.id == id && visible(&g.account)
            })
            .await?
            .ok_or_else(missing)?;
            (g.account, g.region, Some(g.name), "/ip-groups".to_string())
        }
        TagKind::ConnectionAlias => {
            let a: ConnectionAlias =
                cached(pool, ItemKind::ConnectionAlias, |a: &ConnectionAlias| {
                    a.id == id && visible(&a.account)
                })
                .await?
                .ok_or_else(missing)?;
            (
                a.account,
                a.region,
                Some(a.connection_string),
                "/connection-aliases".to_string(),
            )
        }
    };
    Ok(Taggable {
        id: id.to_string(),
        kind,
        account,
        region,
        name,
        back,
    })
}

/// The tags page of one resource: its tags read from AWS now (a WorkSpace's are stored in
/// the cache on the way), or AWS's error.
pub async fn resource_tags(caller: &Caller, id: &str) -> Result<ResourceTags, AppError> {
    let resource = find(caller.pool(), &caller.user, id).await?;
    let api = changes::region_api(&caller.workspaces, &resource.account, &resource.region)?;
    let (tags, error) = match api.describe_tags(id).await {
        Ok(mut tags) => {
            tags.sort_by(|a, b| a.key.cmp(&b.key));
            if resource.kind == TagKind::Workspace {
                inventory::store_tags(caller.pool(), id, &tags, &inventory::now()).await?;
            }
            (Some(tags), None)
        }
        Err(error) => (None, Some(error.to_string())),
    };
    Ok(ResourceTags {
        resource_id: resource.id,
        kind: resource.kind.label().to_string(),
        region: resource.region,
        name: resource.name,
        back: resource.back,
        tags,
        error,
        can_edit: caller.user.role >= resource.kind.required_role(),
    })
}

/// The calls of one resource's edit: DeleteTags for what is removed, then CreateTags for
/// what is set, both naming the resource as their target. Deleting first lets a resource
/// at the 50-tag limit (000_694e23744a3a4a46.txt:963; CreateTags fails with
/// ResourceLimitExceededException, :1015) have a key renamed; the executor sends the
/// CreateTags only after the DeleteTags succeeded.
fn tag_calls((account, region): (&str, &str), id: &str, edit: &TagEdit) -> Vec<Call> {
    let mut changes = Vec::new();
    if !edit.remove.is_empty() {
        changes.push(TagChange::Delete {
            resource_id: id.to_string(),
            keys: edit.remove.clone(),
        });
    }
    if !edit.set.is_empty() {
        changes.push(TagChange::Create {
            resource_id: id.to_string(),
            tags: edit.set.clone(),
        });
    }
    changes
        .into_iter()
        .map(|change| Call {
            account: account.to_string(),
            region: region.to_string(),
            change: Change::Tags(change),
            targets: vec![id.to_string()],
        })
        .collect()
}

fn lines(tags: &[Tag]) -> Vec<String> {
    tags.iter().map(Tag::as_line).collect()
}

/// Plans the edit of one resource from the tags its page showed to the tags asked for.
/// Pure: no database, no AWS.
pub fn plan_edit(
    resource: &Taggable,
    shown: &[Tag],
    wanted: &[Tag],
    reason: &str,
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(reason)?;
    if wanted.len() > MAX_TAGS {
        return Err(invalid(
            "tags",
            format!("a resource takes at most {MAX_TAGS} tags"),
        ));
    }
    let edit = TagEdit::between(shown, wanted);
    if edit.is_empty() {
        return Err(invalid(
            "tags",
            "the tags are as they were; nothing to change",
        ));
    }
    let cache = match resource.kind {
        TagKind::Workspace => vec![(
            resource.id.clone(),
            CacheOp::EditTags {
                workspace_id: resource.id.clone(),
                edit: edit.clone(),
            },
        )],
        _ => Vec::new(),
    };
    let done = format!(
        "Tags of {} {} saved: {} set, {} removed.",
        resource.kind.label(),
        resource.id,
        edit.set.len(),
        edit.remove.len()
    );
    let plan = Plan {
        action: format!("{}.tags", resource.kind.audit_name()),
        params: json!({
            "resource_id": resource.id,
            "before": lines(shown),
            "after": lines(wanted),
            "set": lines(&edit.set),
            "remove": edit.remove,
        }),
        reason: Some(reason),
        calls: tag_calls((&resource.account, &resource.region), &resource.id, &edit),
        skipped: Vec::new(),
        cache,
    };
    Ok((plan, done))
}

/// Most WorkSpaces one bulk tag edit takes (each is one or two calls).
pub const MAX_BULK_TAG_TARGETS: usize = 500;

/// Plans the same edit on many WorkSpaces. `cached` holds each cached WorkSpace with its
/// cached tags (`None`: not loaded yet). A WorkSpace that is not cached or gone is
/// skipped, as is one the edit would take over 50 tags. Pure: no database, no AWS.
pub fn plan_bulk(
    ids: &[String],
    cached: &[(Workspace, Option<Vec<Tag>>)],
    edit: &TagEdit,
    reason: &str,
) -> Result<Plan, AppError> {
    let reason = changes::reason(reason)?;
    if edit.is_empty() {
        return Err(invalid("tags", "name tags to set or keys to remove"));
    }
    if let Some(conflict) = edit.conflict() {
        return Err(invalid("tags", conflict));
    }
    let mut ids: Vec<&String> = ids.iter().filter(|id| !id.trim().is_empty()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(invalid("ids", "select at least one WorkSpace"));
    }
    if ids.len() > MAX_BULK_TAG_TARGETS {
        return Err(invalid(
            "ids",
            format!("select at most {MAX_BULK_TAG_TARGETS} WorkSpaces"),
        ));
    }
    let mut plan = Plan {
        action: "workspace.tags".into(),
        params: json!({ "set": lines(&edit.set), "remove": edit.remove }),
        reason: Some(reason),
        calls: Vec::new(),
        skipped: Vec::new(),
        cache: Vec::new(),
    };
    for id in ids {
        let Some((ws, tags)) = cached.iter().find(|(ws, _)| &ws.id == id) else {
            plan.skipped
                .push(skipped(id, None, "not in the inventory (run a sync)"));
            continue;
        };
        if ws.removed_at.is_some() {
            plan.skipped
                .push(skipped(id, Some(&ws.region), "gone from AWS"));
            continue;
        }
        if let Some(before) = tags {
            let count = edit.apply(before).len();
            if count > MAX_TAGS {
                plan.skipped.push(skipped(
                    id,
                    Some(&ws.region),
                    format!("would have {count} tags; a WorkSpace takes at most {MAX_TAGS}"),
                ));
                continue;
            }
        }
        plan.calls
            .extend(tag_calls((&ws.account, &ws.region), id, edit));
        plan.cache.push((
            id.clone(),
            CacheOp::EditTags {
                workspace_id: id.clone(),
                edit: edit.clone(),
            },
        ));
    }
    Ok(plan)
}

/// Saves the tags asked for on one resource (the tags page's form).
pub async fn edit(
    caller: &Caller,
    id: &str,
    shown: &[Tag],
    wanted: &[Tag],
    reason: &str,
) -> Result<String, AppError> {
    let resource = find(caller.pool(), &caller.user, id).await?;
    if caller.user.role < resource.kind.required_role() {
        return Err(AppError::Forbidden);
    }
    let planned = plan_edit(&resource, shown, wanted, reason)?;
    caller.execute_single(planned).await
}

/// Runs one edit on many WorkSpaces (the bulk tag review page).
pub async fn edit_many(
    caller: &Caller,
    ids: &[String],
    edit: &TagEdit,
    reason: &str,
) -> Result<crate::model::ActionReport, AppError> {
    let mut cached = inventory::workspaces_with_tags(caller.pool(), ids).await?;
    // WorkSpaces in accounts the &caller.user may not use are not in their inventory.
    cached.retain(|(ws, _)| caller.user.may_use(&ws.account));
    let mut plan = plan_bulk(ids, &cached, edit, reason)?;
    let label = "Edit tags";
    plan.describe("label", label);
    let executed = caller.execute(plan).await?;
    Ok(crate::server::actions::report(label, executed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkspaceState;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    fn resource(id: &str) -> Taggable {
        Taggable {
            id: id.into(),
            kind: TagKind::of(id).expect("kind"),
            account: String::new(),
            region: "eu-west-1".into(),
            name: None,
            back: "/".into(),
        }
    }

    fn workspace(id: &str) -> Workspace {
        crate::server::actions::tests::workspace(id, WorkspaceState::Available, "AUTO_STOP")
    }

    #[test]
    fn resources_are_told_apart_by_their_id_prefix() {
        assert_eq!(TagKind::of("ws-abc"), Some(TagKind::Workspace));
        assert_eq!(TagKind::of("wsb-abc"), Some(TagKind::Bundle));
        assert_eq!(TagKind::of("wsi-abc"), Some(TagKind::Image));
        assert_eq!(TagKind::of("wsipg-abc"), Some(TagKind::IpGroup));
        assert_eq!(TagKind::of("wsca-abc"), Some(TagKind::ConnectionAlias));
        assert_eq!(TagKind::of("d-1234567890"), Some(TagKind::Directory));
        assert_eq!(TagKind::of("i-123"), None);
        assert_eq!(TagKind::Workspace.required_role(), Role::Helpdesk);
        assert_eq!(TagKind::Directory.required_role(), Role::Admin);
    }

    #[test]
    fn an_edit_creates_and_deletes_only_what_changed_and_is_audited_with_before_and_after() {
        let shown = [tag("A", "1"), tag("B", "2")];
        let wanted = [tag("A", "1"), tag("C", "3")];
        let (plan, _) =
            plan_edit(&resource("d-1234567890"), &shown, &wanted, " INC-1 ").expect("plan");
        assert_eq!(plan.action, "directory.tags");
        assert_eq!(plan.reason.as_deref(), Some("INC-1"));
        let changes: Vec<&Change> = plan.calls.iter().map(|c| &c.change).collect();
        assert_eq!(
            changes,
            vec![
                &Change::Tags(TagChange::Delete {
                    resource_id: "d-1234567890".into(),
                    keys: vec!["B".into()],
                }),
                &Change::Tags(TagChange::Create {
                    resource_id: "d-1234567890".into(),
                    tags: vec![tag("C", "3")],
                }),
            ],
            "DeleteTags first, so a resource at the 50-tag limit (000_694e23744a3a4a46.txt:963) \
             can have a key renamed"
        );
        assert_eq!(plan.params["before"], json!(["A=1", "B=2"]));
        assert_eq!(plan.params["after"], json!(["A=1", "C=3"]));
        assert!(plan.cache.is_empty(), "only WorkSpace tags are cached");

        let (ws_plan, _) = plan_edit(&resource("ws-1"), &shown, &wanted, "INC-1").expect("plan");
        assert_eq!(ws_plan.action, "workspace.tags");
        assert_eq!(ws_plan.cache.len(), 1);
    }

    #[test]
    fn an_edit_needs_a_reason_and_a_change() {
        let shown = [tag("A", "1")];
        assert!(plan_edit(&resource("ws-1"), &shown, &shown, "INC-1").is_err());
        assert!(plan_edit(&resource("ws-1"), &shown, &[], " ").is_err());
        let only_removal = plan_edit(&resource("ws-1"), &shown, &[], "INC-1")
            .expect("plan")
            .0;
        assert_eq!(only_removal.calls.len(), 1);
    }

    #[test]
    fn a_bulk_edit_skips_what_cannot_take_it() {
        let edit = TagEdit {
            set: vec![tag("Team", "blue")],
            remove: vec!["Old".into()],
        };
        let full: Vec<Tag> = (0..50).map(|n| tag(&format!("k{n}"), "v")).collect();
        let mut gone = workspace("ws-gone");
        gone.removed_at = Some("2026-01-01T00:00:00Z".into());
        let cached = vec![
            (workspace("ws-a"), Some(vec![tag("Old", "x")])),
            (workspace("ws-b"), None),
            (workspace("ws-full"), Some(full)),
            (gone, Some(Vec::new())),
        ];
        let ids: Vec<String> = ["ws-a", "ws-b", "ws-full", "ws-gone", "ws-unknown", "ws-a"]
            .into_iter()
            .map(String::from)
            .collect();
        let plan = plan_bulk(&ids, &cached, &edit, "CHG-7").expect("plan");
        let called: Vec<&str> = plan.calls.iter().map(|c| c.targets[0].as_str()).collect();
        assert_eq!(called, vec!["ws-a", "ws-a", "ws-b", "ws-b"]);
        let skipped: Vec<&str> = plan.skipped.iter().map(|s| s.target.as_str()).collect();
        assert_eq!(skipped, vec!["ws-full", "ws-gone", "ws-unknown"]);
        assert!(
            plan.skipped[0]
                .error_message
                .as_deref()
                .is_some_and(|m| m.contains("51 tags"))
        );
        let conflicting = TagEdit {
            set: vec![tag("A", "1")],
            remove: vec!["A".into()],
        };
        assert!(plan_bulk(&ids, &cached, &conflicting, "CHG-7").is_err());
    }
}
