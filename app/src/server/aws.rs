//! The boundary to AWS: everything Fleetdesk asks of the WorkSpaces API goes through
//! [`WorkspacesApi`].
//!
//! The trait speaks our own types, so the rest of the server never sees an SDK type and
//! tests can put an emulator or a scripted fake behind it. The production implementation
//! (over `aws-sdk-workspaces`) lives in the `server` crate. Each value serves one Region.

use async_trait::async_trait;

use crate::error::AppError;
use crate::model::{
    AccountInfo, AccountModification, AliasPermission, AppAssociation, Application,
    ApplicationFilter, Bundle, ClientProperties, ConnectionAlias, ConnectionStatus, Directory,
    Image, IpGroup, IpRule, Snapshot, Tag, Workspace, WorkspaceDetails,
};

/// The most items the WorkSpaces API returns per Describe call.
pub const API_PAGE_SIZE: usize = 25;

/// One page of a Describe call and the token for the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// A WorkSpace as DescribeWorkspaces returns it: the fleet columns and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribedWorkspace {
    pub workspace: Workspace,
    pub details: WorkspaceDetails,
}

/// Most WorkSpace ids per Reboot/Start/Stop/Terminate call (and per Describe by id).
pub const API_BATCH_LIMIT: usize = 25;

/// What Fleetdesk reads from the API. Each Describe takes one page token where the API
/// pages (25 items a page); [`Answer`] holds the matching answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Workspaces {
        next_token: Option<String>,
    },
    /// Up to [`API_BATCH_LIMIT`] WorkSpaces by id, to follow them after a change.
    WorkspacesById {
        ids: Vec<String>,
    },
    Directories {
        next_token: Option<String>,
    },
    Bundles {
        owner: BundleOwner,
        next_token: Option<String>,
    },
    /// DescribeWorkspaceImages; `owned_only` asks for the account's own images
    /// (ImageType OWNED), else images shared with the account are listed too.
    Images {
        owned_only: bool,
        next_token: Option<String>,
    },
    /// DescribeIpGroups; `group_ids` empty for every group.
    IpGroups {
        group_ids: Vec<String>,
        next_token: Option<String>,
    },
    ConnectionStatus {
        next_token: Option<String>,
    },
    /// The AWS accounts an image is shared with (every page).
    ImagePermissions {
        image_id: String,
    },
    /// The tags of one resource (one call per WorkSpace).
    Tags {
        resource_id: String,
    },
    /// The rebuild and restore snapshots of one WorkSpace.
    Snapshots {
        workspace_id: String,
    },
    /// DescribeAccount: the BYOL configuration of the account in this Region.
    Account,
    /// DescribeAccountModifications, one page.
    AccountModifications {
        next_token: Option<String>,
    },
    /// ListAvailableManagementCidrRanges within `constraint`, one page.
    ManagementCidrRanges {
        constraint: String,
        next_token: Option<String>,
    },
    /// DescribeConnectionAliases (000_694e23744a3a4a46.txt:2734); `alias_ids` empty for
    /// every alias of the Region.
    ConnectionAliases {
        alias_ids: Vec<String>,
        next_token: Option<String>,
    },
    /// DescribeConnectionAliasPermissions (000_694e23744a3a4a46.txt:2607), every page.
    ConnectionAliasPermissions {
        alias_id: String,
    },
    /// DescribeClientProperties (000_694e23744a3a4a46.txt:2501) of up to
    /// [`API_BATCH_LIMIT`] directories.
    ClientProperties {
        directory_ids: Vec<String>,
    },
    /// DescribeApplications (004_989ae404788726c9.txt:106) with the catalog filters, one
    /// page.
    Applications {
        filter: ApplicationFilter,
        next_token: Option<String>,
    },
    /// DescribeApplicationAssociations (004_989ae404788726c9.txt:385) of one application
    /// with the resource types asked for (`WORKSPACE`, `BUNDLE`, `IMAGE`), one page.
    ApplicationAssociations {
        application_id: String,
        resource_types: Vec<String>,
        next_token: Option<String>,
    },
    /// The applications associated with one WorkSpace, bundle or image
    /// (DescribeWorkspaceAssociations :735, DescribeBundleAssociations :626,
    /// DescribeImageAssociations :276 of 004_989ae404788726c9.txt; none of them pages).
    ResourceAssociations {
        resource: AssociatedResource,
    },
}

