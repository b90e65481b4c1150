//! What Fleetdesk changes through the WorkSpaces API: one [`Change`] variant per area,
//! one inner variant per API operation, and the [`ChangeOutcome`] of a call.

use crate::model::{ClientProperties, IpRule, Tag};

/// Every change Fleetdesk sends to AWS, by area. Each value is one API call.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Workspace(WorkspaceChange),
    IpGroup(IpGroupChange),
    Image(ImageChange),
    Directory(DirectoryChange),
    Bundle(BundleChange),
    Tags(TagChange),
    Account(AccountChange),
    ConnectionAlias(AliasChange),
    Application(ApplicationChange),
}

/// Changes to the applications of one WorkSpace (release note 2023-10).
#[derive(Debug, Clone, PartialEq)]
pub enum ApplicationChange {
    /// AssociateWorkspaceApplication (004_989ae404788726c9.txt:7).
    Associate {
        workspace_id: String,
        application_id: String,
    },
    /// DisassociateWorkspaceApplication (004_989ae404788726c9.txt:844).
    Disassociate {
        workspace_id: String,
        application_id: String,
    },
    /// DeployWorkspaceApplications (004_989ae404788726c9.txt:517); `force` retries
    /// previously failed deployments (:549).
    Deploy { workspace_id: String, force: bool },
}

/// Changes to the account's BYOL configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountChange {
    /// ModifyAccount with DedicatedTenancySupport ENABLED and a /16 management range
    /// that ListAvailableManagementCidrRanges offers (000_694e23744a3a4a46.txt:5277).
    EnableByol { management_cidr: String },
}

/// CreateTags / DeleteTags on any taggable resource: WorkSpaces, registered directories,
/// images, custom bundles, IP groups and connection aliases (000_694e23744a3a4a46.txt:953).
#[derive(Debug, Clone, PartialEq)]
pub enum TagChange {
    /// Adds the tags, overwriting the values of keys the resource already has.
    Create { resource_id: String, tags: Vec<Tag> },
    Delete {
        resource_id: String,
        keys: Vec<String>,
    },
}

/// Changes to WorkSpaces. Batched calls take at most [`API_BATCH_LIMIT`] ids; rebuild,
/// restore and the others take one WorkSpace per call, as the API does.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkspaceChange {
    Reboot(Vec<String>),
    Start(Vec<String>),
    Stop(Vec<String>),
    Terminate(Vec<String>),
    Rebuild(String),
    Restore(String),
    /// ModifyWorkspaceState: ADMIN_MAINTENANCE (true) or AVAILABLE (false).
    SetMaintenance {
        id: String,
        maintenance: bool,
    },
    ModifyProperties {
        id: String,
        properties: PropertyChange,
    },
    /// MigrateWorkspace: AWS answers the id of the new WorkSpace
    /// (000_694e23744a3a4a46.txt:5223), returned as [`ChangeOutcome::created_id`].
    Migrate {
        id: String,
        bundle_id: String,
    },
    /// CreateStandbyWorkspaces for one primary, sent to the standby's Region
    /// (002_363a3ccb364b572d.txt:6). The standby's id comes back as
    /// [`ChangeOutcome::created_id`]; a FailedStandbyRequest as a failed target.
    CreateStandby {
        primary_region: String,
        request: StandbyRequest,
    },
    /// CreateWorkspaces: at most [`API_BATCH_LIMIT`] WorkSpaces per call
    /// (000_694e23744a3a4a46.txt:1372 "You can specify up to 25 WorkSpaces"). AWS
    /// answers per user name: [`ChangeOutcome::created_per_target`] for the
    /// PendingRequests, [`ChangeOutcome::failed`] for the FailedRequests.
    Create(Vec<NewWorkspace>),
}

/// One standby WorkSpace to create (StandbyWorkspace, 002_363a3ccb364b572d.txt:38).
#[derive(Debug, Clone, PartialEq)]
pub struct StandbyRequest {
    pub primary_workspace_id: String,
    /// A directory registered in the standby's Region.
    pub directory_id: String,
    pub volume_encryption_key: Option<String>,
    pub tags: Vec<Tag>,
}

