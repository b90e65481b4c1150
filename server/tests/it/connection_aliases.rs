//! Connection aliases and client settings through the real SDK against the in-process
//! emulator: the sync fills the cache, changes are refused before AWS when the reference
//! says they cannot work, and what is sent is audited and cached. Also the SDK adapter's
//! requests and answers for these operations, and the HTTP layer's answers.

use std::sync::Arc;

use crate::auth::{cookie_for, post, send, with_users};
use crate::common::user;
use app::error::AppError;
use app::model::{AuditQuery, ClientProperties, ConnectionAlias, Directory, Role};
use app::server::aws::{AliasChange, Change, DirectoryChange, WorkspacesApi};
use app::server::connection_aliases::{AliasEdit, apply};
use app::server::repo::{audit, inventory};
use aws_smithy_mocks::{mock, mock_client};
use axum::http::StatusCode;
use server::aws_sdk::SdkWorkspaces;

const CORP: &str = "d-93670c1e5a";
const CONTRACTORS: &str = "d-936a2b77c1";

async fn cached_aliases(pool: &sqlx::AnyPool) -> Vec<ConnectionAlias> {
    inventory::items(pool, inventory::ItemKind::ConnectionAlias)
        .await
        .expect("aliases")
}

async fn audited(pool: &sqlx::AnyPool, action: &str) -> Vec<app::model::AuditEntry> {
    let query = AuditQuery {
        action: action.into(),
        ..Default::default()
    };
    audit::list(pool, &query, None).await.expect("audit").0
}

