//! The part of the demo fleet the emulator does not keep.
//!
//! `winterbaume-workspaces` accepts IP group associations, self-service and creation
//! property changes but does not return them from DescribeWorkspaceDirectories (nor DNS
//! addresses, subnets, a bundle's image or state, a client's LogUploadEnabled, a connection
//! alias's association status), and it lacks ModifyWorkspaceAccessProperties,
//! CopyWorkspaceImage, UpdateWorkspaceBundle, DescribeWorkspaceSnapshots and application
//! management (answered by [`super::applications`]). Without help the demo's
//! directories page would show "not reported" everywhere and those buttons would fail.
//! [`DemoOverlay`] wraps one demo Region's SDK client: every call still goes through the
//! SDK to the emulator, except the operations it lacks, and what the emulator forgets
//! is remembered here and laid over its Describe answers. Used by `serve --demo` only;
//! the integration tests talk to the bare emulator.
//!
//! One file, a little over 600 lines, because every method answers one `Query` or
//! `Change` arm of the same wrapper and shares its `Kept` state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use app::model::{
    AccessProperties, Bundle, ClientProperties, ConnectionAlias, CreationProperties, Directory,
    Image, MAX_TAGS, SelfService, Snapshot, Tag,
};
use app::server::aws::{
    AccountChange, Answer, AwsError, BundleChange, Change, ChangeOutcome, DescribedWorkspace,
    DirectoryChange, ErrorKind, ImageChange, IpGroupChange, NewWorkspace, Page, Query,
    TAG_LISTING_PAGE_SIZE, TagChange, TaggedWorkspace, WorkspaceChange, WorkspacesApi, all_pages,
};
use async_trait::async_trait;

use super::extras::DemoExtras;

/// What a directory has in AWS that the emulator does not report.
#[derive(Debug, Clone, Default)]
pub struct DirectoryExtras {
    pub dns_ip_addresses: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub ip_group_ids: Vec<String>,
    pub self_service: Option<SelfService>,
    pub creation: Option<CreationProperties>,
    pub access: Option<AccessProperties>,
    pub tenancy: Option<String>,
    /// LogUploadEnabled as last set: the emulator keeps ReconnectEnabled only.
    pub log_upload: Option<bool>,
}

/// What the overlay starts with: per directory id its extras, per bundle id its image.
#[derive(Debug, Default)]
pub struct OverlaySeed {
    pub directories: HashMap<String, DirectoryExtras>,
    pub bundle_images: HashMap<String, String>,
}

#[derive(Debug, Default)]
struct Kept {
    directories: HashMap<String, DirectoryExtras>,
    bundle_images: HashMap<String, String>,
    /// Images "copied" or imported into this Region.
    copies: Vec<Image>,
    /// When an imported or copied image (PENDING) becomes AVAILABLE, by id.
    ready_at: HashMap<String, Instant>,
    /// New WorkSpaces DescribeWorkspaces does not return yet, until when, by id.
    described_from: HashMap<String, Instant>,
}

/// An image the demo copies or imports into `region`: PENDING, owned, no permissions.
fn pending_image(
    id: &str,
    region: &str,
    name: &str,
    description: Option<String>,
    operating_system: Option<&str>,
    tenancy: &str,
) -> Image {
    Image {
        id: id.to_string(),
        account: String::new(),
        region: region.to_string(),
        name: name.to_string(),
        description,
        state: Some("PENDING".into()),
        operating_system: operating_system.map(str::to_string),
        owner_account_id: None,
        required_tenancy: Some(tenancy.into()),
        created: None,
        shared_with: Vec::new(),
        error: None,
        owned: true,
        permissions_error: None,
    }
}

impl Kept {
    /// Keeps `image`, PENDING until `takes` has passed.
    fn keep_pending(&mut self, image: Image, takes: Duration) {
        self.ready_at
            .insert(image.id.clone(), Instant::now() + takes);
        self.copies.push(image);
    }

