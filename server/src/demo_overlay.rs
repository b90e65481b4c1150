//! The part of the demo fleet the emulator does not keep.
//!
//! `winterbaume-workspaces` accepts IP group associations, self-service and creation
//! property changes but does not return them from DescribeWorkspaceDirectories (nor DNS
//! addresses, subnets, a bundle's image or state), and it lacks ModifyWorkspaceAccessProperties,
//! CopyWorkspaceImage and UpdateWorkspaceBundle. Without help the demo's
//! directories page would show "not reported" everywhere and those buttons would fail.
//! [`DemoOverlay`] wraps one demo Region's SDK client: every call still goes through the
//! SDK to the emulator, except the two missing operations, and what the emulator forgets
//! is remembered here and laid over its Describe answers. Used by `serve --demo` only;
//! the integration tests talk to the bare emulator.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use app::model::{
    AccessProperties, Bundle, ConnectionStatus, CreationProperties, Directory, Image, IpGroup,
    SelfService, Snapshot, Tag,
};
use app::server::aws::{
    BundleChange, BundleOwner, Change, ChangeOutcome, DescribedWorkspace, DirectoryChange,
    ImageChange, IpGroupChange, Page, WorkspacesApi, WorkspacesError,
};
use async_trait::async_trait;

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
    /// Images "copied" into this Region.
    copies: Vec<Image>,
}

/// One demo Region: the emulator behind the SDK, plus what it forgets.
pub struct DemoOverlay {
    inner: Arc<dyn WorkspacesApi>,
    kept: Mutex<Kept>,
}

impl DemoOverlay {
    pub fn new(inner: Arc<dyn WorkspacesApi>, seed: OverlaySeed) -> Self {
        let kept = Kept {
            directories: seed.directories,
            bundle_images: seed.bundle_images,
            copies: Vec::new(),
        };
        DemoOverlay {
            inner,
            kept: Mutex::new(kept),
        }
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

    async fn describe_workspaces(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<DescribedWorkspace>, WorkspacesError> {
        self.inner.describe_workspaces(next_token).await
    }

    async fn describe_directories(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Directory>, WorkspacesError> {
        let mut page = self.inner.describe_directories(next_token).await?;
        let kept = self.kept();
        for directory in &mut page.items {
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
        Ok(page)
    }

    async fn describe_bundles(
        &self,
        owner: BundleOwner,
        next_token: Option<String>,
    ) -> Result<Page<Bundle>, WorkspacesError> {
        let mut page = self.inner.describe_bundles(owner, next_token).await?;
        let kept = self.kept();
        for bundle in &mut page.items {
            if bundle.image_id.is_none() {
                bundle.image_id = kept.bundle_images.get(&bundle.id).cloned();
            }
            // The emulator's bundles are all usable; AWS always says so.
            bundle.state.get_or_insert_with(|| "AVAILABLE".into());
        }
        Ok(page)
    }

    async fn describe_images(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<Image>, WorkspacesError> {
        let mut page = self.inner.describe_images(next_token).await?;
        if page.next_token.is_none() {
            page.items.extend(self.kept().copies.iter().cloned());
        }
        Ok(page)
    }

    async fn describe_ip_groups(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<IpGroup>, WorkspacesError> {
        self.inner.describe_ip_groups(next_token).await
    }

    async fn describe_connection_status(
        &self,
        next_token: Option<String>,
    ) -> Result<Page<ConnectionStatus>, WorkspacesError> {
        self.inner.describe_connection_status(next_token).await
    }

    async fn describe_workspaces_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<DescribedWorkspace>, WorkspacesError> {
        self.inner.describe_workspaces_by_id(ids).await
    }

    async fn change(&self, change: &Change) -> Result<ChangeOutcome, WorkspacesError> {
        self.inner.change(change).await
    }

    async fn change_ip_group(
        &self,
        change: &IpGroupChange,
    ) -> Result<Option<String>, WorkspacesError> {
        let answer = self.inner.change_ip_group(change).await?;
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
        Ok(answer)
    }

    async fn describe_image_permissions(
        &self,
        image_id: &str,
    ) -> Result<Vec<String>, WorkspacesError> {
        if self.kept().copies.iter().any(|image| image.id == image_id) {
            return Ok(Vec::new());
        }
        self.inner.describe_image_permissions(image_id).await
    }

    async fn change_image(&self, change: &ImageChange) -> Result<Option<String>, WorkspacesError> {
        let deletes_a_copy = match change {
            ImageChange::Delete { image_id } => {
                self.kept().copies.iter().any(|image| image.id == *image_id)
            }
            _ => false,
        };
        match change {
            ImageChange::Copy {
                source_region,
                source_image_id,
                name,
                description,
            } => {
                let mut kept = self.kept();
                let id = format!("wsi-c0{:07x}", kept.copies.len() + 1);
                kept.copies.push(Image {
                    id: id.clone(),
                    region: self.inner.region().to_string(),
                    name: name.clone(),
                    description: description.clone().or_else(|| {
                        Some(format!("Copy of {source_image_id} from {source_region}"))
                    }),
                    state: Some("AVAILABLE".into()),
                    operating_system: None,
                    owner_account_id: None,
                    required_tenancy: Some("DEFAULT".into()),
                    created: None,
                    shared_with: Vec::new(),
                    error: None,
                });
                Ok(Some(id))
            }
            ImageChange::Delete { image_id } if deletes_a_copy => {
                self.kept().copies.retain(|image| image.id != *image_id);
                Ok(None)
            }
            _ => self.inner.change_image(change).await,
        }
    }

    async fn change_directory(&self, change: &DirectoryChange) -> Result<(), WorkspacesError> {
        if !matches!(change, DirectoryChange::SetAccessProperties { .. }) {
            self.inner.change_directory(change).await?;
        }
        let mut kept = self.kept();
        match change {
            DirectoryChange::Register { directory_id } => {
                kept.directories
                    .insert(directory_id.clone(), DirectoryExtras::default());
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
        }
        Ok(())
    }

    async fn change_bundle(
        &self,
        change: &BundleChange,
    ) -> Result<Option<String>, WorkspacesError> {
        let answer = match change {
            BundleChange::Update { .. } => None,
            _ => self.inner.change_bundle(change).await?,
        };
        let mut kept = self.kept();
        match (change, &answer) {
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
        Ok(answer)
    }

    async fn describe_tags(&self, resource_id: &str) -> Result<Vec<Tag>, WorkspacesError> {
        self.inner.describe_tags(resource_id).await
    }

    async fn describe_snapshots(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<Snapshot>, WorkspacesError> {
        self.inner.describe_snapshots(workspace_id).await
    }
}