/// One WorkSpace to create (a WorkspaceRequest, 000_694e23744a3a4a46.txt:1342; running
/// mode MANUAL and the protocols from 002_363a3ccb364b572d.txt:149).
#[derive(Debug, Clone, PartialEq)]
pub struct NewWorkspace {
    pub directory_id: String,
    pub user_name: String,
    pub bundle_id: String,
    /// `AUTO_STOP`, `ALWAYS_ON` or `MANUAL`.
    pub running_mode: String,
    /// Only with `AUTO_STOP`; a multiple of 60.
    pub auto_stop_timeout_minutes: Option<i32>,
    /// `PCOIP` or `WSP`; empty leaves the bundle's default.
    pub protocols: Vec<String>,
    pub root_volume_encrypted: bool,
    pub user_volume_encrypted: bool,
    /// The KMS key; required when a volume is encrypted.
    pub volume_encryption_key: Option<String>,
    pub tags: Vec<Tag>,
}

/// The properties ModifyWorkspaceProperties changes; `None` leaves one as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PropertyChange {
    pub running_mode: Option<String>,
    pub auto_stop_timeout_minutes: Option<i32>,
    pub compute_type: Option<String>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
    /// WorkspaceProperties.Protocols: `PCOIP` or `WSP` (002_363a3ccb364b572d.txt:179).
    pub protocols: Option<Vec<String>>,
}

/// A target the API refused within an accepted call (FailedRequests).
#[derive(Debug, Clone, PartialEq)]
pub struct FailedRequest {
    /// The refused target as the plan names it: the WorkSpace id, or for
    /// CreateWorkspaces the user name of the refused request.
    pub target: String,
    pub code: String,
    pub message: String,
}

/// What AWS answered to a change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeOutcome {
    /// WorkSpaces refused within a batched call.
    pub failed: Vec<FailedRequest>,
    pub request_id: Option<String>,
    /// The id of what the call created: a new IP group, image copy or bundle, or the
    /// WorkSpace a migration creates.
    pub created_id: Option<String>,
    /// For calls that create one resource per target (CreateWorkspaces): `(target, id)`,
    /// e.g. the user name and the new WorkSpace's id of each PendingRequest.
    pub created_per_target: Vec<(String, String)>,
    /// The application associations AWS answered with: one for
    /// AssociateWorkspaceApplication and DisassociateWorkspaceApplication
    /// (004_989ae404788726c9.txt:48-58, :885-895), the deployed ones for
    /// DeployWorkspaceApplications (:556-571). The cache stores their states.
    pub associations: Vec<crate::model::AppAssociation>,
}

impl ChangeOutcome {
    /// The state AWS answered for the association of `application_id` with the WorkSpace
    /// `workspace_id`, if it answered one.
    pub fn association_state(&self, workspace_id: &str, application_id: &str) -> Option<&str> {
        self.associations
            .iter()
            .find(|a| {
                a.resource_type == "WORKSPACE"
                    && a.resource_id == workspace_id
                    && a.application_id == application_id
            })
            .and_then(|a| a.state.as_deref())
    }
}

/// Changes to IP access control groups.
#[derive(Debug, Clone, PartialEq)]
pub enum IpGroupChange {
    Create {
        name: String,
        description: Option<String>,
        rules: Vec<IpRule>,
    },
    Delete {
        group_id: String,
    },
    /// AuthorizeIpRules: adds rules, leaving the others as AWS holds them.
    AuthorizeRules {
        group_id: String,
        rules: Vec<IpRule>,
    },
    /// RevokeIpRules: removes the rules with these CIDRs, leaving the others.
    RevokeRules {
        group_id: String,
        cidrs: Vec<String>,
    },
    /// UpdateRulesOfIpGroup: the group's rules become exactly `rules`
    /// (000_694e23744a3a4a46.txt:6926 "Replaces the current rules").
    ReplaceRules {
        group_id: String,
        rules: Vec<IpRule>,
    },
    Associate {
        directory_id: String,
        group_id: String,
    },
    Disassociate {
        directory_id: String,
        group_id: String,
    },
}