    /// Makes the images whose time has come by `now` AVAILABLE.
    fn ripen(&mut self, now: Instant) {
        let ready: Vec<String> = self
            .ready_at
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in ready {
            self.ready_at.remove(&id);
            if let Some(image) = self.copies.iter_mut().find(|i| i.id == id) {
                image.state = Some("AVAILABLE".into());
            }
        }
    }
}

/// How long a new WorkSpace id stays out of DescribeWorkspaces in the demo.
const NOT_DESCRIBED_FOR: Duration = Duration::from_secs(5);

/// How long an image import takes in the demo (hours in AWS).
const IMPORT_TAKES: Duration = Duration::from_secs(30);

/// How long an image copy takes in the demo: CopyWorkspaceImage answers at once and the
/// copy is `PENDING` until AWS has made it (tens of minutes in AWS).
const COPY_TAKES: Duration = Duration::from_secs(10);

/// One demo Region: the emulator behind the SDK, plus what it forgets.
pub struct DemoOverlay {
    inner: Arc<dyn WorkspacesApi>,
    kept: Mutex<Kept>,
    /// Protocols, operating systems, connections and standby pairs, shared by the Regions.
    extras: Arc<DemoExtras>,
}

impl DemoOverlay {
    pub fn new(inner: Arc<dyn WorkspacesApi>, seed: OverlaySeed, extras: Arc<DemoExtras>) -> Self {
        let kept = Kept {
            directories: seed.directories,
            bundle_images: seed.bundle_images,
            copies: Vec::new(),
            ready_at: HashMap::new(),
            described_from: HashMap::new(),
        };
        DemoOverlay {
            inner,
            kept: Mutex::new(kept),
            extras,
        }
    }

    /// The copied and imported images, AVAILABLE once their time has come.
    fn copies(&self) -> Vec<Image> {
        let mut kept = self.kept();
        kept.ripen(Instant::now());
        kept.copies.clone()
    }

