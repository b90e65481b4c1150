//! The demo's seam: every [`Change`] variant, applied through the demo fleet that
//! `serve --demo` runs on (SDK client, emulator, overlay), is answered. An operation the
//! demo cannot answer fails here instead of in front of someone trying the demo.
//!
//! [`variant`] matches every variant without a wildcard, so a new variant does not
//! compile until it has a name here; the test then fails until a sample of it is applied.

use std::collections::BTreeSet;
use std::sync::Arc;

use app::model::{
    AccessProperties, ApplicationFilter, ClientProperties, CreationProperties, IpRule, SelfService,
    Tag, WorkspaceState,
};
use app::server::aws::{
    AccountChange, AliasChange, ApplicationChange, AssociatedResource, BundleChange, Change,
    DirectoryChange, ImageChange, ImageImport, IpGroupChange, NewWorkspace, PropertyChange,
    Registration, StandbyRequest, TagChange, WorkspaceChange, WorkspacesApi, all_pages,
};

/// The name of a variant: one arm per variant, no wildcard.
fn variant(change: &Change) -> &'static str {
    match change {
        Change::Workspace(change) => match change {
            WorkspaceChange::Reboot(_) => "RebootWorkspaces",
            WorkspaceChange::Start(_) => "StartWorkspaces",
            WorkspaceChange::Stop(_) => "StopWorkspaces",
            WorkspaceChange::Terminate(_) => "TerminateWorkspaces",
            WorkspaceChange::Rebuild(_) => "RebuildWorkspaces",
            WorkspaceChange::Restore(_) => "RestoreWorkspace",
            WorkspaceChange::SetMaintenance { .. } => "ModifyWorkspaceState",
            WorkspaceChange::ModifyProperties { .. } => "ModifyWorkspaceProperties",
            WorkspaceChange::Migrate { .. } => "MigrateWorkspace",
            WorkspaceChange::CreateStandby { .. } => "CreateStandbyWorkspaces",
            WorkspaceChange::Create(_) => "CreateWorkspaces",
        },
        Change::IpGroup(change) => match change {
            IpGroupChange::Create { .. } => "CreateIpGroup",
            IpGroupChange::Delete { .. } => "DeleteIpGroup",
            IpGroupChange::AuthorizeRules { .. } => "AuthorizeIpRules",
            IpGroupChange::RevokeRules { .. } => "RevokeIpRules",
            IpGroupChange::ReplaceRules { .. } => "UpdateRulesOfIpGroup",
            IpGroupChange::Associate { .. } => "AssociateIpGroups",
            IpGroupChange::Disassociate { .. } => "DisassociateIpGroups",
        },
        Change::Image(change) => match change {
            ImageChange::Delete { .. } => "DeleteWorkspaceImage",
            ImageChange::Share { .. } => "UpdateWorkspaceImagePermission",
            ImageChange::Import(_) => "ImportWorkspaceImage",
            ImageChange::Copy { .. } => "CopyWorkspaceImage",
        },
        Change::Directory(change) => match change {
            DirectoryChange::Register { .. } => "RegisterWorkspaceDirectory",
            DirectoryChange::Deregister { .. } => "DeregisterWorkspaceDirectory",
            DirectoryChange::SetSelfService { .. } => "ModifySelfservicePermissions",
            DirectoryChange::SetCreationProperties { .. } => "ModifyWorkspaceCreationProperties",
            DirectoryChange::SetAccessProperties { .. } => "ModifyWorkspaceAccessProperties",
            DirectoryChange::SetClientProperties { .. } => "ModifyClientProperties",
        },
        Change::Bundle(change) => match change {
            BundleChange::Create { .. } => "CreateWorkspaceBundle",
            BundleChange::Update { .. } => "UpdateWorkspaceBundle",
            BundleChange::Delete { .. } => "DeleteWorkspaceBundle",
        },
        Change::Tags(change) => match change {
            TagChange::Create { .. } => "CreateTags",
            TagChange::Delete { .. } => "DeleteTags",
        },
        Change::Account(change) => match change {
            AccountChange::EnableByol { .. } => "ModifyAccount",
        },
        Change::ConnectionAlias(change) => match change {
            AliasChange::Create { .. } => "CreateConnectionAlias",
            AliasChange::Delete { .. } => "DeleteConnectionAlias",
            AliasChange::Associate { .. } => "AssociateConnectionAlias",
            AliasChange::Disassociate { .. } => "DisassociateConnectionAlias",
            AliasChange::SetPermission { .. } => "UpdateConnectionAliasPermission",
        },
        Change::Application(change) => match change {
            ApplicationChange::Associate { .. } => "AssociateWorkspaceApplication",
            ApplicationChange::Disassociate { .. } => "DisassociateWorkspaceApplication",
            ApplicationChange::Deploy { .. } => "DeployWorkspaceApplications",
        },
    }
}

