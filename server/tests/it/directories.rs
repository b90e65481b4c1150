//! Directory changes through the real SDK against the in-process emulator, and against
//! `aws-smithy-mocks` where the emulator falls short (access properties; Describe does not
//! return creation or access properties there).

use std::sync::Arc;

use crate::common::user;
use app::error::AppError;
use app::model::{
    Access, AccessProperties, AuditQuery, CreationProperties, Directory, Role, SelfService,
};
use app::server::aws::{DirectoryChange, WorkspacesApi};
use app::server::directories::apply;
use app::server::repo::{audit, inventory};
use aws_smithy_mocks::{mock, mock_client};
use server::aws_sdk::SdkWorkspaces;

#[tokio::test]
async fn an_admin_registers_configures_and_deregisters_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = user(Role::Admin);
    let pool = &state.pool;
    let id = "d-1234567890".to_string();

    let bad = DirectoryChange::Register {
        directory_id: "d-12".into(),
        registration: Default::default(),
    };
    assert!(matches!(
        apply(&crate::common::caller(&state, &admin), "eu-west-1", bad, "").await,
        Err(AppError::Validation { .. })
    ));
    apply(
        &crate::common::caller(&state, &admin),
        "eu-west-1",
        DirectoryChange::Register {
            directory_id: id.clone(),
            registration: app::server::aws::Registration {
                tenancy: Some("SHARED".into()),
                enable_self_service: true,
                ..Default::default()
            },
        },
        "",
    )
    .await
    .expect("register");
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    let listed = app::server::aws::all_pages(|t| api.describe_directories(t))
        .await
        .expect("directories");
    assert!(
        listed.iter().any(|d| d.id == id),
        "registered in the emulator"
    );

    let permissions = SelfService {
        restart: true,
        rebuild: true,
        ..SelfService::default()
    };
    let set = DirectoryChange::SetSelfService {
        directory_id: id.clone(),
        permissions,
    };
    apply(&crate::common::caller(&state, &admin), "", set, "")
        .await
        .expect("self-service");
    let cached: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    assert_eq!(
        cached
            .iter()
            .find(|d| d.id == id)
            .and_then(|d| d.self_service),
        Some(permissions)
    );

    let in_use = DirectoryChange::Deregister {
        directory_id: "d-93670c1e5a".into(),
    };
    assert!(matches!(
        apply(&crate::common::caller(&state, &admin), "", in_use, "").await,
        Err(AppError::Validation { .. })
    ));
    apply(
        &crate::common::caller(&state, &admin),
        "",
        DirectoryChange::Deregister {
            directory_id: id.clone(),
        },
        "",
    )
    .await
    .expect("deregister");
    let cached: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    assert!(cached.iter().all(|d| d.id != id));
}

async fn cached_directory(pool: &sqlx::AnyPool, id: &str) -> Directory {
    let cached: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    cached
        .into_iter()
        .find(|d| d.id == id)
        .expect("cached directory")
}