    fn kept(&self) -> MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl WorkspacesApi for DemoOverlay {
    fn region(&self) -> &str {
        self.inner.region()
    }

    fn account(&self) -> &str {
        self.inner.account()
    }

    fn lists_tags(&self) -> bool {
        true
    }

    async fn describe(&self, query: &Query) -> Result<Answer, AwsError> {
        if let Query::ImagePermissions { image_id } = query {
            if self.kept().copies.iter().any(|image| image.id == *image_id) {
                return Ok(Answer::AccountIds(Vec::new()));
            }
        }
        // The emulator lacks DescribeWorkspaceSnapshots and the BYOL operations.
        let region = self.inner.region();
        match query {
            Query::Snapshots { workspace_id } => {
                return Ok(Answer::Snapshots(demo_snapshots(workspace_id)));
            }
            Query::Account => return Ok(Answer::Account(self.extras.account(region))),
            Query::AccountModifications { .. } => {
                return Ok(Answer::AccountModifications(
                    self.extras.account_modifications(region),
                ));
            }
            Query::ManagementCidrRanges {
                constraint,
                next_token,
            } => {
                return Ok(Answer::CidrRanges(
                    self.extras
                        .management_cidr_ranges(constraint, next_token.as_deref()),
                ));
            }
            // The emulator lacks application management.
            Query::Applications { filter, .. } => {
                return Ok(Answer::Applications(
                    self.extras.applications.applications(region, filter),
                ));
            }
            Query::ApplicationAssociations {
                application_id,
                resource_types,
                next_token,
            } => {
                return Ok(Answer::Associations(
                    self.extras.applications.application_associations(
                        region,
                        application_id,
                        resource_types,
                        next_token.as_deref(),
                    ),
                ));
            }
            // The emulator lacks the Resource Groups Tagging API.
            Query::WorkspaceTags { next_token } => {
                return Ok(Answer::WorkspaceTags(
                    self.tag_listing(next_token.as_deref()).await?,
                ));
            }
            Query::ResourceAssociations { resource } => {
                return Ok(Answer::Associations(Page {
                    items: self
                        .extras
                        .applications
                        .resource_associations(region, resource),
                    next_token: None,
                }));
            }
            _ => {}
        }
        let mut answer = self.inner.describe(query).await?;
        match (&mut answer, query) {
            (Answer::Workspaces(page), Query::Workspaces { .. }) if page.next_token.is_none() => {
                page.items.extend(self.extras.standbys(region, None));
            }
            (Answer::Workspaces(page), Query::WorkspacesById { ids }) => {
                page.items.extend(self.extras.standbys(region, Some(ids)));
            }
            _ => {}
        }
        match &mut answer {
            Answer::Workspaces(page) => {
                self.hide_new_workspaces(&mut page.items);
                self.extras.fill(region, &mut page.items)
            }
            Answer::ConnectionStatus(page) => self.extras.fill_connections(&mut page.items),
            Answer::Directories(page) => self.fill_directories(&mut page.items),
            Answer::Bundles(page) => self.fill_bundles(&mut page.items),
            Answer::Images(page) if page.next_token.is_none() => {
                page.items.extend(self.copies());
            }
            Answer::ClientProperties(found) => self.fill_client_properties(found),
            Answer::ConnectionAliases(page) => fill_aliases(&mut page.items),
            _ => {}
        }
        Ok(answer)
    }

    async fn apply(&self, change: &Change) -> Result<ChangeOutcome, AwsError> {
        match change {
            // The emulator lacks CreateStandbyWorkspaces.
            Change::Workspace(WorkspaceChange::CreateStandby {
                primary_region,
                request,
            }) => {
                let outcome =
                    self.extras
                        .create_standby(self.inner.region(), primary_region, request);
                // A standby's id, too, is not described at once (002_363a3ccb364b572d.txt:64).
                if let Some(id) = &outcome.created_id {
                    self.not_described_yet(id);
                }
                Ok(outcome)
            }
            // The emulator lacks MigrateWorkspace.
            Change::Workspace(WorkspaceChange::Migrate { id, bundle_id }) => {
                self.migrate(id, bundle_id).await
            }
            // The emulator takes any number of tags; AWS stops at 50 per resource.
            Change::Tags(TagChange::Create { resource_id, tags }) => {
                self.within_tag_limit(resource_id, tags).await?;
                self.inner.apply(change).await
            }
            Change::Workspace(WorkspaceChange::Create(_)) => {
                let outcome = self.inner.apply(change).await?;
                for (_, id) in &outcome.created_per_target {
                    self.not_described_yet(id);
                }
                Ok(outcome)
            }
            Change::Workspace(_) | Change::Tags(_) => self.inner.apply(change).await,
            Change::IpGroup(group_change) => {
                let outcome = self.inner.apply(change).await?;
                self.remember_ip_group(group_change);
                Ok(outcome)
            }
            Change::Image(image_change) => self.change_image(change, image_change).await,
            Change::Directory(directory_change) => {
                // The emulator lacks ModifyWorkspaceAccessProperties: answered here.
                let outcome = match directory_change {
                    DirectoryChange::SetAccessProperties { .. } => ChangeOutcome::default(),
                    _ => self.inner.apply(change).await?,
                };
                self.remember_directory(directory_change);
                Ok(outcome)
            }
            Change::Bundle(bundle_change) => self.change_bundle(change, bundle_change).await,
            // The emulator lacks ModifyAccount.
            Change::Account(AccountChange::EnableByol { management_cidr }) => {
                self.extras
                    .enable_byol(self.inner.region(), management_cidr);
                Ok(ChangeOutcome::default())
            }
            Change::ConnectionAlias(_) => self.inner.apply(change).await,
            Change::Application(application_change) => self
                .extras
                .applications
                .apply(self.inner.region(), application_change),
        }
    }
}

impl DemoOverlay {
    /// A new WorkSpace id is "not immediately available" to DescribeWorkspaces
    /// (000_694e23744a3a4a46.txt:4262): the demo holds it back for [`NOT_DESCRIBED_FOR`].
    fn not_described_yet(&self, id: &str) {
        self.kept()
            .described_from
            .insert(id.to_string(), Instant::now() + NOT_DESCRIBED_FOR);
    }

