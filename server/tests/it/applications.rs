//! Application management (release note 2023-10, 004_989ae404788726c9.txt): what the SDK
//! adapter puts on the wire and reads back (`aws-smithy-mocks`, every page), and the
//! services over the demo overlay (no emulator implements these operations): the
//! applications page, a WorkSpace's card, associate / disassociate / deploy with their
//! audit entries and cache rows, the bulk association's skips and the fleet filter.

use app::error::AppError;
use app::model::{
    ApplicationFilter, ApplicationsQuery, AuditQuery, FleetQuery, Role, TargetStatus, Workspace,
};
use app::server::applications;
use app::server::aws::{ApplicationChange, AssociatedResource, Change, WorkspacesApi, all_pages};
use app::server::repo::{audit, inventory};
use aws_sdk_workspaces::operation::describe_application_associations::DescribeApplicationAssociationsOutput;
use aws_sdk_workspaces::operation::describe_applications::DescribeApplicationsOutput;
use aws_sdk_workspaces::types::{
    ApplicationAssociatedResourceType, ApplicationResourceAssociation, AssociationErrorCode,
    AssociationState, AssociationStateReason, Compute, OperatingSystemName, WorkSpaceApplication,
    WorkSpaceApplicationLicenseType, WorkSpaceAssociatedResourceType, WorkspaceResourceAssociation,
};
use aws_smithy_mocks::{mock, mock_client};
use server::aws_sdk::SdkWorkspaces;
use sqlx::AnyPool;

use crate::common::{demo_overlay_state, user};