/// The resource whose application associations to read.
#[derive(Debug, Clone, PartialEq)]
pub enum AssociatedResource {
    Workspace(String),
    Bundle(String),
    Image(String),
}

/// The API's answer to a [`Query`] of the same name.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Workspaces(Page<DescribedWorkspace>),
    Directories(Page<Directory>),
    Bundles(Page<Bundle>),
    Images(Page<Image>),
    IpGroups(Page<IpGroup>),
    ConnectionStatus(Page<ConnectionStatus>),
    AccountIds(Vec<String>),
    Tags(Vec<Tag>),
    Snapshots(Vec<Snapshot>),
    Account(AccountInfo),
    AccountModifications(Page<AccountModification>),
    CidrRanges(Page<String>),
    ConnectionAliases(Page<ConnectionAlias>),
    AliasPermissions(Vec<AliasPermission>),
    /// Client properties by directory id; directories AWS did not answer for are absent.
    ClientProperties(Vec<(String, ClientProperties)>),
    Applications(Page<Application>),
    Associations(Page<AppAssociation>),
}

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

/// Whose bundles to list: the account's own, or the public ones Amazon publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleOwner {
    Account,
    Amazon,
}

/// What kind of failure AWS reported, so callers can decide to retry or to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Rate exceeded; the SDK has already retried with backoff.
    Throttled,
    AccessDenied,
    NotFound,
    InvalidInput,
    /// The endpoint could not be reached or answered with a server error.
    Unavailable,
    Other,
}

/// An AWS error reduced to its code and readable message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct WorkspacesError {
    pub kind: ErrorKind,
    pub code: String,
    pub message: String,
}

impl WorkspacesError {
    /// The code of a call that never left for lack of credentials (for an account of the
    /// accounts file: its role could not be assumed).
    pub const NO_CREDENTIALS: &str = "CredentialsUnavailable";

    /// Names the Region (with its account, see `model::place_name`) in an error that
    /// came from the endpoint or the credentials rather than from a WorkSpaces rule
    /// (unreachable, HTTP errors, unreadable or internal-error answers, no credentials):
    /// "HTTP 500 from the WorkSpaces endpoint in us-east-1".
    pub fn in_region(mut self, region: &str) -> Self {
        let about_the_place =
            self.kind == ErrorKind::Unavailable || self.code == Self::NO_CREDENTIALS;
        if about_the_place && !self.message.contains(region) {
            self.message = format!("{} in {region}", self.message);
        }
        self
    }
}

impl From<WorkspacesError> for AppError {
    fn from(error: WorkspacesError) -> Self {
        AppError::Upstream {
            code: error.code,
            message: error.message,
        }
    }
}

/// The WorkSpaces API of one Region, in Fleetdesk's terms: one method reads, one
/// changes. Wrappers (the rate limit, the demo overlay) forward these two; the typed
/// helpers on `dyn WorkspacesApi` below are what the rest of the server calls.
#[async_trait]
pub trait WorkspacesApi: Send + Sync {
    /// The Region this client talks to.
    fn region(&self) -> &str;

    /// The configured account this client acts in, by its name in the accounts file;
    /// `""` for the one account of a setup without one.
    fn account(&self) -> &str {
        ""
    }

    /// The (account, Region) pair the cache keys this client's resources by.
    fn place(&self) -> (&str, &str) {
        (self.account(), self.region())
    }

    /// Sends one read.
    async fn describe(&self, query: &Query) -> Result<Answer, WorkspacesError>;

    /// Sends one change.
    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, WorkspacesError>;
}

/// The error for an answer that does not fit its query (a fault in an implementation).
fn mismatched(query: &Query) -> WorkspacesError {
    WorkspacesError {
        kind: ErrorKind::Other,
        code: "UnexpectedAnswer".into(),
        message: format!("the answer to {query:?} was of another kind"),
    }
}

/// Sends `query` and takes the answer out of `Answer::$variant`.
macro_rules! ask {
    ($api:expr, $query:expr, $variant:ident) => {{
        let query = $query;
        match $api.describe(&query).await? {
            Answer::$variant(value) => Ok(value),
            _ => Err(mismatched(&query)),
        }
    }};
}