    /// Leaves out the new WorkSpaces whose time to be described has not come.
    fn hide_new_workspaces(&self, items: &mut Vec<DescribedWorkspace>) {
        let now = Instant::now();
        let mut kept = self.kept();
        kept.described_from.retain(|_, from| *from > now);
        items.retain(|ws| !kept.described_from.contains_key(&ws.workspace.id));
    }

    /// GetResources of the Resource Groups Tagging API over the emulator: its WorkSpaces
    /// by id, [`TAG_LISTING_PAGE_SIZE`] a page, those that have tags.
    async fn tag_listing(&self, token: Option<&str>) -> Result<Page<TaggedWorkspace>, AwsError> {
        let mut ids: Vec<String> = all_pages(|t| self.inner.describe_workspaces(t))
            .await?
            .into_iter()
            .map(|described| described.workspace.id)
            .collect();
        ids.sort();
        let start = token
            .and_then(|t| t.parse().ok())
            .unwrap_or(0)
            .min(ids.len());
        let end = (start + TAG_LISTING_PAGE_SIZE).min(ids.len());
        let mut items = Vec::new();
        for id in &ids[start..end] {
            let tags = self.inner.describe_tags(id).await?;
            if !tags.is_empty() {
                items.push(TaggedWorkspace {
                    workspace_id: id.clone(),
                    tags,
                });
            }
        }
        Ok(Page {
            items,
            next_token: (end < ids.len()).then(|| end.to_string()),
        })
    }

    /// CreateTags' limit: "Each WorkSpaces resource can have a maximum of 50 tags"
    /// (000_694e23744a3a4a46.txt:963), refused with ResourceLimitExceededException (:1015).
    async fn within_tag_limit(&self, resource_id: &str, tags: &[Tag]) -> Result<(), AwsError> {
        let mut keys: Vec<String> = self
            .inner
            .describe_tags(resource_id)
            .await?
            .into_iter()
            .map(|tag| tag.key)
            .collect();
        keys.extend(tags.iter().map(|tag| tag.key.clone()));
        keys.sort_unstable();
        keys.dedup();
        if keys.len() > MAX_TAGS {
            return Err(AwsError {
                kind: ErrorKind::Other,
                code: "ResourceLimitExceededException".into(),
                message: format!(
                    "{resource_id} would have {} tags; the limit is {MAX_TAGS}",
                    keys.len()
                ),
            });
        }
        Ok(())
    }

