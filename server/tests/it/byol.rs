//! Bring your own license: the account page's reads, enabling BYOL and importing an
//! image, through the SDK adapter (`aws-smithy-mocks`: what goes on the wire) and the
//! services over the demo overlay (no emulator implements these operations).

use app::error::AppError;
use app::model::{Image, Role};
use app::server::account::{self, ImportForm};
use app::server::aws::{AccountChange, Change, ImageChange, ImageImport, WorkspacesApi, all_pages};
use app::server::repo::inventory::{self, ItemKind};
use aws_sdk_workspaces::operation::describe_account_modifications::DescribeAccountModificationsOutput;
use aws_sdk_workspaces::types::{AccountModification, DedicatedTenancyModificationStateEnum};
use aws_smithy_mocks::{mock, mock_client};
use server::aws_sdk::SdkWorkspaces;

use crate::common::{demo_overlay_state, user};

#[tokio::test]
async fn the_sdk_adapter_reads_every_modification_page_and_sends_byol_changes() {
    let first = mock!(aws_sdk_workspaces::Client::describe_account_modifications)
        .match_requests(|req| req.next_token().is_none())
        .then_output(|| {
            DescribeAccountModificationsOutput::builder()
                .account_modifications(
                    AccountModification::builder()
                        .modification_state(DedicatedTenancyModificationStateEnum::Failed)
                        .dedicated_tenancy_management_cidr_range("10.20.0.0/16")
                        .error_code("InvalidParameterValuesException")
                        .error_message("overlaps")
                        .build(),
                )
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_workspaces::Client::describe_account_modifications)
        .match_requests(|req| req.next_token() == Some("page-2"))
        .then_output(|| {
            DescribeAccountModificationsOutput::builder()
                .account_modifications(
                    AccountModification::builder()
                        .modification_state(DedicatedTenancyModificationStateEnum::Completed)
                        .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
                        .build(),
                )
                .build()
        });
    let ranges = mock!(aws_sdk_workspaces::Client::list_available_management_cidr_ranges)
        .match_requests(|req| req.management_cidr_range_constraint() == Some("10.0.0.0/8"))
        .then_output(|| {
            aws_sdk_workspaces::operation::list_available_management_cidr_ranges::ListAvailableManagementCidrRangesOutput::builder()
                .management_cidr_ranges("10.1.0.0/16")
                .management_cidr_ranges("10.2.0.0/16")
                .build()
        });
    let modify = mock!(aws_sdk_workspaces::Client::modify_account)
        .match_requests(|req| {
            req.dedicated_tenancy_support()
                == Some(&aws_sdk_workspaces::types::DedicatedTenancySupportEnum::Enabled)
                && req.dedicated_tenancy_management_cidr_range() == Some("10.2.0.0/16")
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::modify_account::ModifyAccountOutput::builder().build()
        });
    let import = mock!(aws_sdk_workspaces::Client::import_workspace_image)
        .match_requests(|req| {
            req.ec2_image_id() == Some("ami-0123456789abcdef0")
                && req.ingestion_process()
                    == Some(&aws_sdk_workspaces::types::WorkspaceImageIngestionProcess::ByolRegularWsp)
                && req.image_name() == Some("Win10-BYOL")
                && req.applications()
                    == [aws_sdk_workspaces::types::Application::MicrosoftOffice2019]
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::import_workspace_image::ImportWorkspaceImageOutput::builder()
                .image_id("wsi-imported1")
                .build()
        });
    let client = mock_client!(
        aws_sdk_workspaces,
        [&first, &second, &ranges, &modify, &import]
    );
    let api = SdkWorkspaces::from_client(client, "eu-west-1");
    let api: &dyn WorkspacesApi = &api;

    let modifications = all_pages(|t| api.describe_account_modifications(t))
        .await
        .expect("modifications");
    assert_eq!(modifications.len(), 2, "both pages");
    assert_eq!(modifications[0].state.as_deref(), Some("FAILED"));
    assert_eq!(
        modifications[0].error_code.as_deref(),
        Some("InvalidParameterValuesException")
    );
    let offered = all_pages(|t| api.list_management_cidr_ranges("10.0.0.0/8", t))
        .await
        .expect("ranges");
    assert_eq!(
        offered,
        vec!["10.1.0.0/16".to_string(), "10.2.0.0/16".to_string()]
    );
    api.apply(&Change::Account(AccountChange::EnableByol {
        management_cidr: "10.2.0.0/16".into(),
    }))
    .await
    .expect("modify account matched the request");
    let outcome = api
        .apply(&Change::Image(ImageChange::Import(ImageImport {
            ec2_image_id: "ami-0123456789abcdef0".into(),
            ingestion_process: "BYOL_REGULAR_WSP".into(),
            name: "Win10-BYOL".into(),
            description: "Windows 10".into(),
            tags: Vec::new(),
            applications: vec!["Microsoft_Office_2019".into()],
        })))
        .await
        .expect("import matched the request");
    assert_eq!(outcome.created_id.as_deref(), Some("wsi-imported1"));
}

#[tokio::test]
async fn an_admin_finds_a_range_enables_byol_and_the_modification_is_audited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let admin = user(Role::Admin);

    let view = account::account_view(
        &crate::common::caller(&state, &admin),
        Some(("us-east-1", "10.0.0.0/8")),
    )
    .await
    .expect("account");
    let eu = &view.regions[0];
    assert_eq!(
        eu.account
            .as_ref()
            .and_then(|a| a.dedicated_tenancy_support.as_deref()),
        Some("ENABLED")
    );
    assert_eq!(eu.modifications.len(), 2);
    assert_eq!(
        eu.modifications[0].state.as_deref(),
        Some("COMPLETED"),
        "newest first"
    );
    let us = &view.regions[1];
    let search = us.cidr_search.as_ref().expect("searched in us-east-1");
    assert_eq!(search.ranges.len(), 100, "capped at the page's maximum");
    assert!(search.truncated);
    assert!(
        !search.ranges.contains(&"10.20.0.0/16".to_string()),
        "ranges in use are not offered"
    );
    assert!(matches!(
        account::account_view(
            &crate::common::caller(&state, &admin),
            Some(("us-east-1", "10.0.0.0/24"))
        )
        .await,
        Err(AppError::Validation { .. })
    ));

    assert!(matches!(
        account::enable(
            &crate::common::caller(&state, &user(Role::Helpdesk)),
            "us-east-1",
            "10.7.0.0/16",
            "CHG-1"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        account::enable(
            &crate::common::caller(&state, &admin),
            "us-east-1",
            "10.20.0.0/16",
            "CHG-1"
        )
        .await,
        Err(AppError::Validation { .. })
    ));
    account::enable(
        &crate::common::caller(&state, &admin),
        "us-east-1",
        "10.7.0.0/16",
        "CHG-1",
    )
    .await
    .expect("enable");
    let view = account::account_view(&crate::common::caller(&state, &admin), None)
        .await
        .expect("account");
    assert!(view.regions[1].has_pending(), "followed while PENDING");
    let query = app::model::AuditQuery {
        action: "account.enable_byol".into(),
        ..Default::default()
    };
    let (entries, _) = app::server::repo::audit::list(pool, &query, Some(0))
        .await
        .expect("audit");
    assert_eq!(entries[0].outcome, "succeeded");
    assert!(entries[0].params.contains("10.7.0.0/16"));
}

#[tokio::test]
async fn an_imported_image_is_pending_in_the_cache_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let form = |region: &str| ImportForm {
        account: String::new(),
        region: region.into(),
        ec2_image_id: "ami-0123456789abcdef0".into(),
        ingestion_process: "BYOL_REGULAR".into(),
        name: "Win10-BYOL-2026-12".into(),
        description: "Windows 10 22H2".into(),
        tags: Vec::new(),
        application: String::new(),
        reason: "CHG-5".into(),
    };
    // us-east-1 has no BYOL in the demo.
    assert!(matches!(
        account::import(
            &crate::common::caller(&state, &user(Role::Admin)),
            form("us-east-1")
        )
        .await,
        Err(AppError::Validation { .. })
    ));
    account::import(
        &crate::common::caller(&state, &user(Role::Admin)),
        form("eu-west-1"),
    )
    .await
    .expect("import");
    let images: Vec<Image> = inventory::items(pool, ItemKind::Image)
        .await
        .expect("images");
    let imported = images
        .iter()
        .find(|i| i.name == "Win10-BYOL-2026-12")
        .expect("cached at once");
    assert_eq!(imported.state.as_deref(), Some("PENDING"));
    assert!(imported.is_byol());
    assert!(
        imported.id.starts_with("wsi-"),
        "stored under the id AWS answered"
    );
}

