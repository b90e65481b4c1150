//! IP access control group changes through the real SDK against the in-process
//! emulator: validation, cache, audit with before and after.

use crate::common::user;
use app::error::AppError;
use app::model::{Directory, IpGroup, Role};
use app::server::ip_groups::{IpGroupEdit, apply, preview};
use app::server::repo::{audit, inventory};

#[tokio::test]
async fn an_admin_creates_a_group_adds_rules_and_associates_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let pool = &state.pool;
    let create = IpGroupEdit::Create {
        place: "eu-west-1".into(),
        name: "Support office".into(),
        description: "Lisbon".into(),
    };
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        create,
        None,
    )
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
    let shown = shown(&state, &group.id).await;
    match apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        bad,
        Some(&shown),
    )
    .await
    {
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
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        add.clone(),
        Some(&shown),
    )
    .await
    .expect("add");
    let shown_now = self::shown(&state, &group.id).await;
    assert!(
        apply(
            &crate::common::caller(&state, &user(Role::Admin)),
            add,
            Some(&shown_now)
        )
        .await
        .is_err(),
        "duplicates are refused"
    );

    let associate = IpGroupEdit::Associate {
        group_id: group.id.clone(),
        directory_id: "d-93670c1e5a".into(),
    };
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        associate,
        None,
    )
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
        apply(
            &crate::common::caller(&state, &user(Role::Admin)),
            delete,
            None
        )
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
        &crate::common::caller(&state, &helpdesk),
        IpGroupEdit::Delete {
            group_id: group.id.clone(),
        },
        None,
    )
    .await;
    assert_eq!(refused.err(), Some(AppError::Forbidden));
}

/// The rules of a group as its review page shows them (read from AWS).
async fn shown(state: &app::server::state::AppState, group_id: &str) -> String {
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    let group = api
        .describe_ip_group(group_id)
        .await
        .expect("describe")
        .expect("group");
    app::model::rules_fingerprint(&group.rules)
}

/// The rules the emulator holds for a group, through the SDK adapter.
async fn aws_rules(state: &app::server::state::AppState, group_id: &str) -> Vec<String> {
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
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
        preview(&crate::common::caller(&state, &viewer), &add)
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    let diff = preview(&crate::common::caller(&state, &user(Role::Admin)), &add)
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

/// 000_694e23744a3a4a46.txt:6926: UpdateRulesOfIpGroup replaces every rule, so rules are
/// added and removed one by one (AuthorizeIpRules / RevokeIpRules) and a rule someone
/// added in AWS after the last sync survives; an edit in place (a full replace) is
/// refused when the group changed since its review page.
#[tokio::test]
async fn rule_changes_never_overwrite_rules_the_cache_has_not_seen() {
    use app::server::aws::{Change, IpGroupChange};
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let pool = &state.pool;
    let groups: Vec<IpGroup> = inventory::items(pool, inventory::ItemKind::IpGroup)
        .await
        .expect("groups");
    let group = groups
        .iter()
        .find(|g| g.region == "eu-west-1" && !g.rules.is_empty())
        .expect("a demo group with rules")
        .clone();
    let review = shown(&state, &group.id).await;

    // Someone adds a rule in the AWS console after the last sync.
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    api.apply(&Change::IpGroup(IpGroupChange::AuthorizeRules {
        group_id: group.id.clone(),
        rules: vec![app::model::IpRule {
            cidr: "192.0.2.0/24".into(),
            description: Some("added in the console".into()),
        }],
    }))
    .await
    .expect("outside change");

    // An edit in place reviewed before that change is refused, and nothing changes.
    let edit = IpGroupEdit::EditRule {
        group_id: group.id.clone(),
        old_cidr: group.rules[0].cidr.clone(),
        cidr: "198.51.100.0/25".into(),
        description: String::new(),
    };
    match apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        edit.clone(),
        Some(&review),
    )
    .await
    {
        Err(AppError::Validation { message, .. }) => {
            assert!(message.contains("changed in AWS"), "{message}")
        }
        other => panic!("a stale edit went through: {other:?}"),
    }
    assert!(
        aws_rules(&state, &group.id)
            .await
            .contains(&"192.0.2.0/24".to_string())
    );

    // Adding a rule keeps the console's rule: AuthorizeIpRules adds, it does not replace.
    let fresh = shown(&state, &group.id).await;
    let add = IpGroupEdit::AddRule {
        group_id: group.id.clone(),
        cidr: "203.0.113.64/26".into(),
        description: "Branch".into(),
    };
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        add,
        Some(&fresh),
    )
    .await
    .expect("add");
    let rules = aws_rules(&state, &group.id).await;
    assert!(rules.contains(&"192.0.2.0/24".to_string()), "{rules:?}");
    assert!(rules.contains(&"203.0.113.64/26".to_string()), "{rules:?}");

    // Removing one rule leaves the others, the console's included.
    let fresh = shown(&state, &group.id).await;
    let remove = IpGroupEdit::RemoveRule {
        group_id: group.id.clone(),
        cidr: "203.0.113.64/26".into(),
    };
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        remove,
        Some(&fresh),
    )
    .await
    .expect("remove");
    let rules = aws_rules(&state, &group.id).await;
    assert!(!rules.contains(&"203.0.113.64/26".to_string()), "{rules:?}");
    assert!(rules.contains(&"192.0.2.0/24".to_string()), "{rules:?}");

    // A rule change without the rules its review page showed is refused.
    let unreviewed = IpGroupEdit::RemoveRule {
        group_id: group.id.clone(),
        cidr: "192.0.2.0/24".into(),
    };
    assert!(matches!(
        apply(
            &crate::common::caller(&state, &user(Role::Admin)),
            unreviewed,
            None
        )
        .await,
        Err(AppError::Validation { .. })
    ));
}