    /// MigrateWorkspace as the reference describes it (000_694e23744a3a4a46.txt:5156): the
    /// WorkSpace is recreated from the target bundle under a new id (TargetWorkspaceId,
    /// :5223), and the original goes. Made of the emulator's CreateWorkspaces and
    /// TerminateWorkspaces, so the new WorkSpace is described like any other.
    async fn migrate(&self, id: &str, bundle_id: &str) -> Result<ChangeOutcome, AwsError> {
        let source = self
            .inner
            .describe_workspaces_by_id(&[id.to_string()])
            .await?
            .pop()
            .ok_or_else(|| AwsError {
                kind: ErrorKind::NotFound,
                code: "ResourceNotFoundException".into(),
                message: format!("The WorkSpace {id} could not be found."),
            })?
            .workspace;
        let target = NewWorkspace {
            directory_id: source.directory_id,
            user_name: source.user_name,
            bundle_id: bundle_id.to_string(),
            running_mode: source.running_mode.unwrap_or_else(|| "AUTO_STOP".into()),
            auto_stop_timeout_minutes: source.auto_stop_timeout_minutes,
            protocols: source.protocols,
            root_volume_encrypted: source.root_volume_encrypted,
            user_volume_encrypted: source.user_volume_encrypted,
            volume_encryption_key: None,
            tags: Vec::new(),
        };
        let created = self
            .inner
            .apply(&Change::Workspace(WorkspaceChange::Create(vec![target])))
            .await?;
        let Some((_, target_id)) = created.created_per_target.into_iter().next() else {
            return Err(AwsError {
                kind: ErrorKind::InvalidInput,
                code: "OperationNotSupportedException".into(),
                message: format!("{id} cannot be migrated to {bundle_id}"),
            });
        };
        self.inner
            .apply(&Change::Workspace(WorkspaceChange::Terminate(vec![
                id.to_string(),
            ])))
            .await?;
        self.not_described_yet(&target_id);
        Ok(ChangeOutcome {
            created_id: Some(target_id),
            ..ChangeOutcome::default()
        })
    }
}

/// Aliases as AWS reports them: the emulator turns an associated alias's state into
/// `ASSOCIATED`, which is not one of the API's states (the state stays `CREATED`,
/// 000_694e23744a3a4a46.txt:2806), and reports no association status.
fn fill_aliases(aliases: &mut [ConnectionAlias]) {
    for alias in aliases {
        if alias.state.as_deref() == Some("ASSOCIATED") {
            alias.state = Some(ConnectionAlias::READY.into());
        }
        for association in &mut alias.associations {
            if association.status.is_none() && association.resource_id.is_some() {
                association.status = Some("ASSOCIATED_WITH_OWNER_ACCOUNT".into());
                association.associated_account_id = association
                    .associated_account_id
                    .take()
                    .or_else(|| alias.owner_account_id.clone());
            }
        }
    }
}

/// Snapshots as AWS keeps them: a user-volume snapshot (rebuild) and a root + user
/// snapshot (restore) from the last night, at a time that differs per WorkSpace.
fn demo_snapshots(workspace_id: &str) -> Vec<Snapshot> {
    let minutes: u32 = workspace_id.bytes().map(u32::from).sum::<u32>() % 240;
    let now = app::server::repo::inventory::now();
    let today = now.get(..10).unwrap_or("2026-01-01");
    let at = |hour_offset: u32| {
        let minutes = minutes + hour_offset * 60;
        format!("{today}T{:02}:{:02}:00Z", (minutes / 60) % 24, minutes % 60)
    };
    vec![
        Snapshot {
            kind: "rebuild".into(),
            time: at(1),
        },
        Snapshot {
            kind: "restore".into(),
            time: at(0),
        },
    ]
}

impl DemoOverlay {
    fn fill_directories(&self, directories: &mut [Directory]) {
        let kept = self.kept();
        for directory in directories {
            if let Some(extras) = kept.directories.get(&directory.id) {
                let extras = extras.clone();
                directory.ip_group_ids = extras.ip_group_ids;
                if directory.dns_ip_addresses.is_empty() {
                    directory.dns_ip_addresses = extras.dns_ip_addresses;
                }
                if directory.subnet_ids.is_empty() {
                    directory.subnet_ids = extras.subnet_ids;
                }
                directory.self_service = directory.self_service.or(extras.self_service);
                directory.creation = directory.creation.take().or(extras.creation);
                directory.access = directory.access.or(extras.access);
                directory.tenancy = directory.tenancy.take().or(extras.tenancy);
            }
        }
    }

    fn fill_client_properties(&self, found: &mut [(String, ClientProperties)]) {
        let kept = self.kept();
        for (id, properties) in found {
            if let Some(log_upload) = kept.directories.get(id).and_then(|e| e.log_upload) {
                properties.log_upload = Some(log_upload);
            }
        }
    }

    fn fill_bundles(&self, bundles: &mut [Bundle]) {
        let kept = self.kept();
        for bundle in bundles {
            if bundle.image_id.is_none() {
                bundle.image_id = kept.bundle_images.get(&bundle.id).cloned();
            }
            // The emulator's bundles are all usable; AWS always says so.
            bundle.state.get_or_insert_with(|| "AVAILABLE".into());
        }
    }