#[tokio::test]
async fn the_sdk_adapter_sends_the_filters_and_reads_every_page() {
    let first = mock!(aws_sdk_workspaces::Client::describe_applications)
        .match_requests(|req| {
            req.next_token().is_none()
                && req.compute_type_names() == [Compute::Power]
                && req.operating_system_names() == [OperatingSystemName::Windows11]
                && req.license_type() == Some(&WorkSpaceApplicationLicenseType::Licensed)
                && req.owner() == Some("Amazon")
        })
        .then_output(|| {
            DescribeApplicationsOutput::builder()
                .applications(
                    WorkSpaceApplication::builder()
                        .application_id("wsa-visio")
                        .name("Microsoft Visio 2021")
                        .license_type(WorkSpaceApplicationLicenseType::Licensed)
                        .supported_compute_type_names(Compute::Power)
                        .supported_operating_system_names(OperatingSystemName::Windows11)
                        .build(),
                )
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_workspaces::Client::describe_applications)
        .match_requests(|req| req.next_token() == Some("page-2") && req.owner() == Some("Amazon"))
        .then_output(|| {
            DescribeApplicationsOutput::builder()
                .applications(
                    WorkSpaceApplication::builder()
                        .application_id("wsa-project")
                        .name("Project")
                        .build(),
                )
                .build()
        });
    let associations_1 = mock!(aws_sdk_workspaces::Client::describe_application_associations)
        .match_requests(|req| {
            req.application_id() == Some("wsa-visio")
                && req.associated_resource_types()
                    == [
                        ApplicationAssociatedResourceType::Workspace,
                        ApplicationAssociatedResourceType::Bundle,
                        ApplicationAssociatedResourceType::Image,
                    ]
                && req.next_token().is_none()
        })
        .then_output(|| {
            DescribeApplicationAssociationsOutput::builder()
                .associations(
                    ApplicationResourceAssociation::builder()
                        .application_id("wsa-visio")
                        .associated_resource_id("ws-1")
                        .associated_resource_type(ApplicationAssociatedResourceType::Workspace)
                        .state(AssociationState::Completed)
                        .build(),
                )
                .next_token("more")
                .build()
        });
    let associations_2 = mock!(aws_sdk_workspaces::Client::describe_application_associations)
        .match_requests(|req| req.next_token() == Some("more"))
        .then_output(|| {
            DescribeApplicationAssociationsOutput::builder()
                .associations(
                    ApplicationResourceAssociation::builder()
                        .application_id("wsa-visio")
                        .associated_resource_id("wsb-1")
                        .associated_resource_type(ApplicationAssociatedResourceType::Bundle)
                        .state(AssociationState::PendingInstall)
                        .build(),
                )
                .build()
        });
    let workspace = mock!(aws_sdk_workspaces::Client::describe_workspace_associations)
        .match_requests(|req| {
            req.workspace_id() == Some("ws-1")
                && req.associated_resource_types() == [WorkSpaceAssociatedResourceType::Application]
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::describe_workspace_associations::DescribeWorkspaceAssociationsOutput::builder()
                .associations(
                    WorkspaceResourceAssociation::builder()
                        .associated_resource_id("wsa-visio")
                        .workspace_id("ws-1")
                        .state(AssociationState::Error)
                        .state_reason(
                            AssociationStateReason::builder()
                                .error_code(AssociationErrorCode::WorkspaceUnreachable)
                                .error_message("unreachable")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
    let bundle = mock!(aws_sdk_workspaces::Client::describe_bundle_associations)
        .match_requests(|req| req.bundle_id() == Some("wsb-1"))
        .then_output(|| {
            aws_sdk_workspaces::operation::describe_bundle_associations::DescribeBundleAssociationsOutput::builder()
                .associations(
                    aws_sdk_workspaces::types::BundleResourceAssociation::builder()
                        .associated_resource_id("wsa-visio")
                        .bundle_id("wsb-1")
                        .state(AssociationState::Completed)
                        .build(),
                )
                .build()
        });
    let image = mock!(aws_sdk_workspaces::Client::describe_image_associations)
        .match_requests(|req| req.image_id() == Some("wsi-1"))
        .then_output(|| {
            aws_sdk_workspaces::operation::describe_image_associations::DescribeImageAssociationsOutput::builder()
                .associations(
                    aws_sdk_workspaces::types::ImageResourceAssociation::builder()
                        .associated_resource_id("wsa-visio")
                        .image_id("wsi-1")
                        .state(AssociationState::Installing)
                        .build(),
                )
                .build()
        });
    let associate = mock!(aws_sdk_workspaces::Client::associate_workspace_application)
        .match_requests(|req| req.workspace_id() == Some("ws-1") && req.application_id() == Some("wsa-project"))
        .then_output(|| {
            aws_sdk_workspaces::operation::associate_workspace_application::AssociateWorkspaceApplicationOutput::builder().build()
        });
    let disassociate = mock!(aws_sdk_workspaces::Client::disassociate_workspace_application)
        .match_requests(|req| req.workspace_id() == Some("ws-1") && req.application_id() == Some("wsa-visio"))
        .then_output(|| {
            aws_sdk_workspaces::operation::disassociate_workspace_application::DisassociateWorkspaceApplicationOutput::builder().build()
        });
    let deploy = mock!(aws_sdk_workspaces::Client::deploy_workspace_applications)
        .match_requests(|req| req.workspace_id() == Some("ws-1") && req.force() == Some(true))
        .then_output(|| {
            aws_sdk_workspaces::operation::deploy_workspace_applications::DeployWorkspaceApplicationsOutput::builder().build()
        });
    let client = mock_client!(
        aws_sdk_workspaces,
        [
            &first,
            &second,
            &associations_1,
            &associations_2,
            &workspace,
            &bundle,
            &image,
            &associate,
            &disassociate,
            &deploy
        ]
    );
    let api = SdkWorkspaces::from_client(client, "eu-west-1");
    let api: &dyn WorkspacesApi = &api;

    let filter = ApplicationFilter {
        compute: vec!["POWER".into()],
        license: "LICENSED".into(),
        os: vec!["WINDOWS_11".into()],
        owner: "Amazon".into(),
    };
    let catalog = all_pages(|t| api.describe_applications(&filter, t))
        .await
        .expect("catalog");
    assert_eq!(catalog.len(), 2, "both pages");
    assert_eq!(catalog[0].license_type.as_deref(), Some("LICENSED"));
    assert_eq!(catalog[0].compute_types, vec!["POWER".to_string()]);
    assert_eq!(catalog[0].operating_systems, vec!["WINDOWS_11".to_string()]);
    assert_eq!(catalog[0].region, "eu-west-1");

    let associations = all_pages(|t| {
        api.describe_application_associations("wsa-visio", &["WORKSPACE", "BUNDLE", "IMAGE"], t)
    })
    .await
    .expect("associations");
    assert_eq!(associations.len(), 2, "both pages");
    assert_eq!(
        (
            associations[1].resource_type.as_str(),
            associations[1].state.as_deref()
        ),
        ("BUNDLE", Some("PENDING_INSTALL"))
    );

    let on_workspace = api
        .describe_resource_associations(AssociatedResource::Workspace("ws-1".into()))
        .await
        .expect("workspace associations");
    assert_eq!(
        on_workspace[0].application_id, "wsa-visio",
        "AssociatedResourceId is the application"
    );
    assert_eq!(
        on_workspace[0].error_code.as_deref(),
        Some("DeploymentError.WorkspaceUnreachable")
    );
    let on_bundle = api
        .describe_resource_associations(AssociatedResource::Bundle("wsb-1".into()))
        .await
        .expect("bundle associations");
    assert_eq!(
        (
            on_bundle[0].resource_type.as_str(),
            on_bundle[0].resource_id.as_str()
        ),
        ("BUNDLE", "wsb-1")
    );
    let on_image = api
        .describe_resource_associations(AssociatedResource::Image("wsi-1".into()))
        .await
        .expect("image associations");
    assert_eq!(on_image[0].state.as_deref(), Some("INSTALLING"));

    for change in [
        ApplicationChange::Associate {
            workspace_id: "ws-1".into(),
            application_id: "wsa-project".into(),
        },
        ApplicationChange::Disassociate {
            workspace_id: "ws-1".into(),
            application_id: "wsa-visio".into(),
        },
        ApplicationChange::Deploy {
            workspace_id: "ws-1".into(),
            force: true,
        },
    ] {
        api.apply(&Change::Application(change.clone()))
            .await
            .unwrap_or_else(|error| panic!("{change:?} did not match its request: {error}"));
    }
    assert_eq!(
        (
            associate.num_calls(),
            disassociate.num_calls(),
            deploy.num_calls()
        ),
        (1, 1, 1)
    );
}

/// The cached WorkSpaces of eu-west-1 matching `query`.
async fn fleet(pool: &AnyPool, query: FleetQuery) -> Vec<Workspace> {
    inventory::fleet_rows(pool, &query, None)
        .await
        .expect("fleet")
}

fn windows_eu() -> FleetQuery {
    FleetQuery {
        region: "eu-west-1".into(),
        os: "WINDOWS_SERVER_2022".into(),
        compute: "STANDARD".into(),
        ..FleetQuery::default()
    }
}

#[tokio::test]
async fn the_catalog_is_filtered_and_an_application_lists_every_association() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let linux_only = ApplicationsQuery {
        filter: ApplicationFilter {
            os: vec!["UBUNTU_22_04".into()],
            ..ApplicationFilter::default()
        },
        app: String::new(),
    };
    let view = applications::applications_view(
        &crate::common::caller(&state, &user(Role::Admin)),
        &linux_only,
    )
    .await
    .expect("view");
    assert_eq!(view.regions.len(), 2);
    let names: Vec<&str> = view.regions[0]
        .applications
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, vec!["Remmina"]);
    assert!(view.selected.is_none());
    // An application the filters hide can still be chosen (looked up without them).
    let hidden = ApplicationsQuery {
        app: "wsa-office21-eu".into(),
        ..linux_only.clone()
    };
    let view = applications::applications_view(
        &crate::common::caller(&state, &user(Role::Admin)),
        &hidden,
    )
    .await
    .expect("view");
    assert_eq!(
        view.selected.map(|d| d.application.name),
        Some("Microsoft Office 2021".to_string())
    );

    let office = ApplicationsQuery {
        filter: ApplicationFilter::default(),
        app: "wsa-office21-eu".into(),
    };
    let view = applications::applications_view(
        &crate::common::caller(&state, &user(Role::Admin)),
        &office,
    )
    .await
    .expect("view");
    let detail = view.selected.expect("chosen");
    let count = |kind: &str| {
        detail
            .associations
            .iter()
            .filter(|a| a.resource_type == kind)
            .count()
    };
    assert!(
        count("WORKSPACE") > 25,
        "every page: {}",
        count("WORKSPACE")
    );
    assert_eq!((count("BUNDLE"), count("IMAGE")), (2, 1));
    assert!(
        !detail.workspace_users.is_empty(),
        "user names from the cache"
    );
    let bad = ApplicationsQuery {
        filter: ApplicationFilter {
            compute: vec!["HUGE".into()],
            ..ApplicationFilter::default()
        },
        app: String::new(),
    };
    assert!(matches!(
        applications::applications_view(&crate::common::caller(&state, &user(Role::Admin)), &bad)
            .await,
        Err(AppError::Validation { .. })
    ));

    // The sync cached who has what: the fleet filter finds Office's WorkSpaces.
    let with_office = fleet(
        pool,
        FleetQuery {
            app: "wsa-office21-eu".into(),
            ..FleetQuery::default()
        },
    )
    .await;
    assert_eq!(with_office.len(), count("WORKSPACE"));
    assert!(with_office.iter().all(|ws| {
        ws.operating_system
            .as_deref()
            .is_some_and(|os| os.starts_with("WINDOWS"))
    }));
    let names = inventory::application_names(pool).await.expect("names");
    assert!(names[&with_office[0].id].contains("Microsoft Office 2021"));
    let facets = inventory::facets(pool, None).await.expect("facets");
    assert!(
        facets
            .applications
            .iter()
            .any(|(id, name)| id == "wsa-visio21-eu" && name == "Microsoft Visio 2021 (eu-west-1)")
    );
}

#[tokio::test]
async fn associate_deploy_and_disassociate_are_audited_cached_and_refused_to_lower_roles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let (admin, helpdesk, viewer) = (user(Role::Admin), user(Role::Helpdesk), user(Role::Viewer));
    let npp = "wsa-notepadpp-eu";
    let with_npp = || {
        fleet(
            pool,
            FleetQuery {
                app: npp.into(),
                ..FleetQuery::default()
            },
        )
    };
    assert!(
        with_npp().await.is_empty(),
        "nobody has Notepad++ in the demo"
    );
    let ws = fleet(pool, windows_eu()).await.remove(0);

    let card =
        applications::workspace_applications(&crate::common::caller(&state, &viewer), &ws.id)
            .await
            .expect("card");
    assert!(!card.can_deploy && !card.can_manage);
    assert!(card.compatible.iter().any(|(id, _)| id == npp));
    assert!(
        !card.compatible.iter().any(|(id, _)| id == "wsa-remmina-eu"),
        "Linux only"
    );
    for who in [&viewer, &helpdesk] {
        assert!(matches!(
            applications::associate(&crate::common::caller(&state, who), &ws.id, npp, "REQ-1")
                .await,
            Err(AppError::Forbidden)
        ));
    }
    assert!(matches!(
        applications::deploy(
            &crate::common::caller(&state, &viewer),
            &ws.id,
            false,
            "REQ-1"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        applications::associate(&crate::common::caller(&state, &admin), &ws.id, npp, " ").await,
        Err(AppError::Validation { .. })
    ));

    applications::associate(
        &crate::common::caller(&state, &admin),
        &ws.id,
        npp,
        "REQ-1: editor",
    )
    .await
    .expect("associate");
    assert_eq!(
        with_npp()
            .await
            .iter()
            .map(|w| w.id.clone())
            .collect::<Vec<_>>(),
        vec![ws.id.clone()]
    );
    let (entries, _) = audit::list(
        pool,
        &AuditQuery {
            action: "workspace.associate_application".into(),
            ..Default::default()
        },
        Some(0),
    )
    .await
    .expect("audit");
    assert_eq!(entries[0].outcome, "succeeded");
    assert_eq!(entries[0].reason.as_deref(), Some("REQ-1: editor"));
    assert!(entries[0].params.contains(npp) && entries[0].params.contains("Notepad++"));
    assert!(matches!(
        applications::associate(&crate::common::caller(&state, &admin), &ws.id, npp, "again").await,
        Err(AppError::Validation { .. })
    ));

    let card =
        applications::workspace_applications(&crate::common::caller(&state, &helpdesk), &ws.id)
            .await
            .expect("card");
    assert!(card.can_deploy && card.has_pending());
    applications::deploy(
        &crate::common::caller(&state, &helpdesk),
        &ws.id,
        false,
        "REQ-1",
    )
    .await
    .expect("deploy");
    // The demo answers the deployed association (004_989ae404788726c9.txt:556-571); the
    // deploy stores its state before any card reads it again.
    assert_eq!(cached_state(pool, &ws.id, npp).await, "INSTALLING");
    let card =
        applications::workspace_applications(&crate::common::caller(&state, &helpdesk), &ws.id)
            .await
            .expect("card");
    let installing = card
        .applications
        .iter()
        .find(|a| a.association.application_id == npp)
        .expect("listed");
    assert_eq!(installing.association.state.as_deref(), Some("INSTALLING"));
    assert_eq!(installing.name, "Notepad++");

    applications::disassociate(&crate::common::caller(&state, &admin), &ws.id, npp, "REQ-2")
        .await
        .expect("disassociate");
    assert!(with_npp().await.is_empty(), "an uninstall no longer counts");
    let (entries, _) = audit::list(
        pool,
        &AuditQuery {
            action: "workspace.".into(),
            target: ws.id.clone(),
            ..Default::default()
        },
        Some(0),
    )
    .await
    .expect("audit");
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"workspace.disassociate_application"));
    assert!(actions.contains(&"workspace.deploy_applications"));
}

#[tokio::test]
async fn a_failed_deployment_is_retried_only_with_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let failed: String = sqlx::query_scalar(
        "SELECT workspace_id FROM workspace_applications WHERE state = 'ERROR' ORDER BY 1 LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the demo has a failed deployment");
    let helpdesk = user(Role::Helpdesk);
    let card =
        applications::workspace_applications(&crate::common::caller(&state, &helpdesk), &failed)
            .await
            .expect("card");
    let error = card
        .applications
        .iter()
        .find(|a| a.association.failed())
        .expect("failed");
    assert_eq!(
        error.association.error_code.as_deref(),
        Some("DeploymentError.WorkspaceUnreachable")
    );
    if !card.has_pending() {
        assert!(matches!(
            applications::deploy(
                &crate::common::caller(&state, &helpdesk),
                &failed,
                false,
                "INC-3"
            )
            .await,
            Err(AppError::Validation { .. })
        ));
    }
    applications::deploy(
        &crate::common::caller(&state, &helpdesk),
        &failed,
        true,
        "INC-3",
    )
    .await
    .expect("forced");
    let card =
        applications::workspace_applications(&crate::common::caller(&state, &helpdesk), &failed)
            .await
            .expect("card");
    assert!(!card.has_failed(), "the failed deployment is being retried");
}