/// Every variant's name, as [`variant`] gives them (its arms, in order).
const EVERY_VARIANT: [&str; 42] = [
    "RebootWorkspaces",
    "StartWorkspaces",
    "StopWorkspaces",
    "TerminateWorkspaces",
    "RebuildWorkspaces",
    "RestoreWorkspace",
    "ModifyWorkspaceState",
    "ModifyWorkspaceProperties",
    "MigrateWorkspace",
    "CreateStandbyWorkspaces",
    "CreateWorkspaces",
    "CreateIpGroup",
    "DeleteIpGroup",
    "AuthorizeIpRules",
    "RevokeIpRules",
    "UpdateRulesOfIpGroup",
    "AssociateIpGroups",
    "DisassociateIpGroups",
    "DeleteWorkspaceImage",
    "UpdateWorkspaceImagePermission",
    "ImportWorkspaceImage",
    "CopyWorkspaceImage",
    "RegisterWorkspaceDirectory",
    "DeregisterWorkspaceDirectory",
    "ModifySelfservicePermissions",
    "ModifyWorkspaceCreationProperties",
    "ModifyWorkspaceAccessProperties",
    "ModifyClientProperties",
    "CreateWorkspaceBundle",
    "UpdateWorkspaceBundle",
    "DeleteWorkspaceBundle",
    "CreateTags",
    "DeleteTags",
    "ModifyAccount",
    "CreateConnectionAlias",
    "DeleteConnectionAlias",
    "AssociateConnectionAlias",
    "DisassociateConnectionAlias",
    "UpdateConnectionAliasPermission",
    "AssociateWorkspaceApplication",
    "DisassociateWorkspaceApplication",
    "DeployWorkspaceApplications",
];

/// Applies one change and names it; any error fails the test with AWS's answer.
async fn answered(
    api: &Arc<dyn WorkspacesApi>,
    change: Change,
    applied: &mut BTreeSet<&'static str>,
) -> app::server::aws::ChangeOutcome {
    let name = variant(&change);
    let outcome = api
        .apply(&change)
        .await
        .unwrap_or_else(|error| panic!("the demo does not answer {name}: {error}"));
    applied.insert(name);
    outcome
}

fn tag(key: &str) -> Tag {
    Tag {
        key: key.into(),
        value: "seam".into(),
    }
}