    fn remember_ip_group(&self, change: &IpGroupChange) {
        let mut kept = self.kept();
        match change {
            IpGroupChange::Associate {
                directory_id,
                group_id,
            } => {
                let ids = &mut kept
                    .directories
                    .entry(directory_id.clone())
                    .or_default()
                    .ip_group_ids;
                if !ids.contains(group_id) {
                    ids.push(group_id.clone());
                }
            }
            IpGroupChange::Disassociate {
                directory_id,
                group_id,
            } => {
                if let Some(extras) = kept.directories.get_mut(directory_id) {
                    extras.ip_group_ids.retain(|id| id != group_id);
                }
            }
            _ => {}
        }
    }

    /// Copies are made here (the emulator lacks CopyWorkspaceImage) and deleted here. A
    /// copy may stay in its source's Region (000_694e23744a3a4a46.txt:502, :7113); like
    /// an import it starts `PENDING` and is AVAILABLE after [`COPY_TAKES`].
    async fn change_image(
        &self,
        change: &Change,
        image_change: &ImageChange,
    ) -> Result<ChangeOutcome, AwsError> {
        let deletes_a_copy = match image_change {
            ImageChange::Delete { image_id } => {
                self.kept().copies.iter().any(|image| image.id == *image_id)
            }
            _ => false,
        };
        match image_change {
            ImageChange::Copy {
                source_region,
                source_image_id,
                name,
                description,
            } => {
                let mut kept = self.kept();
                let id = format!("wsi-c0{:07x}", kept.copies.len() + 1);
                let description = description
                    .clone()
                    .or_else(|| Some(format!("Copy of {source_image_id} from {source_region}")));
                kept.keep_pending(
                    pending_image(&id, self.inner.region(), name, description, None, "DEFAULT"),
                    COPY_TAKES,
                );
                Ok(ChangeOutcome {
                    created_id: Some(id),
                    ..ChangeOutcome::default()
                })
            }
            // The emulator lacks ImportWorkspaceImage.
            ImageChange::Import(import) => {
                let mut kept = self.kept();
                let id = format!("wsi-b0{:07x}", kept.copies.len() + 1);
                let image = pending_image(
                    &id,
                    self.inner.region(),
                    &import.name,
                    Some(import.description.clone()),
                    Some("WINDOWS"),
                    "DEDICATED",
                );
                kept.keep_pending(image, IMPORT_TAKES);
                Ok(ChangeOutcome {
                    created_id: Some(id),
                    ..ChangeOutcome::default()
                })
            }
            ImageChange::Delete { image_id } if deletes_a_copy => {
                self.kept().copies.retain(|image| image.id != *image_id);
                Ok(ChangeOutcome::default())
            }
            _ => self.inner.apply(change).await,
        }
    }

    fn remember_directory(&self, change: &DirectoryChange) {
        let mut kept = self.kept();
        match change {
            DirectoryChange::Register {
                directory_id,
                registration,
            } => {
                // AWS reports the registration's WorkDocs choice among the creation
                // properties (000_694e23744a3a4a46.txt:3475); the emulator forgets it.
                let creation = CreationProperties {
                    enable_work_docs: Some(registration.enable_work_docs),
                    ..CreationProperties::default()
                };
                let extras = DirectoryExtras {
                    creation: Some(creation),
                    ..DirectoryExtras::default()
                };
                kept.directories.insert(directory_id.clone(), extras);
            }
            DirectoryChange::Deregister { directory_id } => {
                kept.directories.remove(directory_id);
            }
            DirectoryChange::SetSelfService {
                directory_id,
                permissions,
            } => {
                kept.directories
                    .entry(directory_id.clone())
                    .or_default()
                    .self_service = Some(*permissions);
            }
            DirectoryChange::SetCreationProperties {
                directory_id,
                properties,
            } => {
                let extras = kept.directories.entry(directory_id.clone()).or_default();
                let before = extras.creation.clone().unwrap_or_default();
                extras.creation = Some(properties.sent_over(&before));
            }
            DirectoryChange::SetAccessProperties {
                directory_id,
                access,
            } => {
                kept.directories
                    .entry(directory_id.clone())
                    .or_default()
                    .access = Some(*access);
            }
            DirectoryChange::SetClientProperties {
                directory_id,
                properties,
            } => {
                if properties.log_upload.is_some() {
                    kept.directories
                        .entry(directory_id.clone())
                        .or_default()
                        .log_upload = properties.log_upload;
                }
            }
        }
    }