#[tokio::test]
async fn the_sync_caches_aliases_with_their_sharing_and_directories_with_client_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let aliases = cached_aliases(&state.pool).await;
    assert_eq!(aliases.len(), 3, "{aliases:?}");
    let partners = aliases
        .iter()
        .find(|a| a.connection_string == "partners.example.com")
        .expect("shared demo alias");
    assert_eq!(partners.shared_with(), vec!["210987654321"]);
    let eu_desktop = aliases
        .iter()
        .find(|a| a.connection_string == "desktop.example.com" && a.region == "eu-west-1")
        .expect("associated demo alias");
    assert_eq!(
        eu_desktop
            .active_associations()
            .filter_map(|a| a.resource_id.as_deref())
            .collect::<Vec<_>>(),
        vec![CORP]
    );
    let directories: Vec<Directory> = inventory::items(&state.pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    let client = |id: &str| {
        directories
            .iter()
            .find(|d| d.id == id)
            .and_then(|d| d.client)
            .expect("client settings")
    };
    assert_eq!(client(CORP).reconnect, Some(true));
    assert_eq!(client(CONTRACTORS).reconnect, Some(false));
    let statuses = inventory::sync_statuses(&state.pool)
        .await
        .expect("statuses");
    assert!(
        statuses
            .iter()
            .any(|s| s.resource == "connection_aliases" && s.last_error.is_none()),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_admin_creates_associates_shares_and_deletes_an_alias() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let pool = &state.pool;
    let admin = user(Role::Admin);
    let caller = crate::common::caller(&state, &admin);
    let run = |edit: AliasEdit| apply(&caller, edit);

    // Refused before AWS: not an FQDN; nothing is audited.
    let bad = AliasEdit::Create {
        place: "eu-west-1".into(),
        connection_string: "desktop".into(),
        tags: String::new(),
    };
    assert!(matches!(run(bad).await, Err(AppError::Validation { .. })));
    assert!(audited(pool, "connection_alias.create").await.is_empty());

    run(AliasEdit::Create {
        place: "eu-west-1".into(),
        connection_string: "Failover.Example.org".into(),
        tags: "Team=EUC".into(),
    })
    .await
    .expect("create");
    let alias = cached_aliases(pool)
        .await
        .into_iter()
        .find(|a| a.connection_string == "failover.example.org")
        .expect("cached under the id AWS created");
    assert!(alias.id.starts_with("wsca-"), "{}", alias.id);
    assert!(
        alias.owner_account_id.is_some(),
        "the new alias is read back from AWS"
    );
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    let live = api
        .describe_connection_alias(&alias.id)
        .await
        .expect("describe")
        .expect("in the emulator");
    assert_eq!(live.connection_string, "failover.example.org");

    let done = run(AliasEdit::Associate {
        alias_id: alias.id.clone(),
        directory_id: CONTRACTORS.into(),
    })
    .await
    .expect("associate");
    assert!(done.contains("connection identifier"), "{done}");
    let live = api
        .describe_connection_alias(&alias.id)
        .await
        .expect("describe")
        .expect("alias");
    assert_eq!(
        live.associations[0].resource_id.as_deref(),
        Some(CONTRACTORS)
    );
    let cached = cached_aliases(pool)
        .await
        .into_iter()
        .find(|a| a.id == alias.id)
        .expect("cached");
    assert_eq!(
        cached.associations[0].connection_identifier, live.associations[0].connection_identifier,
        "the connection identifier is read back into the cache"
    );
    assert!(
        done.contains(
            live.associations[0]
                .connection_identifier
                .as_deref()
                .expect("identifier")
        )
    );
    // Already associated, and associated aliases are not deleted.
    let again = AliasEdit::Associate {
        alias_id: alias.id.clone(),
        directory_id: CORP.into(),
    };
    assert!(matches!(run(again).await, Err(AppError::Validation { .. })));
    let delete = AliasEdit::Delete {
        alias_id: alias.id.clone(),
    };
    match run(delete.clone()).await {
        Err(AppError::Validation { message, .. }) => {
            assert!(message.contains("disassociate it first"), "{message}")
        }
        other => panic!("an associated alias was deleted: {other:?}"),
    }

    run(AliasEdit::Share {
        alias_id: alias.id.clone(),
        account: "210987654321".into(),
        allow: true,
    })
    .await
    .expect("share");
    let permissions = api
        .describe_alias_permissions(&alias.id)
        .await
        .expect("permissions");
    assert_eq!(permissions.len(), 1);
    assert!(permissions[0].allow_association);
    let bad_account = AliasEdit::Share {
        alias_id: alias.id.clone(),
        account: "2109876543".into(),
        allow: true,
    };
    assert!(matches!(
        run(bad_account).await,
        Err(AppError::Validation { .. })
    ));

    run(AliasEdit::Disassociate {
        alias_id: alias.id.clone(),
    })
    .await
    .expect("disassociate");
    match run(delete.clone()).await {
        Err(AppError::Validation { message, .. }) => {
            assert!(message.contains("unshare it first"), "{message}")
        }
        other => panic!("a shared alias was deleted: {other:?}"),
    }
    run(AliasEdit::Share {
        alias_id: alias.id.clone(),
        account: "210987654321".into(),
        allow: false,
    })
    .await
    .expect("unshare");
    run(delete).await.expect("delete");
    assert!(
        api.describe_connection_alias(&alias.id)
            .await
            .expect("describe")
            .is_none()
    );
    assert!(
        !cached_aliases(pool).await.iter().any(|a| a.id == alias.id),
        "the cache follows"
    );

    // Every change is audited with who, what and the outcome.
    for action in [
        "connection_alias.create",
        "connection_alias.associate",
        "connection_alias.share",
        "connection_alias.disassociate",
        "connection_alias.unshare",
        "connection_alias.delete",
    ] {
        let entries = audited(pool, action).await;
        assert_eq!(entries.len(), 1, "{action}");
        assert_eq!(entries[0].actor_name, "admin-user", "{action}");
        assert_eq!(entries[0].outcome, "succeeded", "{action}");
        assert!(
            entries[0].params.contains("failover.example.org"),
            "{action}"
        );
    }

    let refused = apply(
        &crate::common::caller(&state, &user(Role::Helpdesk)),
        AliasEdit::Disassociate {
            alias_id: "wsca-3f9a1c0d7e2b4c6a85d1e0f47".into(),
        },
    )
    .await;
    assert_eq!(refused.err(), Some(AppError::Forbidden));
}

#[tokio::test]
async fn client_settings_are_sent_with_a_reason_and_audited_before_and_after() {
    use app::server::directories::apply;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let pool = &state.pool;
    let change = DirectoryChange::SetClientProperties {
        directory_id: CORP.into(),
        properties: ClientProperties {
            reconnect: Some(false),
            log_upload: None,
        },
    };
    let admin = user(Role::Admin);
    match apply(
        &crate::common::caller(&state, &admin),
        "",
        change.clone(),
        "  ",
    )
    .await
    {
        Err(AppError::Validation { field, .. }) => assert_eq!(field, "reason"),
        other => panic!("a change without a reason was sent: {other:?}"),
    }
    apply(&crate::common::caller(&state, &admin), "", change, "INC-42")
        .await
        .expect("modify");
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    let live = api
        .describe_client_properties(&[CORP.to_string()])
        .await
        .expect("describe");
    assert_eq!(live[0].1.reconnect, Some(false));
    let cached: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    let corp = cached.iter().find(|d| d.id == CORP).expect("corp");
    assert_eq!(corp.client.and_then(|c| c.reconnect), Some(false));
    assert_eq!(
        corp.client.and_then(|c| c.log_upload),
        Some(true),
        "not sent, kept"
    );
    let entries = audited(pool, "directory.client_properties").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].reason.as_deref(), Some("INC-42"));
    assert!(
        entries[0]
            .params
            .contains(r#""before":{"log_upload":true,"reconnect":true}"#)
            || entries[0]
                .params
                .contains(r#""before":{"reconnect":true,"log_upload":true}"#),
        "{}",
        entries[0].params
    );
}

/// The SDK adapter sends only the client settings chosen: ModifyClientProperties without
/// LogUploadEnabled leaves it as it is in AWS.
#[tokio::test]
async fn client_settings_not_chosen_are_not_in_the_request() {
    let modify = mock!(aws_sdk_workspaces::Client::modify_client_properties)
        .match_requests(|request| {
            let properties = request.client_properties();
            request.resource_id() == Some(CORP)
                && properties.and_then(|p| p.reconnect_enabled())
                    == Some(&aws_sdk_workspaces::types::ReconnectEnum::Disabled)
                && properties.and_then(|p| p.log_upload_enabled()).is_none()
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::modify_client_properties::ModifyClientPropertiesOutput::builder().build()
        });
    let client = mock_client!(aws_sdk_workspaces, [&modify]);
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"));
    api.apply(&Change::Directory(DirectoryChange::SetClientProperties {
        directory_id: CORP.into(),
        properties: ClientProperties {
            reconnect: Some(false),
            log_upload: None,
        },
    }))
    .await
    .expect("the request matched");
    assert_eq!(modify.num_calls(), 1);
}

#[tokio::test]
async fn the_sdk_adapter_round_trips_aliases_through_the_emulator() {
    let mock = winterbaume_core::MockAws::builder()
        .with_service(winterbaume_workspaces::WorkSpacesService::new())
        .build();
    let config = mock.sdk_config("eu-central-1").await;
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::new(&config, "eu-central-1"));
    let created = api
        .apply(&Change::ConnectionAlias(AliasChange::Create {
            connection_string: "vdi.example.net".into(),
            tags: vec![app::model::Tag {
                key: "Team".into(),
                value: "EUC".into(),
            }],
        }))
        .await
        .expect("create");
    let alias_id = created.created_id.expect("AliasId");
    let associated = api
        .apply(&Change::ConnectionAlias(AliasChange::Associate {
            alias_id: alias_id.clone(),
            directory_id: "d-1234567890".into(),
        }))
        .await
        .expect("associate");
    assert!(
        associated.created_id.is_some(),
        "the connection identifier comes back"
    );
    api.apply(&Change::ConnectionAlias(AliasChange::SetPermission {
        alias_id: alias_id.clone(),
        account_id: "210987654321".into(),
        allow: true,
    }))
    .await
    .expect("share");
    let listed = app::server::aws::all_pages(|t| api.describe_connection_aliases(t))
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, alias_id);
    assert_eq!(listed[0].region, "eu-central-1");
    assert_eq!(listed[0].connection_string, "vdi.example.net");
    assert_eq!(
        listed[0].associations[0].resource_id.as_deref(),
        Some("d-1234567890")
    );
    assert!(listed[0].associations[0].connection_identifier.is_some());
    let permissions = api
        .describe_alias_permissions(&alias_id)
        .await
        .expect("permissions");
    assert_eq!(
        permissions,
        vec![app::model::AliasPermission {
            account_id: "210987654321".into(),
            allow_association: true,
        }]
    );
    api.apply(&Change::Directory(DirectoryChange::SetClientProperties {
        directory_id: "d-1234567890".into(),
        properties: ClientProperties {
            reconnect: Some(false),
            log_upload: None,
        },
    }))
    .await
    .expect("modify client properties");
    let found = api
        .describe_client_properties(&["d-1234567890".to_string()])
        .await
        .expect("describe client properties");
    assert_eq!(found[0].0, "d-1234567890");
    assert_eq!(found[0].1.reconnect, Some(false));
}