#[tokio::test]
async fn creation_properties_are_validated_sent_cached_and_audited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let pool = &state.pool;
    let id = "d-93670c1e5a";
    let set = |properties: CreationProperties| DirectoryChange::SetCreationProperties {
        directory_id: id.into(),
        properties,
    };

    let bad = CreationProperties {
        custom_security_group_id: Some("sg-nothex".into()),
        ..CreationProperties::default()
    };
    assert!(matches!(
        apply(
            &crate::common::caller(&state, &user(Role::Admin)),
            "",
            set(bad),
            ""
        )
        .await,
        Err(AppError::Validation { .. })
    ));
    let properties = CreationProperties {
        enable_internet_access: true,
        default_ou: Some("OU=WorkSpaces,DC=corp,DC=example,DC=com".into()),
        custom_security_group_id: Some("sg-0123456789abcdef0".into()),
        ..CreationProperties::default()
    };
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        "",
        set(properties.clone()),
        "",
    )
    .await
    .expect("accepted by the emulator");
    assert_eq!(
        cached_directory(pool, id).await.creation,
        Some(properties.clone())
    );

    // Blank text fields are not sent: the cache keeps the OU, the box turns off.
    let toggled = CreationProperties {
        enable_internet_access: false,
        ..CreationProperties::default()
    };
    apply(
        &crate::common::caller(&state, &user(Role::Admin)),
        "",
        set(toggled),
        "",
    )
    .await
    .expect("second change");
    let creation = cached_directory(pool, id).await.creation.expect("creation");
    assert!(!creation.enable_internet_access);
    assert_eq!(creation.default_ou, properties.default_ou);

    let (entries, _) = audit::list(
        pool,
        &AuditQuery {
            action: "directory.creation_properties".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("audit");
    assert_eq!(entries.len(), 2);
    let latest: serde_json::Value = serde_json::from_str(&entries[0].params).expect("json");
    assert_eq!(latest["before"]["enable_internet_access"], true);
    assert_eq!(latest["after"]["enable_internet_access"], false);
}

#[tokio::test]
async fn access_properties_are_sent_for_every_platform() {
    use aws_sdk_workspaces::types::AccessPropertyValue::{Allow, Deny};
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    // The emulator lacks ModifyWorkspaceAccessProperties: a mock checks the request.
    let modify = mock!(aws_sdk_workspaces::Client::modify_workspace_access_properties)
        .match_requests(|req| {
            let Some(p) = req.workspace_access_properties() else {
                return false;
            };
            req.resource_id() == Some("d-93670c1e5a")
                && p.device_type_windows() == Some(&Allow)
                && p.device_type_web() == Some(&Allow)
                && p.device_type_osx() == Some(&Deny)
                && p.device_type_linux() == Some(&Deny)
                && p.device_type_work_spaces_thin_client() == Some(&Deny)
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::modify_workspace_access_properties::ModifyWorkspaceAccessPropertiesOutput::builder().build()
        });
    let eu: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(
        mock_client!(aws_sdk_workspaces, [&modify]),
        "eu-west-1",
    ));
    let regions = [eu];
    let set = |access: AccessProperties| DirectoryChange::SetAccessProperties {
        directory_id: "d-93670c1e5a".into(),
        access,
    };

    assert!(
        matches!(
            apply(
                &crate::common::caller_over(&state.pool, &regions, &user(Role::Admin)),
                "",
                set(AccessProperties::default()),
                ""
            )
            .await,
            Err(AppError::Validation { .. })
        ),
        "denying every platform locks everyone out"
    );
    let access = AccessProperties::from_keys(&["windows".into(), "web".into()]);
    apply(
        &crate::common::caller_over(&state.pool, &regions, &user(Role::Admin)),
        "",
        set(access),
        "",
    )
    .await
    .expect("access");
    assert_eq!(modify.num_calls(), 1);
    assert_eq!(
        cached_directory(&state.pool, "d-93670c1e5a").await.access,
        Some(access)
    );
}

