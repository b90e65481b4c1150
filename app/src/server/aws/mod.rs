//! The boundary to AWS: everything Fleetdesk asks of the WorkSpaces API goes through
//! [`WorkspacesApi`].
//!
//! The trait speaks our own types, so the rest of the server never sees an SDK type and
//! tests can put an emulator or a scripted fake behind it. The production implementation
//! (over `aws-sdk-workspaces`) lives in the `server` crate. Each value serves one account
//! and Region ([`WorkspacesApi::account`], [`WorkspacesApi::region`]).
//!
//! The reads (`query`: [`Query`], [`Answer`], pages), the writes (`change`: [`Change`] and
//! one enum per area) and the errors (`error`) each have their own file; this one holds
//! the trait and the typed helpers over it.

mod change;
mod error;
mod query;

pub use change::{
    AccountChange, AliasChange, ApplicationChange, BundleChange, Change, ChangeOutcome,
    DirectoryChange, FailedRequest, ImageChange, ImageImport, IpGroupChange, NewWorkspace,
    PropertyChange, Registration, StandbyRequest, TagChange, WorkspaceChange,
};
pub use error::{AwsError, ErrorKind};
pub use query::{
    API_BATCH_LIMIT, API_PAGE_SIZE, Answer, AssociatedResource, BundleOwner, DescribedWorkspace,
    Page, Query, TAG_LISTING_PAGE_SIZE, TaggedWorkspace, all_pages,
};

use async_trait::async_trait;

use crate::model::{
    AccountInfo, AccountModification, AliasPermission, AppAssociation, Application,
    ApplicationFilter, Bundle, ClientProperties, ConnectionAlias, ConnectionStatus, Directory,
    Image, IpGroup, Snapshot, Tag,
};

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

    /// Whether [`Query::WorkspaceTags`] is answered here (the Resource Groups Tagging
    /// API is configured); without it the sync reads tags one WorkSpace at a time.
    fn lists_tags(&self) -> bool {
        false
    }

    /// Sends one read.
    async fn describe(&self, query: &Query) -> Result<Answer, AwsError>;

    /// Sends one change.
    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, AwsError>;
}

/// The error for an answer that does not fit its query (a fault in an implementation).
fn mismatched(query: &Query) -> AwsError {
    AwsError {
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
    ) -> Result<Page<DescribedWorkspace>, AwsError> {
        let mut page: Page<DescribedWorkspace> =
            ask!(self, Query::Workspaces { next_token }, Workspaces)?;
        self.name_account(&mut page.items);
        Ok(page)
    }

    /// Up to [`API_BATCH_LIMIT`] WorkSpaces by id, named with this client's account.
    pub async fn describe_workspaces_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<DescribedWorkspace>, AwsError> {
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
    ) -> Result<Page<Directory>, AwsError> {
        ask!(self, Query::Directories { next_token }, Directories)
    }

    pub async fn describe_bundles(
        &self,
        owner: BundleOwner,
        next_token: Option<String>,
    ) -> Result<Page<Bundle>, AwsError> {
        ask!(self, Query::Bundles { owner, next_token }, Bundles)
    }

    /// Every image the account can use: its own and those shared with it.
    pub async fn describe_images(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Image>, AwsError> {
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
    ) -> Result<Page<Image>, AwsError> {
        let query = Query::Images {
            owned_only: true,
            next_token,
        };
        ask!(self, query, Images)
    }

    pub async fn describe_ip_groups(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<IpGroup>, AwsError> {
        let query = Query::IpGroups {
            group_ids: Vec::new(),
            next_token,
        };
        ask!(self, query, IpGroups)
    }

    /// One IP group as AWS holds it now; `None` when it does not exist.
    pub async fn describe_ip_group(&self, group_id: &str) -> Result<Option<IpGroup>, AwsError> {
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
    ) -> Result<Page<ConnectionStatus>, AwsError> {
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
    ) -> Result<Vec<String>, AwsError> {
        let query = Query::ImagePermissions {
            image_id: image_id.to_string(),
        };
        ask!(self, query, AccountIds)
    }

    /// The tags of one resource.
    pub async fn describe_tags(&self, resource_id: &str) -> Result<Vec<Tag>, AwsError> {
        let query = Query::Tags {
            resource_id: resource_id.to_string(),
        };
        ask!(self, query, Tags)
    }

    /// One page of the tags of every tagged WorkSpace (see [`Query::WorkspaceTags`]).
    pub async fn workspace_tags(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<TaggedWorkspace>, AwsError> {
        ask!(self, Query::WorkspaceTags { next_token }, WorkspaceTags)
    }

    /// The account's BYOL configuration in this Region.
    pub async fn describe_account(&self) -> Result<AccountInfo, AwsError> {
        ask!(self, Query::Account, Account)
    }

    pub async fn describe_account_modifications(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<AccountModification>, AwsError> {
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
    ) -> Result<Page<String>, AwsError> {
        let query = Query::ManagementCidrRanges {
            constraint: constraint.to_string(),
            next_token,
        };
        ask!(self, query, CidrRanges)
    }

    /// The rebuild and restore snapshots of one WorkSpace.
    pub async fn describe_snapshots(&self, workspace_id: &str) -> Result<Vec<Snapshot>, AwsError> {
        let query = Query::Snapshots {
            workspace_id: workspace_id.to_string(),
        };
        ask!(self, query, Snapshots)
    }

    pub async fn describe_connection_aliases(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<ConnectionAlias>, AwsError> {
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
    ) -> Result<Option<ConnectionAlias>, AwsError> {
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
    ) -> Result<Vec<AliasPermission>, AwsError> {
        let query = Query::ConnectionAliasPermissions {
            alias_id: alias_id.to_string(),
        };
        ask!(self, query, AliasPermissions)
    }

    /// The client properties of up to [`API_BATCH_LIMIT`] directories.
    pub async fn describe_client_properties(
        &self,
        directory_ids: &[String],
    ) -> Result<Vec<(String, ClientProperties)>, AwsError> {
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
    ) -> Result<Page<Application>, AwsError> {
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
    ) -> Result<Page<AppAssociation>, AwsError> {
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
    ) -> Result<Vec<AppAssociation>, AwsError> {
        let query = Query::ResourceAssociations { resource };
        ask!(self, query, Associations).map(|page: Page<AppAssociation>| page.items)
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
            Err(AwsError {
                kind: ErrorKind::AccessDenied,
                code: "AccessDeniedException".into(),
                message: "no".into(),
            })
        })
        .await;
        assert_eq!(result.map_err(|e| e.kind), Err(ErrorKind::AccessDenied));
    }
}