/// Changes to images.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageChange {
    Delete {
        image_id: String,
    },
    /// UpdateWorkspaceImagePermission: share with (`allow`) or unshare from an account.
    Share {
        image_id: String,
        account_id: String,
        allow: bool,
    },
    /// ImportWorkspaceImage: a licensed EC2 image becomes a BYOL WorkSpaces image
    /// (000_694e23744a3a4a46.txt:4889); its id comes back as `created_id`.
    Import(ImageImport),
    /// CopyWorkspaceImage, sent to the destination Region's client.
    Copy {
        source_region: String,
        source_image_id: String,
        name: String,
        description: Option<String>,
    },
}

/// What ImportWorkspaceImage sends.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageImport {
    pub ec2_image_id: String,
    /// One of [`crate::model::INGESTION_PROCESSES`].
    pub ingestion_process: String,
    pub name: String,
    pub description: String,
    pub tags: Vec<Tag>,
    /// At most one Microsoft Office version (000_694e23744a3a4a46.txt:4996).
    pub applications: Vec<String>,
}

/// What registering a directory sends besides its id (RegisterWorkspaceDirectory,
/// 000_694e23744a3a4a46.txt:6176).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registration {
    pub subnet_ids: Vec<String>,
    /// Required by the reference; WorkDocs is off unless asked for.
    pub enable_work_docs: bool,
    pub enable_self_service: bool,
    /// `DEDICATED` (needed for BYOL images) or `SHARED`; `None` leaves AWS's default.
    pub tenancy: Option<String>,
    pub tags: Vec<crate::model::Tag>,
}

/// Changes to directories.
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryChange {
    Register {
        directory_id: String,
        registration: Registration,
    },
    Deregister {
        directory_id: String,
    },
    SetSelfService {
        directory_id: String,
        permissions: crate::model::SelfService,
    },
    /// ModifyWorkspaceCreationProperties; text fields left `None` are not sent and keep
    /// their value in AWS.
    SetCreationProperties {
        directory_id: String,
        properties: crate::model::CreationProperties,
    },
    /// ModifyWorkspaceAccessProperties: every platform is sent as it is in `access`
    /// (ALLOW, DENY, or TRUST for Windows and macOS), changed or not.
    SetAccessProperties {
        directory_id: String,
        access: crate::model::AccessProperties,
    },
    /// ModifyClientProperties (000_694e23744a3a4a46.txt:5316): the settings that are
    /// `Some` are sent, the others are left out and keep their value.
    SetClientProperties {
        directory_id: String,
        properties: ClientProperties,
    },
}

/// Changes to connection aliases (cross-Region redirection).
#[derive(Debug, Clone, PartialEq)]
pub enum AliasChange {
    /// CreateConnectionAlias (000_694e23744a3a4a46.txt:652): AWS answers the AliasId,
    /// returned as [`ChangeOutcome::created_id`].
    Create {
        connection_string: String,
        tags: Vec<Tag>,
    },
    /// DeleteConnectionAlias (000_694e23744a3a4a46.txt:1929).
    Delete { alias_id: String },
    /// AssociateConnectionAlias (000_694e23744a3a4a46.txt:206): AWS answers the
    /// connection identifier, returned as [`ChangeOutcome::created_id`].
    Associate {
        alias_id: String,
        directory_id: String,
    },
    /// DisassociateConnectionAlias (000_694e23744a3a4a46.txt:4692): takes the alias only.
    Disassociate { alias_id: String },
    /// UpdateConnectionAliasPermission (000_694e23744a3a4a46.txt:6820): share with
    /// (`allow`) or unshare from one account.
    SetPermission {
        alias_id: String,
        account_id: String,
        allow: bool,
    },
}

/// Changes to custom bundles.
#[derive(Debug, Clone, PartialEq)]
pub enum BundleChange {
    Create {
        name: String,
        description: String,
        image_id: String,
        compute_type: String,
        root_gib: i32,
        user_gib: i32,
    },
    /// UpdateWorkspaceBundle: new WorkSpaces from the bundle get this image.
    Update {
        bundle_id: String,
        image_id: String,
    },
    Delete {
        bundle_id: String,
    },
}