#[tokio::test]
async fn directory_properties_are_read_from_describe() {
    use aws_sdk_workspaces::types::{
        AccessPropertyValue, DefaultWorkspaceCreationProperties, ReconnectEnum,
        SelfservicePermissions, Tenancy, WorkspaceAccessProperties, WorkspaceDirectory,
    };
    let describe = mock!(aws_sdk_workspaces::Client::describe_workspace_directories).then_output(
        || {
            aws_sdk_workspaces::operation::describe_workspace_directories::DescribeWorkspaceDirectoriesOutput::builder()
                .directories(
                    WorkspaceDirectory::builder()
                        .directory_id("d-1234567890")
                        .tenancy(Tenancy::Dedicated)
                        .workspace_security_group_id("sg-0aaaaaaaaaaaaaaaa")
                        .workspace_creation_properties(
                            DefaultWorkspaceCreationProperties::builder()
                                .enable_internet_access(true)
                                .default_ou("OU=WS,DC=corp")
                                .build(),
                        )
                        .workspace_access_properties(
                            WorkspaceAccessProperties::builder()
                                .device_type_windows(AccessPropertyValue::Allow)
                                .device_type_linux(AccessPropertyValue::Deny)
                                .build(),
                        )
                        .selfservice_permissions(
                            SelfservicePermissions::builder()
                                .restart_workspace(ReconnectEnum::Enabled)
                                .build(),
                        )
                        .build(),
                )
                .build()
        },
    );
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(
        mock_client!(aws_sdk_workspaces, [&describe]),
        "eu-west-1",
    ));
    let page = api.describe_directories(None).await.expect("describe");
    let d = &page.items[0];
    assert_eq!(d.tenancy.as_deref(), Some("DEDICATED"));
    assert_eq!(d.security_group_id.as_deref(), Some("sg-0aaaaaaaaaaaaaaaa"));
    let creation = d.creation.clone().expect("creation");
    assert!(creation.enable_internet_access && !creation.enable_maintenance_mode);
    assert_eq!(creation.default_ou.as_deref(), Some("OU=WS,DC=corp"));
    let access = d.access.expect("access");
    assert!(
        access.windows == Access::Allow
            && access.linux == Access::Deny
            && access.web == Access::Deny,
        "unreported platforms are not allowed"
    );
    assert!(d.self_service.expect("self-service").restart);
}

/// A directory as DescribeWorkspaceDirectories returns it with Windows limited to
/// trusted devices (000_694e23744a3a4a46.txt:3683), macOS and Web allowed, the rest denied.
fn describe_with_trusted_windows() -> aws_smithy_mocks::Rule {
    use aws_sdk_workspaces::types::{
        AccessPropertyValue, WorkspaceAccessProperties, WorkspaceDirectory,
    };
    mock!(aws_sdk_workspaces::Client::describe_workspace_directories).then_output(|| {
        aws_sdk_workspaces::operation::describe_workspace_directories::DescribeWorkspaceDirectoriesOutput::builder()
            .directories(
                WorkspaceDirectory::builder()
                    .directory_id("d-93670c1e5a")
                    .directory_name("corp.example.com")
                    .workspace_access_properties(
                        WorkspaceAccessProperties::builder()
                            .device_type_windows(AccessPropertyValue::from("TRUST"))
                            .device_type_osx(AccessPropertyValue::Allow)
                            .device_type_web(AccessPropertyValue::Allow)
                            .device_type_linux(AccessPropertyValue::Deny)
                            .device_type_ios(AccessPropertyValue::Deny)
                            .device_type_android(AccessPropertyValue::Deny)
                            .device_type_chrome_os(AccessPropertyValue::Deny)
                            .device_type_zero_client(AccessPropertyValue::Deny)
                            .device_type_work_spaces_thin_client(AccessPropertyValue::Deny)
                            .build(),
                    )
                    .build(),
            )
            .build()
    })
}

/// The value selected in each `access[…]` select of the page, as the browser would post
/// it (`access[windows]=TRUST&…`).
fn posted_access(html: &str, directory_id: &str) -> Vec<(String, String)> {
    let card = html
        .split("data-directory=\"")
        .find(|part| part.starts_with(directory_id))
        .expect("the directory's card");
    card.split("<select name=\"access[")
        .skip(1)
        .map(|select| {
            let (key, rest) = select.split_once(']').expect("key");
            let options = rest.split("</select>").next().expect("options");
            let chosen = options
                .split("<option")
                .find(|option| option.contains("selected"))
                .and_then(|option| option.split("value=\"").nth(1))
                .and_then(|value| value.split('"').next())
                .expect("a selected option");
            (key.to_string(), chosen.to_string())
        })
        .collect()
}