/// RegisterWorkspaceDirectory with Tenancy DEDICATED needs an account enabled for BYOL,
/// else AWS answers InvalidParameterValuesException (000_694e23744a3a4a46.txt:6244):
/// Fleetdesk asks DescribeAccount first and refuses with the reason, without calling
/// AWS or writing an audit entry; where BYOL is on (the demo's eu-west-1) it registers,
/// and the WorkDocs choice shows among the creation properties (:3475).
#[tokio::test]
async fn a_dedicated_directory_is_registered_only_where_byol_is_enabled() {
    use app::server::aws::{DirectoryChange, Registration};
    use app::server::directories;

    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let admin = user(Role::Admin);
    let register = |id: &str| DirectoryChange::Register {
        directory_id: id.into(),
        registration: Registration {
            tenancy: Some("DEDICATED".into()),
            enable_work_docs: true,
            ..Registration::default()
        },
    };
    // us-east-1 has no BYOL in the demo.
    match directories::apply(
        &crate::common::caller(&state, &admin),
        "us-east-1",
        register("d-abcdef0123"),
        "",
    )
    .await
    {
        Err(AppError::Validation { field, message }) => {
            assert_eq!(field, "tenancy");
            assert!(
                message.contains("BYOL") && message.contains("us-east-1"),
                "{message}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let query = app::model::AuditQuery {
        action: "directory.register".into(),
        ..Default::default()
    };
    let (entries, _) = app::server::repo::audit::list(&state.pool, &query, Some(0))
        .await
        .expect("audit");
    assert!(entries.is_empty(), "refused before AWS is called");

    directories::apply(
        &crate::common::caller(&state, &admin),
        "eu-west-1",
        register("d-abcdef0123"),
        "",
    )
    .await
    .expect("BYOL is enabled in eu-west-1");
    let eu =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("eu-west-1");
    let listed = all_pages(|t| eu.describe_directories(t))
        .await
        .expect("directories");
    let registered = listed
        .iter()
        .find(|d| d.id == "d-abcdef0123")
        .expect("registered");
    assert_eq!(
        registered
            .creation
            .as_ref()
            .and_then(|c| c.enable_work_docs),
        Some(true)
    );
}