#[tokio::test]
async fn over_http_viewers_are_refused_and_bad_input_is_a_400() {
    let (_dir, state) = with_users().await;
    let viewer = cookie_for(&state, Role::Viewer).await;
    let admin = cookie_for(&state, Role::Admin).await;
    let body = "op=create&region=eu-west-1&connection_string=desk.example.com";
    let response = send(
        &state,
        post("/api/connection-aliases/change", body, Some(&viewer)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = send(
        &state,
        post(
            "/api/connection-aliases/change",
            "op=create&region=eu-west-1&connection_string=not_a_domain",
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = send(
        &state,
        post("/api/connection-aliases/list", "", Some(&viewer)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = send(
        &state,
        post(
            "/api/directories/change",
            "op=client&directory_id=d-93670c1e5a&reconnect=DISABLED&reason=",
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a reason is required"
    );
}

/// 000_694e23744a3a4a46.txt:2806: AWS starts a new alias `CREATING`. It is cached so (the
/// read-back here answers `CREATING` too), and associating (:218), sharing (:6833) and
/// deleting it are refused with the reason until it is `CREATED`, without calling AWS.
#[tokio::test]
async fn a_new_alias_stays_creating_and_is_not_changed_until_created() {
    use aws_sdk_workspaces::operation::create_connection_alias::CreateConnectionAliasOutput;
    use aws_sdk_workspaces::operation::describe_connection_aliases::DescribeConnectionAliasesOutput;
    use aws_sdk_workspaces::types;
    const NEW: &str = "wsca-0c1e2a7b9d4f6e8a1b3c5d7e9";
    let create = mock!(aws_sdk_workspaces::Client::create_connection_alias)
        .match_requests(|request| request.connection_string() == Some("vdi.example.net"))
        .then_output(|| CreateConnectionAliasOutput::builder().alias_id(NEW).build());
    let describe = mock!(aws_sdk_workspaces::Client::describe_connection_aliases)
        .match_requests(|request| request.alias_ids() == [NEW.to_string()])
        .then_output(|| {
            DescribeConnectionAliasesOutput::builder()
                .connection_aliases(
                    types::ConnectionAlias::builder()
                        .alias_id(NEW)
                        .connection_string("vdi.example.net")
                        .state(types::ConnectionAliasState::Creating)
                        .owner_account_id("123456789012")
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_workspaces, [&create, &describe]);
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"));
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::unsynced_state(&dir, vec![api]).await;
    let admin = user(Role::Admin);
    let caller = crate::common::caller(&state, &admin);

    let done = apply(
        &caller,
        AliasEdit::Create {
            place: "eu-west-1".into(),
            connection_string: "vdi.example.net".into(),
            tags: String::new(),
        },
    )
    .await
    .expect("create");
    assert!(done.contains("CREATED"), "{done}");
    let cached = cached_aliases(&state.pool).await;
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert_eq!(cached[0].id, NEW);
    assert_eq!(cached[0].state.as_deref(), Some(ConnectionAlias::CREATING));

    for edit in [
        AliasEdit::Associate {
            alias_id: NEW.into(),
            directory_id: CORP.into(),
        },
        AliasEdit::Share {
            alias_id: NEW.into(),
            account: "210987654321".into(),
            allow: true,
        },
        AliasEdit::Delete {
            alias_id: NEW.into(),
        },
    ] {
        match apply(&caller, edit.clone()).await {
            Err(AppError::Validation { message, .. }) => {
                assert!(message.contains("CREATING"), "{edit:?}: {message}")
            }
            other => panic!("{edit:?} on a CREATING alias was not refused: {other:?}"),
        }
    }
    assert_eq!((create.num_calls(), describe.num_calls()), (1, 1));
    assert!(
        audited(&state.pool, "connection_alias.associate")
            .await
            .is_empty()
    );
}

/// 000_694e23744a3a4a46.txt:1951: the shared account disassociates its own directory.
/// With the owner and the shared account both configured, the cache keeps the alias in
/// each (keyed by account); the owner's copy lists the shared account's association,
/// and the owner's Disassociate is refused instead of being sent for a directory that
/// is not its own.
#[tokio::test]
async fn the_owner_is_not_offered_the_shared_accounts_association() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::unsynced_state(&dir, Vec::new()).await;
    let alias_in = |account: &str| ConnectionAlias {
        id: "wsca-3f9a1c0d7e2b4c6a85d1e0f47".into(),
        region: "eu-west-1".into(),
        account: account.into(),
        connection_string: "partners.example.com".into(),
        state: Some(ConnectionAlias::READY.into()),
        owner_account_id: Some("123456789012".into()),
        associations: vec![app::model::AliasAssociation {
            associated_account_id: Some("210987654321".into()),
            resource_id: Some("d-9222222222".into()),
            connection_identifier: Some("abc".into()),
            status: Some("ASSOCIATED_WITH_SHARED_ACCOUNT".into()),
        }],
        permissions: Vec::new(),
        permissions_error: None,
    };
    // The shared account's directory, which the old check (every account's directories)
    // took for the owner's.
    let shared_directory: Directory = serde_json::from_value(serde_json::json!({
        "id": "d-9222222222", "account": "shared", "region": "eu-west-1",
        "alias": null, "name": null, "directory_type": null, "state": "REGISTERED",
        "registration_code": null, "dns_ip_addresses": [], "subnet_ids": [], "ip_group_ids": []
    }))
    .expect("a directory");
    let mut tx = state.pool.begin().await.expect("tx");
    for account in ["shared", "owner"] {
        let alias = alias_in(account);
        inventory::put_item(
            &mut tx,
            account,
            "eu-west-1",
            inventory::ItemKind::ConnectionAlias,
            &alias.id,
            &alias,
        )
        .await
        .expect("alias");
    }
    inventory::put_item(
        &mut tx,
        "shared",
        "eu-west-1",
        inventory::ItemKind::Directory,
        &shared_directory.id,
        &shared_directory,
    )
    .await
    .expect("directory");
    tx.commit().await.expect("commit");

    let owner_copy = alias_in("owner");
    let refused = apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        AliasEdit::Disassociate {
            alias_id: owner_copy.key(),
        },
    )
    .await;
    match refused {
        Err(AppError::Validation { message, .. }) => {
            assert!(
                message.contains("not associated with a directory of this account"),
                "{message}"
            )
        }
        other => panic!("the owner disassociated the shared account's directory: {other:?}"),
    }
    assert!(
        audited(&state.pool, "connection_alias.disassociate")
            .await
            .is_empty()
    );
}