#[tokio::test]
async fn the_demo_answers_every_change() {
    let fleet = server::demo::demo_fleet().await.expect("demo fleet");
    let (eu, us) = (&fleet[0], &fleet[1]);
    assert_eq!((eu.region(), us.region()), ("eu-west-1", "us-east-1"));
    let mut applied = BTreeSet::new();

    let workspaces = all_pages(|t| eu.describe_workspaces(t))
        .await
        .expect("workspaces");
    let corp = "d-93670c1e5a";
    let ids_in = |state: WorkspaceState| -> Vec<String> {
        workspaces
            .iter()
            .filter(|w| w.workspace.directory_id == corp && w.workspace.state == state)
            .map(|w| w.workspace.id.clone())
            .collect()
    };
    let available = ids_in(WorkspaceState::Available);
    let stopped = ids_in(WorkspaceState::Stopped);
    assert!(
        available.len() >= 8 && !stopped.is_empty(),
        "demo seed changed"
    );
    let bundle_id = workspaces[0].workspace.bundle_id.clone();

    // WorkSpaces.
    let ws = |i: usize| available[i].clone();
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Reboot(vec![ws(0)])),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Stop(vec![ws(1)])),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Start(vec![stopped[0].clone()])),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Rebuild(ws(2))),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Restore(ws(3))),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::SetMaintenance {
            id: ws(4),
            maintenance: true,
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::ModifyProperties {
            id: ws(5),
            properties: PropertyChange {
                running_mode: Some("AUTO_STOP".into()),
                auto_stop_timeout_minutes: Some(120),
                ..PropertyChange::default()
            },
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Migrate {
            id: ws(6),
            bundle_id: bundle_id.clone(),
        }),
        &mut applied,
    )
    .await;
    answered(
        us,
        Change::Workspace(WorkspaceChange::CreateStandby {
            primary_region: "eu-west-1".into(),
            request: StandbyRequest {
                primary_workspace_id: ws(7),
                directory_id: "d-9067a3f4e2".into(),
                volume_encryption_key: None,
                tags: Vec::new(),
            },
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Create(vec![NewWorkspace {
            directory_id: corp.into(),
            user_name: "seam.test".into(),
            bundle_id: bundle_id.clone(),
            running_mode: "AUTO_STOP".into(),
            auto_stop_timeout_minutes: Some(60),
            protocols: vec!["WSP".into()],
            root_volume_encrypted: false,
            user_volume_encrypted: false,
            volume_encryption_key: None,
            tags: vec![tag("team")],
        }])),
        &mut applied,
    )
    .await;

    // Tags.
    answered(
        eu,
        Change::Tags(TagChange::Create {
            resource_id: ws(0),
            tags: vec![tag("seam")],
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Tags(TagChange::Delete {
            resource_id: ws(0),
            keys: vec!["seam".into()],
        }),
        &mut applied,
    )
    .await;

    // IP groups.
    let group_id = answered(
        eu,
        Change::IpGroup(IpGroupChange::Create {
            name: "seam".into(),
            description: None,
            rules: vec![IpRule {
                cidr: "198.51.100.0/24".into(),
                description: None,
            }],
        }),
        &mut applied,
    )
    .await
    .created_id
    .expect("new group id");
    let rule = |cidr: &str| IpRule {
        cidr: cidr.into(),
        description: Some("seam".into()),
    };
    answered(
        eu,
        Change::IpGroup(IpGroupChange::AuthorizeRules {
            group_id: group_id.clone(),
            rules: vec![rule("203.0.113.0/24")],
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::IpGroup(IpGroupChange::RevokeRules {
            group_id: group_id.clone(),
            cidrs: vec!["203.0.113.0/24".into()],
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::IpGroup(IpGroupChange::ReplaceRules {
            group_id: group_id.clone(),
            rules: vec![rule("192.0.2.0/24")],
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::IpGroup(IpGroupChange::Associate {
            directory_id: corp.into(),
            group_id: group_id.clone(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::IpGroup(IpGroupChange::Disassociate {
            directory_id: corp.into(),
            group_id: group_id.clone(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::IpGroup(IpGroupChange::Delete { group_id }),
        &mut applied,
    )
    .await;

    // Directories.
    answered(
        eu,
        Change::Directory(DirectoryChange::SetSelfService {
            directory_id: corp.into(),
            permissions: SelfService::default(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Directory(DirectoryChange::SetCreationProperties {
            directory_id: corp.into(),
            properties: CreationProperties::default(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Directory(DirectoryChange::SetAccessProperties {
            directory_id: corp.into(),
            access: AccessProperties::from_keys(&["windows".into(), "web".into()]),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Directory(DirectoryChange::SetClientProperties {
            directory_id: corp.into(),
            properties: ClientProperties {
                reconnect: Some(true),
                log_upload: Some(true),
            },
        }),
        &mut applied,
    )
    .await;
    let contractors = "d-936a2b77c1";
    answered(
        eu,
        Change::Directory(DirectoryChange::Deregister {
            directory_id: contractors.into(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Directory(DirectoryChange::Register {
            directory_id: contractors.into(),
            registration: Registration {
                subnet_ids: vec!["subnet-0a1b2c3d".into(), "subnet-4e5f6a7b".into()],
                ..Registration::default()
            },
        }),
        &mut applied,
    )
    .await;

    // Images and bundles.
    let image_id = "wsi-0f2c9a7b1";
    answered(
        eu,
        Change::Image(ImageChange::Share {
            image_id: image_id.into(),
            account_id: "210987654321".into(),
            allow: true,
        }),
        &mut applied,
    )
    .await;
    let copy = answered(
        us,
        Change::Image(ImageChange::Copy {
            source_region: "eu-west-1".into(),
            source_image_id: image_id.into(),
            name: "seam-copy".into(),
            description: None,
        }),
        &mut applied,
    )
    .await
    .created_id
    .expect("copy id");
    answered(
        eu,
        Change::Image(ImageChange::Import(ImageImport {
            ec2_image_id: "ami-0123456789abcdef0".into(),
            ingestion_process: "BYOL_REGULAR_WSP".into(),
            name: "seam-import".into(),
            description: "seam".into(),
            tags: Vec::new(),
            applications: Vec::new(),
        })),
        &mut applied,
    )
    .await;
    let bundle = answered(
        us,
        Change::Bundle(BundleChange::Create {
            name: "seam-bundle".into(),
            description: "seam".into(),
            image_id: copy.clone(),
            compute_type: "STANDARD".into(),
            root_gib: 80,
            user_gib: 50,
        }),
        &mut applied,
    )
    .await
    .created_id
    .expect("bundle id");
    answered(
        us,
        Change::Bundle(BundleChange::Update {
            bundle_id: bundle.clone(),
            image_id: copy.clone(),
        }),
        &mut applied,
    )
    .await;
    answered(
        us,
        Change::Bundle(BundleChange::Delete { bundle_id: bundle }),
        &mut applied,
    )
    .await;
    answered(
        us,
        Change::Image(ImageChange::Delete { image_id: copy }),
        &mut applied,
    )
    .await;

    // Connection aliases.
    let alias_id = answered(
        eu,
        Change::ConnectionAlias(AliasChange::Create {
            connection_string: "seam.example.com".into(),
            tags: Vec::new(),
        }),
        &mut applied,
    )
    .await
    .created_id
    .expect("alias id");
    answered(
        eu,
        Change::ConnectionAlias(AliasChange::SetPermission {
            alias_id: alias_id.clone(),
            account_id: "210987654321".into(),
            allow: true,
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::ConnectionAlias(AliasChange::Associate {
            alias_id: alias_id.clone(),
            directory_id: corp.into(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::ConnectionAlias(AliasChange::Disassociate {
            alias_id: alias_id.clone(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::ConnectionAlias(AliasChange::Delete { alias_id }),
        &mut applied,
    )
    .await;

    // BYOL.
    let cidr = all_pages(|t| eu.list_management_cidr_ranges("10.0.0.0/8", t))
        .await
        .expect("ranges")
        .into_iter()
        .next()
        .expect("a free range");
    answered(
        eu,
        Change::Account(AccountChange::EnableByol {
            management_cidr: cidr,
        }),
        &mut applied,
    )
    .await;

    // Applications.
    let any = ApplicationFilter::default();
    let installed: Vec<String> = eu
        .describe_resource_associations(AssociatedResource::Workspace(ws(0)))
        .await
        .expect("associations")
        .into_iter()
        .map(|a| a.application_id)
        .collect();
    let application_id = all_pages(|t| eu.describe_applications(&any, t))
        .await
        .expect("applications")
        .into_iter()
        .map(|a| a.id)
        .find(|id| !installed.contains(id))
        .expect("an application not on the WorkSpace");
    answered(
        eu,
        Change::Application(ApplicationChange::Associate {
            workspace_id: ws(0),
            application_id: application_id.clone(),
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Application(ApplicationChange::Deploy {
            workspace_id: ws(0),
            force: false,
        }),
        &mut applied,
    )
    .await;
    answered(
        eu,
        Change::Application(ApplicationChange::Disassociate {
            workspace_id: ws(0),
            application_id,
        }),
        &mut applied,
    )
    .await;

    // Last: terminate.
    answered(
        eu,
        Change::Workspace(WorkspaceChange::Terminate(vec![ws(1)])),
        &mut applied,
    )
    .await;

    let every: BTreeSet<&str> = EVERY_VARIANT.into_iter().collect();
    assert_eq!(
        every.len(),
        EVERY_VARIANT.len(),
        "a name twice in EVERY_VARIANT"
    );
    let missing: Vec<_> = every.difference(&applied).collect();
    assert!(missing.is_empty(), "no sample applied for {missing:?}");
}