impl<'a> dyn WorkspacesApi + 'a {
    /// One page of DescribeWorkspaces, each WorkSpace named with this client's account.
    pub async fn describe_workspaces(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<DescribedWorkspace>, WorkspacesError> {
        let mut page: Page<DescribedWorkspace> =
            ask!(self, Query::Workspaces { next_token }, Workspaces)?;
        self.name_account(&mut page.items);
        Ok(page)
    }

    /// Up to [`API_BATCH_LIMIT`] WorkSpaces by id, named with this client's account.
    pub async fn describe_workspaces_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<DescribedWorkspace>, WorkspacesError> {
        let query = Query::WorkspacesById { ids: ids.to_vec() };
        let mut found =
            ask!(self, query, Workspaces).map(|page: Page<DescribedWorkspace>| page.items)?;
        self.name_account(&mut found);
        Ok(found)
    }

    /// The API does not know our account names: the client says which it acts in.
    fn name_account(&self, found: &mut [DescribedWorkspace]) {
        for described in found {
            described.workspace.account = self.account().to_string();
        }
    }

    pub async fn describe_directories(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Directory>, WorkspacesError> {
        ask!(self, Query::Directories { next_token }, Directories)
    }

    pub async fn describe_bundles(
        &self,
        owner: BundleOwner,
        next_token: Option<String>,
    ) -> Result<Page<Bundle>, WorkspacesError> {
        ask!(self, Query::Bundles { owner, next_token }, Bundles)
    }

    /// Every image the account can use: its own and those shared with it.
    pub async fn describe_images(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Image>, WorkspacesError> {
        let query = Query::Images {
            owned_only: false,
            next_token,
        };
        ask!(self, query, Images)
    }

    /// The images the account owns.
    pub async fn describe_owned_images(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Image>, WorkspacesError> {
        let query = Query::Images {
            owned_only: true,
            next_token,
        };
        ask!(self, query, Images)
    }

    pub async fn describe_ip_groups(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<IpGroup>, WorkspacesError> {
        let query = Query::IpGroups {
            group_ids: Vec::new(),
            next_token,
        };
        ask!(self, query, IpGroups)
    }

    /// One IP group as AWS holds it now; `None` when it does not exist.
    pub async fn describe_ip_group(
        &self,
        group_id: &str,
    ) -> Result<Option<IpGroup>, WorkspacesError> {
        let query = Query::IpGroups {
            group_ids: vec![group_id.to_string()],
            next_token: None,
        };
        let page: Page<IpGroup> = ask!(self, query, IpGroups)?;
        Ok(page.items.into_iter().find(|group| group.id == group_id))
    }

    pub async fn describe_connection_status(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<ConnectionStatus>, WorkspacesError> {
        ask!(
            self,
            Query::ConnectionStatus { next_token },
            ConnectionStatus
        )
    }

    /// The AWS accounts an image is shared with.
    pub async fn describe_image_permissions(
        &self,
        image_id: &str,
    ) -> Result<Vec<String>, WorkspacesError> {
        let query = Query::ImagePermissions {
            image_id: image_id.to_string(),
        };
        ask!(self, query, AccountIds)
    }

    /// The tags of one resource.
    pub async fn describe_tags(&self, resource_id: &str) -> Result<Vec<Tag>, WorkspacesError> {
        let query = Query::Tags {
            resource_id: resource_id.to_string(),
        };
        ask!(self, query, Tags)
    }

    /// The account's BYOL configuration in this Region.
    pub async fn describe_account(&self) -> Result<AccountInfo, WorkspacesError> {
        ask!(self, Query::Account, Account)
    }

    pub async fn describe_account_modifications(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<AccountModification>, WorkspacesError> {
        ask!(
            self,
            Query::AccountModifications { next_token },
            AccountModifications
        )
    }

    pub async fn list_management_cidr_ranges(
        &self,
        constraint: &str,
        next_token: Option<String>,
    ) -> Result<Page<String>, WorkspacesError> {
        let query = Query::ManagementCidrRanges {
            constraint: constraint.to_string(),
            next_token,
        };
        ask!(self, query, CidrRanges)
    }

    /// The rebuild and restore snapshots of one WorkSpace.
    pub async fn describe_snapshots(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<Snapshot>, WorkspacesError> {
        let query = Query::Snapshots {
            workspace_id: workspace_id.to_string(),
        };
        ask!(self, query, Snapshots)
    }

    pub async fn describe_connection_aliases(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<ConnectionAlias>, WorkspacesError> {
        let query = Query::ConnectionAliases {
            alias_ids: Vec::new(),
            next_token,
        };
        ask!(self, query, ConnectionAliases)
    }

    /// One alias as AWS holds it now; `None` when it does not exist.
    pub async fn describe_connection_alias(
        &self,
        alias_id: &str,
    ) -> Result<Option<ConnectionAlias>, WorkspacesError> {
        let query = Query::ConnectionAliases {
            alias_ids: vec![alias_id.to_string()],
            next_token: None,
        };
        let page: Page<ConnectionAlias> = ask!(self, query, ConnectionAliases)?;
        Ok(page.items.into_iter().find(|alias| alias.id == alias_id))
    }

    /// The accounts an alias is shared with (and those it no longer is).
    pub async fn describe_alias_permissions(
        &self,
        alias_id: &str,
    ) -> Result<Vec<AliasPermission>, WorkspacesError> {
        let query = Query::ConnectionAliasPermissions {
            alias_id: alias_id.to_string(),
        };
        ask!(self, query, AliasPermissions)
    }

    /// The client properties of up to [`API_BATCH_LIMIT`] directories.
    pub async fn describe_client_properties(
        &self,
        directory_ids: &[String],
    ) -> Result<Vec<(String, ClientProperties)>, WorkspacesError> {
        let query = Query::ClientProperties {
            directory_ids: directory_ids.to_vec(),
        };
        ask!(self, query, ClientProperties)
    }
}

impl<'a> dyn WorkspacesApi + 'a {
    /// One page of the application catalog matching `filter`.
    pub async fn describe_applications(
        &self,
        filter: &ApplicationFilter,
        next_token: Option<String>,
    ) -> Result<Page<Application>, WorkspacesError> {
        let query = Query::Applications {
            filter: filter.clone(),
            next_token,
        };
        ask!(self, query, Applications)
    }

    /// One page of the associations of `application_id` with resources of `resource_types`.
    pub async fn describe_application_associations(
        &self,
        application_id: &str,
        resource_types: &[&str],
        next_token: Option<String>,
    ) -> Result<Page<AppAssociation>, WorkspacesError> {
        let query = Query::ApplicationAssociations {
            application_id: application_id.to_string(),
            resource_types: resource_types.iter().map(|t| t.to_string()).collect(),
            next_token,
        };
        ask!(self, query, Associations)
    }

    /// The applications associated with one WorkSpace, bundle or image.
    pub async fn describe_resource_associations(
        &self,
        resource: AssociatedResource,
    ) -> Result<Vec<AppAssociation>, WorkspacesError> {
        let query = Query::ResourceAssociations { resource };
        ask!(self, query, Associations).map(|page: Page<AppAssociation>| page.items)
    }
}

/// Calls `fetch` with each page's token until the API says there is no next page.
pub async fn all_pages<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, WorkspacesError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, WorkspacesError>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let page = fetch(token).await?;
        items.extend(page.items);
        match page.next_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => return Ok(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn all_pages_follows_tokens_until_the_last_page() {
        let mut calls = Vec::new();
        let items = all_pages(|token: Option<String>| {
            calls.push(token.clone());
            async move {
                let (items, next_token) = match token.as_deref() {
                    None => (vec![1, 2], Some("a".to_string())),
                    Some("a") => (vec![3], Some("b".to_string())),
                    _ => (vec![4], None),
                };
                Ok(Page { items, next_token })
            }
        })
        .await
        .expect("pages");
        assert_eq!(items, vec![1, 2, 3, 4]);
        assert_eq!(calls, vec![None, Some("a".into()), Some("b".into())]);
    }

    #[tokio::test]
    async fn all_pages_stops_at_the_first_error() {
        let result: Result<Vec<u8>, _> = all_pages(|_| async {
            Err(WorkspacesError {
                kind: ErrorKind::AccessDenied,
                code: "AccessDeniedException".into(),
                message: "no".into(),
            })
        })
        .await;
        assert_eq!(result.map_err(|e| e.kind), Err(ErrorKind::AccessDenied));
    }
}
