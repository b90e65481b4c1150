//! The part of the demo fleet the emulator does not keep.
//!
//! `winterbaume-workspaces` accepts IP group associations, self-service and creation
//! property changes but does not return them from DescribeWorkspaceDirectories, and it
//! lacks ModifyWorkspaceAccessProperties and CopyWorkspaceImage. Without help the demo's
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
struct Extras {
    ip_group_ids: Vec<String>,
    self_service: Option<SelfService>,
    creation: Option<CreationProperties>,
    access: Option<AccessProperties>,
    tenancy: Option<String>,
}

#[derive(Debug, Default)]
struct Kept {
    directories: HashMap<String, Extras>,
    /// Images "copied" into this Region.
    copies: Vec<Image>,
}

/// One demo Region: the emulator behind the SDK, plus what it forgets.
pub struct DemoOverlay {
    inner: Arc<dyn WorkspacesApi>,
    kept: Mutex<Kept>,
}

impl DemoOverlay {
    /// Wraps `inner`, with the properties a freshly set-up directory would have for each
    /// directory id in `directories` (`id`, whether it is the main corporate directory).
    pub fn new(inner: Arc<dyn WorkspacesApi>, directories: &[(&str, bool)]) -> Self {
        let kept = Kept {
            directories: directories
                .iter()
                .map(|(id, corporate)| (id.to_string(), seed_extras(*corporate)))
                .collect(),
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

fn seed_extras(corporate: bool) -> Extras {
    Extras {
        ip_group_ids: if corporate {
            vec!["wsipg-offices01".into()]
        } else {
            Vec::new()
        },
        self_service: Some(SelfService {
            restart: true,
            increase_volume_size: corporate,
            change_compute_type: false,
            switch_running_mode: corporate,
            rebuild: false,
        }),
        creation: Some(CreationProperties {
            enable_internet_access: corporate,
            user_enabled_as_local_administrator: false,
            enable_maintenance_mode: true,
            default_ou: corporate.then(|| "OU=WorkSpaces,DC=corp,DC=example,DC=com".into()),
            custom_security_group_id: None,
            instance_iam_role_arn: None,
        }),
        access: Some(AccessProperties {
            windows: true,
            macos: true,
            linux: corporate,
            web: !corporate,
            ios: corporate,
            android: corporate,
            chrome_os: corporate,
            zero_client: false,
            thin_client: false,
        }),
        tenancy: Some("SHARED".into()),
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
        self.inner.describe_bundles(owner, next_token).await
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
                    .insert(directory_id.clone(), seed_extras(false));
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
        self.inner.change_bundle(change).await
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