#[tokio::test]
async fn a_bulk_association_skips_unsupported_workspaces_before_calling_aws() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let linux = fleet(
        pool,
        FleetQuery {
            os: "UBUNTU_22_04".into(),
            ..FleetQuery::default()
        },
    )
    .await
    .remove(0);
    let kiosk = fleet(
        pool,
        FleetQuery {
            region: "eu-west-1".into(),
            compute: "VALUE".into(),
            ..FleetQuery::default()
        },
    )
    .await
    .remove(0);
    let project = || {
        fleet(
            pool,
            FleetQuery {
                app: "wsa-project21-eu".into(),
                ..FleetQuery::default()
            },
        )
    };
    let before = project().await;
    let fresh = fleet(pool, windows_eu())
        .await
        .into_iter()
        .find(|ws| !before.iter().any(|b| b.id == ws.id))
        .expect("a Windows WorkSpace without Project");
    let ids = vec![linux.id.clone(), kiosk.id.clone(), fresh.id.clone()];
    let admin = user(Role::Admin);
    // The review decides as the association will: nothing is sent to AWS yet.
    let review = applications::review_bulk(
        &crate::common::caller(&state, &admin),
        &ids,
        "wsa-project21-eu",
    )
    .await
    .expect("review");
    let skip = |review: &app::model::BulkApplicationReview, id: &str| {
        review
            .rows
            .iter()
            .find(|(ws, _)| ws.id == id)
            .and_then(|(_, skip)| skip.clone())
    };
    assert!(skip(&review, &linux.id).is_some_and(|why| why.contains("Ubuntu 22.04")));
    assert_eq!(skip(&review, &fresh.id), None);
    assert_eq!(
        review.chosen.as_ref().map(|a| a.name.as_str()),
        Some("Microsoft Project 2021")
    );
    assert!(matches!(
        applications::review_bulk(
            &crate::common::caller(&state, &user(Role::Helpdesk)),
            &ids,
            ""
        )
        .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        applications::associate_many(
            &crate::common::caller(&state, &user(Role::Helpdesk)),
            &ids,
            "wsa-project21-eu",
            "CHG-1"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    let report = applications::associate_many(
        &crate::common::caller(&state, &user(Role::Admin)),
        &ids,
        "wsa-project21-eu",
        "CHG-1",
    )
    .await
    .expect("report");
    let result = |id: &str| {
        report
            .results
            .iter()
            .find(|r| r.workspace_id == id)
            .expect("reported")
            .clone()
    };
    assert_eq!(result(&linux.id).outcome, TargetStatus::Skipped);
    assert!(
        result(&linux.id)
            .message
            .is_some_and(|m| m.contains("does not support Ubuntu 22.04"))
    );
    assert_eq!(result(&kiosk.id).outcome, TargetStatus::Skipped);
    assert!(
        result(&kiosk.id)
            .message
            .is_some_and(|m| m.contains("VALUE"))
    );
    assert_eq!(result(&fresh.id).outcome, TargetStatus::Succeeded);
    let with_project = project().await;
    assert_eq!(with_project.len(), before.len() + 1);
    let review = applications::review_bulk(
        &crate::common::caller(&state, &admin),
        &ids,
        "wsa-project21-eu",
    )
    .await
    .expect("review");
    assert!(skip(&review, &fresh.id).is_some_and(|why| why.contains("already has")));
    assert!(with_project.iter().any(|ws| ws.id == fresh.id));
    assert!(
        !with_project
            .iter()
            .any(|ws| ws.id == linux.id || ws.id == kiosk.id)
    );
}

#[tokio::test]
async fn bundle_and_image_applications_come_from_the_sync_not_from_page_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let cached = applications::image_and_bundle_applications(&state.pool)
        .await
        .expect("cached");
    assert!(
        cached
            .iter()
            .any(|(id, apps)| id.starts_with("wsb-") && !apps.is_empty()),
        "a bundle's applications: {cached:?}"
    );
    assert!(
        cached
            .iter()
            .any(|(id, apps)| id.starts_with("wsi-") && !apps.is_empty()),
        "an image's applications: {cached:?}"
    );
    assert!(
        cached
            .iter()
            .flat_map(|(_, apps)| apps)
            .all(|a| a.association.resource_type != "WORKSPACE" && !a.name.starts_with("wsa-")),
        "named from the catalog, bundles and images only"
    );
}

/// The cached state of `application_id` on `workspace_id` (`workspace_applications`).
async fn cached_state(pool: &AnyPool, workspace_id: &str, application_id: &str) -> String {
    sqlx::query_scalar(
        "SELECT state FROM workspace_applications WHERE workspace_id = $1 AND application_id = $2",
    )
    .bind(workspace_id)
    .bind(application_id)
    .fetch_one(pool)
    .await
    .expect("a cached association")
}

/// A WorkspaceResourceAssociation of `application_id` on `workspace_id` in `state`.
fn on_workspace(
    workspace_id: &str,
    application_id: &str,
    state: AssociationState,
) -> WorkspaceResourceAssociation {
    WorkspaceResourceAssociation::builder()
        .associated_resource_id(application_id)
        .associated_resource_type(WorkSpaceAssociatedResourceType::Application)
        .workspace_id(workspace_id)
        .state(state)
        .build()
}

/// AssociateWorkspaceApplication and DisassociateWorkspaceApplication answer the
/// association with its state (004_989ae404788726c9.txt:48-58, :885-895),
/// DeployWorkspaceApplications the deployed associations (:556-571): the SDK adapter
/// carries them in the outcome and the cache stores what AWS answered, not the state the
/// plan expected (PENDING_INSTALL_DEPLOYMENT, PENDING_UNINSTALL_DEPLOYMENT).
#[tokio::test]
async fn the_cache_stores_the_association_states_aws_answers() {
    use aws_smithy_mocks::RuleMode;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = demo_overlay_state(&dir).await;
    let pool = &state.pool;
    let ws = fleet(pool, windows_eu()).await.remove(0);
    let npp = "wsa-notepadpp-eu";
    let describe = |answer: Option<AssociationState>| {
        let id = ws.id.clone();
        mock!(aws_sdk_workspaces::Client::describe_workspace_associations).then_output(
            move || {
                let out = aws_sdk_workspaces::operation::describe_workspace_associations::DescribeWorkspaceAssociationsOutput::builder();
                match answer.clone() {
                    Some(state) => out.associations(on_workspace(&id, npp, state)),
                    None => out,
                }
                .build()
            },
        )
    };
    let id = ws.id.clone();
    let associate = mock!(aws_sdk_workspaces::Client::associate_workspace_application)
        .then_output(move || {
            aws_sdk_workspaces::operation::associate_workspace_application::AssociateWorkspaceApplicationOutput::builder()
                .association(on_workspace(&id, npp, AssociationState::PendingInstall))
                .build()
        });
    let id = ws.id.clone();
    let deploy = mock!(aws_sdk_workspaces::Client::deploy_workspace_applications).then_output(
        move || {
            aws_sdk_workspaces::operation::deploy_workspace_applications::DeployWorkspaceApplicationsOutput::builder()
                .deployment(
                    aws_sdk_workspaces::types::WorkSpaceApplicationDeployment::builder()
                        .associations(on_workspace(&id, npp, AssociationState::Installing))
                        .build(),
                )
                .build()
        },
    );
    let id = ws.id.clone();
    let disassociate = mock!(aws_sdk_workspaces::Client::disassociate_workspace_application)
        .then_output(move || {
            aws_sdk_workspaces::operation::disassociate_workspace_application::DisassociateWorkspaceApplicationOutput::builder()
                .association(on_workspace(&id, npp, AssociationState::PendingUninstall))
                .build()
        });
    let (none, pending, completed) = (
        describe(None),
        describe(Some(AssociationState::PendingInstallDeployment)),
        describe(Some(AssociationState::Completed)),
    );
    let client = mock_client!(
        aws_sdk_workspaces,
        RuleMode::Sequential,
        [
            &none,
            &associate,
            &pending,
            &deploy,
            &completed,
            &disassociate
        ]
    );
    let eu: std::sync::Arc<dyn WorkspacesApi> =
        std::sync::Arc::new(SdkWorkspaces::from_client(client, "eu-west-1"));

    let outcome = {
        // The adapter's outcome names the association and its state.
        let direct = mock!(aws_sdk_workspaces::Client::associate_workspace_application)
            .then_output(|| {
                aws_sdk_workspaces::operation::associate_workspace_application::AssociateWorkspaceApplicationOutput::builder()
                    .association(on_workspace("ws-1", "wsa-1", AssociationState::PendingInstall))
                    .build()
            });
        let api =
            SdkWorkspaces::from_client(mock_client!(aws_sdk_workspaces, [&direct]), "eu-west-1");
        api.apply(&Change::Application(ApplicationChange::Associate {
            workspace_id: "ws-1".into(),
            application_id: "wsa-1".into(),
        }))
        .await
        .expect("associate")
    };
    assert_eq!(
        outcome.association_state("ws-1", "wsa-1"),
        Some("PENDING_INSTALL")
    );

    let regions = [eu];
    let admin = crate::common::caller_over(pool, &regions, &user(Role::Admin));
    applications::associate(&admin, &ws.id, npp, "REQ-7")
        .await
        .expect("associate");
    assert_eq!(cached_state(pool, &ws.id, npp).await, "PENDING_INSTALL");
    applications::deploy(&admin, &ws.id, false, "REQ-7")
        .await
        .expect("deploy");
    assert_eq!(cached_state(pool, &ws.id, npp).await, "INSTALLING");
    applications::disassociate(&admin, &ws.id, npp, "REQ-7")
        .await
        .expect("disassociate");
    assert_eq!(cached_state(pool, &ws.id, npp).await, "PENDING_UNINSTALL");
    assert_eq!(
        (
            associate.num_calls(),
            deploy.num_calls(),
            disassociate.num_calls()
        ),
        (1, 1, 1)
    );
}