#[tokio::test]
async fn trusted_devices_only_is_read_shown_and_sent_back_unchanged() {
    use crate::auth::{cookie_for, get, post, send, with_users};
    use aws_sdk_workspaces::types::AccessPropertyValue::{Allow, Deny};
    use aws_smithy_mocks::RuleMode;
    use http_body_util::BodyExt;

    let (_dir, state) = with_users().await;
    let describe = describe_with_trusted_windows();
    // The admin changes only Linux: Windows must still be TRUST on the wire
    // (ModifyWorkspaceAccessProperties, 000_694e23744a3a4a46.txt:5537), every other
    // platform as it was.
    let modify = mock!(aws_sdk_workspaces::Client::modify_workspace_access_properties)
        .match_requests(|req| {
            let Some(p) = req.workspace_access_properties() else {
                return false;
            };
            req.resource_id() == Some("d-93670c1e5a")
                && p.device_type_windows().map(|v| v.as_str()) == Some("TRUST")
                && p.device_type_linux() == Some(&Allow)
                && p.device_type_osx() == Some(&Allow)
                && p.device_type_web() == Some(&Allow)
                && p.device_type_ios() == Some(&Deny)
                && p.device_type_android() == Some(&Deny)
                && p.device_type_chrome_os() == Some(&Deny)
                && p.device_type_zero_client() == Some(&Deny)
                && p.device_type_work_spaces_thin_client() == Some(&Deny)
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::modify_workspace_access_properties::ModifyWorkspaceAccessPropertiesOutput::builder().build()
        });
    let eu: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(
        mock_client!(aws_sdk_workspaces, RuleMode::MatchAny, [&describe, &modify]),
        "eu-west-1",
    ));

    // Read: TRUST arrives as trusted devices only, not as denied.
    let page = eu.describe_directories(None).await.expect("describe");
    let read = page.items[0].clone();
    let access = read.access.expect("access");
    assert_eq!(access.windows, Access::Trust);
    assert_eq!(access.linux, Access::Deny);
    let mut conn = state.pool.acquire().await.expect("connection");
    inventory::put_item(
        &mut conn,
        "",
        "eu-west-1",
        inventory::ItemKind::Directory,
        &read.id,
        &read,
    )
    .await
    .expect("cache");
    drop(conn);

    // Shown: the page says so and the form starts from TRUST.
    let admin = cookie_for(&state, Role::Admin).await;
    let response = send(&state, get("/directories", Some(&admin))).await;
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let html = String::from_utf8_lossy(&bytes).into_owned();
    assert!(html.contains("trusted devices only"), "{html}");
    let mut form = posted_access(&html, "d-93670c1e5a");
    assert_eq!(form.len(), AccessProperties::PLATFORMS.len(), "{form:?}");
    assert!(
        form.contains(&("windows".into(), "TRUST".into())),
        "{form:?}"
    );
    let linux_select = html
        .split("name=\"access[linux]\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .expect("linux select");
    assert!(
        !linux_select.contains("TRUST"),
        "TRUST is offered for Windows and macOS only"
    );

    // Sent back: change Linux only and post the form as the browser would.
    for (key, value) in form.iter_mut() {
        if key == "linux" {
            *value = "ALLOW".into();
        }
    }
    let mut body = "op=access&directory_id=d-93670c1e5a".to_string();
    for (key, value) in &form {
        body.push_str(&format!("&access%5B{key}%5D={value}"));
    }
    let regions: Vec<Arc<dyn WorkspacesApi>> = vec![eu, state.workspaces[1].clone()];
    let mocked = app::server::state::AppState {
        workspaces: Arc::new(regions),
        health: app::server::health::Health::none(),
        ..state.clone()
    };
    let response = send(
        &mocked,
        post("/api/directories/change", &body, Some(&admin)),
    )
    .await;
    assert_eq!(response.status(), axum::http::StatusCode::OK);
    assert_eq!(
        modify.num_calls(),
        1,
        "one request, with Windows still TRUST"
    );
    let cached = cached_directory(&state.pool, "d-93670c1e5a")
        .await
        .access
        .expect("access");
    assert_eq!(
        (cached.windows, cached.linux),
        (Access::Trust, Access::Allow)
    );

    // The audit entry says what changed in the API's words.
    let (entries, _) = audit::list(
        &state.pool,
        &AuditQuery {
            action: "directory.access_properties".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("audit");
    let params: serde_json::Value = serde_json::from_str(&entries[0].params).expect("json");
    assert_eq!(params["before"]["windows"], "TRUST");
    assert_eq!(params["after"]["windows"], "TRUST");
    assert_eq!(params["before"]["linux"], "DENY");
    assert_eq!(params["after"]["linux"], "ALLOW");
}

/// DescribeWorkspaceDirectories as AWS sends it on the wire: CustomerUserName and
/// IamRoleId (000_694e23744a3a4a46.txt:3469-3470) and, inside
/// WorkspaceCreationProperties, EnableWorkDocs (:3475), which the SDK's model lacks.
fn describe_with_work_docs() -> aws_smithy_mocks::Rule {
    let body = serde_json::json!({
        "Directories": [
            {
                "DirectoryId": "d-1234567890",
                "CustomerUserName": "svc-workspaces",
                "IamRoleId": "arn:aws:iam::123456789012:role/workspaces_DefaultRole",
                "WorkspaceCreationProperties": {
                    "EnableWorkDocs": true,
                    "EnableInternetAccess": false,
                    "EnableMaintenanceMode": true
                }
            },
            {
                "DirectoryId": "d-2222222222",
                "WorkspaceCreationProperties": { "EnableInternetAccess": true }
            }
        ]
    });
    mock!(aws_sdk_workspaces::Client::describe_workspace_directories).then_http_response(
        move || {
            aws_smithy_runtime_api::http::Response::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(200).expect("status"),
                aws_smithy_types::body::SdkBody::from(body.to_string()),
            )
        },
    )
}

#[tokio::test]
async fn service_account_iam_role_and_work_docs_are_read_from_describe() {
    let describe = describe_with_work_docs();
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(
        mock_client!(aws_sdk_workspaces, [&describe]),
        "eu-west-1",
    ));
    let page = api.describe_directories(None).await.expect("describe");
    let first = &page.items[0];
    assert_eq!(first.customer_user_name.as_deref(), Some("svc-workspaces"));
    assert_eq!(
        first.iam_role_id.as_deref(),
        Some("arn:aws:iam::123456789012:role/workspaces_DefaultRole")
    );
    let creation = first.creation.clone().expect("creation");
    assert_eq!(creation.enable_work_docs, Some(true));
    assert!(creation.enable_maintenance_mode && !creation.enable_internet_access);
    let second = &page.items[1];
    assert_eq!(second.customer_user_name, None);
    assert_eq!(
        second.creation.clone().expect("creation").enable_work_docs,
        None,
        "not reported is not false"
    );
}

