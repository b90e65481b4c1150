//! IP access control group changes through the real SDK against the in-process
//! emulator: validation, cache, audit with before and after.

use crate::common::user;
use app::error::AppError;
use app::model::{Directory, IpGroup, Role};
use app::server::auth::Client;
use app::server::ip_groups::{IpGroupEdit, apply, preview};
use app::server::repo::{audit, inventory};

#[tokio::test]
async fn an_admin_creates_a_group_adds_rules_and_associates_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let (pool, regions, client) = (&state.pool, state.regions.as_slice(), Client::default());
    let create = IpGroupEdit::Create {
        region: "eu-west-1".into(),
        name: "Support office".into(),
        description: "Lisbon".into(),
    };
    apply(pool, regions, &user(Role::Admin), &client, create)
        .await
        .expect("create");
    let groups: Vec<IpGroup> = inventory::items(pool, inventory::ItemKind::IpGroup)
        .await
        .expect("groups");
    let group = groups
        .iter()
        .find(|g| g.name == "Support office")
        .expect("cached")
        .clone();
    assert!(group.id.starts_with("wsipg-"), "{}", group.id);

    let bad = IpGroupEdit::AddRule {
        group_id: group.id.clone(),
        cidr: "198.51.100.7/24".into(),
        description: String::new(),
    };
    match apply(pool, regions, &user(Role::Admin), &client, bad).await {
        Err(AppError::Validation { message, .. }) => {
            assert!(message.contains("198.51.100.0/24"), "{message}")
        }
        other => panic!("host bits accepted: {other:?}"),
    }
    let add = IpGroupEdit::AddRule {
        group_id: group.id.clone(),
        cidr: "198.51.100.0/24".into(),
        description: "Lisbon".into(),
    };
    apply(pool, regions, &user(Role::Admin), &client, add.clone())
        .await
        .expect("add");
    assert!(
        apply(pool, regions, &user(Role::Admin), &client, add)
            .await
            .is_err(),
        "duplicates are refused"
    );

    let associate = IpGroupEdit::Associate {
        group_id: group.id.clone(),
        directory_id: "d-93670c1e5a".into(),
    };
    apply(pool, regions, &user(Role::Admin), &client, associate)
        .await
        .expect("associate");
    let directories: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    let corp = directories
        .iter()
        .find(|d| d.id == "d-93670c1e5a")
        .expect("dir");
    assert!(corp.ip_group_ids.contains(&group.id));
    let delete = IpGroupEdit::Delete {
        group_id: group.id.clone(),
    };
    assert!(
        apply(pool, regions, &user(Role::Admin), &client, delete)
            .await
            .is_err(),
        "an associated group is not deleted"
    );

    // The emulator holds the rule; the audit log holds before and after.
    let out = aws_rules(&state, &group.id).await;
    assert_eq!(out, vec!["198.51.100.0/24".to_string()]);
    let (entries, _) = audit::list(
        pool,
        &app::model::AuditQuery {
            action: "ip_group.add_rule".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("audit");
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].params.contains("rules_before")
            && entries[0].params.contains("198.51.100.0/24 (Lisbon)")
    );

    let helpdesk = user(Role::Helpdesk);
    let refused = apply(
        pool,
        regions,
        &helpdesk,
        &client,
        IpGroupEdit::Delete {
            group_id: group.id.clone(),
        },
    )
    .await;
    assert_eq!(refused.err(), Some(AppError::Forbidden));
}

/// The rules the emulator holds for a group, through the SDK adapter.
async fn aws_rules(state: &app::server::state::AppState, group_id: &str) -> Vec<String> {
    let api = state.region("eu-west-1").expect("region");
    let groups = app::server::aws::all_pages(|t| api.describe_ip_groups(t))
        .await
        .expect("groups");
    groups
        .into_iter()
        .find(|g| g.id == group_id)
        .expect("group")
        .rules
        .into_iter()
        .map(|r| r.cidr)
        .collect()
}

#[tokio::test]
async fn a_rule_change_is_previewed_without_touching_aws_or_the_audit_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let pool = &state.pool;
    let groups: Vec<IpGroup> = inventory::items(pool, inventory::ItemKind::IpGroup)
        .await
        .expect("groups");
    let group = groups
        .iter()
        .find(|g| g.region == "eu-west-1" && !g.rules.is_empty())
        .expect("a demo group with rules");
    let add = IpGroupEdit::AddRule {
        group_id: group.id.clone(),
        cidr: "203.0.113.0/28".into(),
        description: "New office".into(),
    };
    let viewer = user(Role::Viewer);
    assert_eq!(
        preview(pool, &viewer, &add).await.err(),
        Some(AppError::Forbidden)
    );
    let diff = preview(pool, &user(Role::Admin), &add)
        .await
        .expect("preview");
    assert_eq!(diff.before, group.rules);
    assert_eq!(diff.after.len(), group.rules.len() + 1);
    assert_eq!(
        diff.after.last().map(|r| r.cidr.as_str()),
        Some("203.0.113.0/28")
    );
    let before_in_aws = aws_rules(&state, &group.id).await;
    assert!(!before_in_aws.contains(&"203.0.113.0/28".to_string()));
    let (entries, _) = audit::list(pool, &app::model::AuditQuery::default(), None)
        .await
        .expect("audit");
    assert!(entries.iter().all(|e| !e.action.starts_with("ip_group")));
}
