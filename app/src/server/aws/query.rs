//! What Fleetdesk reads from the WorkSpaces API: one [`Query`] per Describe or List
//! call, its [`Answer`], and the paging over them.

use crate::model::{
    AccountInfo, AccountModification, AliasPermission, AppAssociation, Application,
    ApplicationFilter, Bundle, ClientProperties, ConnectionAlias, ConnectionStatus, Directory,
    Image, IpGroup, Snapshot, Tag, Workspace, WorkspaceDetails,
};

use super::error::AwsError;

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

/// The most resources GetResources of the Resource Groups Tagging API returns a page.
pub const TAG_LISTING_PAGE_SIZE: usize = 100;

/// One WorkSpace and its tags, as a tag listing returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedWorkspace {
    pub workspace_id: String,
    pub tags: Vec<Tag>,
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
    /// The tags of every tagged WorkSpace of the Region, one page (up to
    /// [`TAG_LISTING_PAGE_SIZE`]): GetResources of the Resource Groups Tagging API,
    /// resource type `workspaces:workspace`. WorkSpaces without tags are not listed.
    /// Answered only where [`super::WorkspacesApi::lists_tags`] says so.
    WorkspaceTags {
        next_token: Option<String>,
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
    WorkspaceTags(Page<TaggedWorkspace>),
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

/// Whose bundles to list: the account's own, or the public ones Amazon publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleOwner {
    Account,
    Amazon,
}

/// Calls `fetch` with each page's token until the API says there is no next page.
pub async fn all_pages<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, AwsError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, AwsError>>,
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