/// Keeps the JSON body of every request the SDK sends.
#[derive(Debug, Clone, Default)]
struct SentBodies(Arc<std::sync::Mutex<Vec<serde_json::Value>>>);

impl aws_sdk_workspaces::config::Intercept for SentBodies {
    fn name(&self) -> &'static str {
        "SentBodies"
    }

    fn read_before_transmit(
        &self,
        context: &aws_sdk_workspaces::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &aws_sdk_workspaces::config::RuntimeComponents,
        _cfg: &mut aws_sdk_workspaces::config::ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let body = context
            .request()
            .body()
            .bytes()
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
            .unwrap_or_default();
        self.0.lock().expect("bodies").push(body);
        Ok(())
    }
}

/// ModifyWorkspaceCreationProperties takes EnableWorkDocs inside
/// WorkspaceCreationProperties (000_694e23744a3a4a46.txt:5634): sent when chosen, left
/// out (AWS keeps its value) when not.
#[tokio::test]
async fn work_docs_is_sent_in_the_creation_properties_only_when_chosen() {
    use aws_smithy_mocks::RuleMode;
    let modify = mock!(aws_sdk_workspaces::Client::modify_workspace_creation_properties)
        .match_requests(|req| req.resource_id() == Some("d-93670c1e5a"))
        .then_output(|| {
            aws_sdk_workspaces::operation::modify_workspace_creation_properties::ModifyWorkspaceCreationPropertiesOutput::builder().build()
        });
    let sent = SentBodies::default();
    let capture = sent.clone();
    let client = mock_client!(
        aws_sdk_workspaces,
        RuleMode::MatchAny,
        [&modify],
        move |conf| conf.interceptor(capture.clone())
    );
    let api: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"));
    for work_docs in [Some(false), None] {
        api.apply(&app::server::aws::Change::Directory(
            DirectoryChange::SetCreationProperties {
                directory_id: "d-93670c1e5a".into(),
                properties: CreationProperties {
                    enable_internet_access: true,
                    enable_work_docs: work_docs,
                    ..CreationProperties::default()
                },
            },
        ))
        .await
        .expect("modify");
    }
    assert_eq!(modify.num_calls(), 2);
    let bodies = sent.0.lock().expect("bodies").clone();
    let properties = |n: usize| bodies[n]["WorkspaceCreationProperties"].clone();
    assert_eq!(properties(0)["EnableWorkDocs"], false);
    assert_eq!(properties(0)["EnableInternetAccess"], true);
    assert!(
        properties(1).get("EnableWorkDocs").is_none(),
        "not chosen, not sent: {}",
        properties(1)
    );
    assert_eq!(properties(1)["EnableInternetAccess"], true);
}