    /// Bundle updates are answered here (the emulator lacks UpdateWorkspaceBundle); the
    /// image of every new or updated bundle is remembered.
    async fn change_bundle(
        &self,
        change: &Change,
        bundle_change: &BundleChange,
    ) -> Result<ChangeOutcome, AwsError> {
        let outcome = match bundle_change {
            BundleChange::Update { .. } => ChangeOutcome::default(),
            // A bundle of an image copied or imported here: the emulator knows only its
            // own images, so it creates the bundle from one of them and the overlay
            // reports the real image (`bundle_images`, below).
            BundleChange::Create { image_id, .. } if self.is_kept_image(image_id) => {
                let mut stand_in = bundle_change.clone();
                if let BundleChange::Create { image_id, .. } = &mut stand_in {
                    *image_id = self.emulator_image().await?;
                }
                self.inner.apply(&Change::Bundle(stand_in)).await?
            }
            _ => self.inner.apply(change).await?,
        };
        let mut kept = self.kept();
        match (bundle_change, &outcome.created_id) {
            (
                BundleChange::Update {
                    bundle_id,
                    image_id,
                },
                _,
            )
            | (BundleChange::Create { image_id, .. }, Some(bundle_id)) => {
                kept.bundle_images
                    .insert(bundle_id.clone(), image_id.clone());
            }
            _ => {}
        }
        Ok(outcome)
    }

    /// Whether the image was copied or imported into this Region by the overlay.
    fn is_kept_image(&self, image_id: &str) -> bool {
        self.kept().copies.iter().any(|image| image.id == image_id)
    }

    /// An image the emulator itself holds in this Region.
    async fn emulator_image(&self) -> Result<String, AwsError> {
        let images = all_pages(|token| self.inner.describe_owned_images(token)).await?;
        images
            .into_iter()
            .map(|image| image.id)
            .find(|id| !self.is_kept_image(id))
            .ok_or_else(|| AwsError {
                kind: ErrorKind::NotFound,
                code: "ResourceNotFoundException".into(),
                message: format!("no image in {} to base the bundle on", self.inner.region()),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept image `id`, PENDING.
    fn pending(id: &str) -> Image {
        Image {
            id: id.into(),
            account: String::new(),
            region: "cn-northwest-1".into(),
            name: id.into(),
            description: None,
            state: Some("PENDING".into()),
            operating_system: None,
            owner_account_id: None,
            required_tenancy: Some("DEFAULT".into()),
            created: None,
            shared_with: Vec::new(),
            error: None,
            owned: true,
            permissions_error: None,
        }
    }

    /// CopyWorkspaceImage's copy starts PENDING and is AVAILABLE once made
    /// (000_694e23744a3a4a46.txt:7113: copies within a Region, too).
    #[test]
    fn a_copy_is_available_once_its_time_has_come() {
        let start = Instant::now();
        let mut kept = Kept {
            copies: vec![pending("wsi-c00000001")],
            ..Kept::default()
        };
        kept.ready_at
            .insert("wsi-c00000001".into(), start + COPY_TAKES);
        kept.ripen(start);
        assert_eq!(kept.copies[0].state.as_deref(), Some("PENDING"));
        kept.ripen(start + COPY_TAKES);
        assert_eq!(kept.copies[0].state.as_deref(), Some("AVAILABLE"));
        assert!(kept.ready_at.is_empty());
    }
}