/// The page shows the service account and IAM role (000_694e23744a3a4a46.txt:3469-3470,
/// the emulator reports the role) and WorkDocs (:3475), and its creation form changes
/// WorkDocs (:5634) through a URL-encoded post, as a browser without JavaScript sends it.
#[tokio::test]
async fn the_page_shows_the_service_fields_and_its_form_changes_work_docs() {
    use crate::auth::{cookie_for, get, post, send, with_users};
    use http_body_util::BodyExt;

    let (_dir, state) = with_users().await;
    let id = "d-93670c1e5a";
    let synced = cached_directory(&state.pool, id).await;
    let role = synced
        .iam_role_id
        .clone()
        .expect("the emulator reports IamRoleId");
    let admin = cookie_for(&state, Role::Admin).await;
    let page = |state: app::server::state::AppState, admin: String| async move {
        let response = send(&state, get("/directories", Some(&admin))).await;
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let html = page(state.clone(), admin.clone()).await;
    assert!(
        html.contains("WorkSpaces IAM role") && html.contains(&role),
        "{html}"
    );
    assert!(html.contains("Service account"));
    assert!(
        html.contains("name=\"work_docs\""),
        "the creation form offers WorkDocs"
    );

    let response = send(
        &state,
        post(
            "/api/directories/change",
            &format!("op=creation&directory_id={id}&checked%5B0%5D=enable_internet_access&work_docs=ENABLED"),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(response.status(), axum::http::StatusCode::OK);
    let creation = cached_directory(&state.pool, id)
        .await
        .creation
        .expect("creation");
    assert_eq!(creation.enable_work_docs, Some(true));
    assert!(creation.enable_internet_access);
    let html = page(state.clone(), admin.clone()).await;
    let card = html
        .split("data-directory=\"")
        .find(|part| part.starts_with(id))
        .expect("the directory's card");
    assert!(card.contains("WorkDocs"), "{card}");
    assert!(card.contains("unchanged (enabled)"), "{card}");

    let refused = send(
        &state,
        post(
            "/api/directories/change",
            &format!("op=creation&directory_id={id}&work_docs=maybe"),
            Some(&admin),
        ),
    )
    .await;
    assert_ne!(refused.status(), axum::http::StatusCode::OK);
    assert_eq!(
        cached_directory(&state.pool, id)
            .await
            .creation
            .and_then(|c| c.enable_work_docs),
        Some(true),
        "a refused form changes nothing"
    );
}
