//! The inventory sync: fills the SQLite cache from the WorkSpaces API of every Region.
//!
//! Per Region it lists bundles, directories (with their client properties), images, IP
//! groups, every page of WorkSpaces, connection status, connection aliases (with
//! their permissions) and the application catalog with its WorkSpace associations,
//! each step on its own: a step that fails (no
//! access, an endpoint that does not implement the operation, an unreachable Region)
//! is recorded as stale with its error and the other steps still run. Calls pass the
//! Region's rate limit ([`crate::server::rate_limit`]); a throttled call is retried
//! with backoff, never skipped. Tags come from the Resource Groups Tagging API's listing
//! (100 WorkSpaces a call); where that is not available they cost one call per
//! WorkSpace, so they are loaded afterwards, a batch at a time, at low priority.
//!
//! One file (about 650 lines): each resource's step is a few lines over the shared
//! paging, rate limit and status recording, and reads best beside them.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::Notify;

use crate::model::{
    ConnectionAlias, Directory, Image, IpGroup, RegionProgress, SyncProgress, SyncStep,
};
use crate::server::aws::{API_BATCH_LIMIT, AwsError, BundleOwner, ErrorKind, Page, WorkspacesApi};
use crate::server::changes;
use crate::server::repo::inventory::{self, ItemKind};

/// How the sync paces itself.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Time between two background syncs.
    pub interval: Duration,
    /// How often a throttled call is retried before the step gives up.
    pub throttle_retries: u32,
    /// The first wait after a throttled call; doubled each retry, at most 30 s.
    pub throttle_backoff: Duration,
    /// Tags loaded per background round (one call each).
    pub tag_batch: usize,
    /// Tags older than this are loaded again (changes made outside Fleetdesk).
    pub tag_refresh: Duration,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            interval: Duration::from_secs(15 * 60),
            throttle_retries: 8,
            throttle_backoff: Duration::from_secs(1),
            tag_batch: 200,
            tag_refresh: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// Why a step of the sync failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Aws(#[from] AwsError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Shared view of the running sync, and the way to ask for one.
#[derive(Clone, Default)]
pub struct SyncHandle {
    progress: Arc<Mutex<SyncProgress>>,
    /// Held while a sync runs, so two never overlap.
    running: Arc<tokio::sync::Mutex<()>>,
    wake: Arc<Notify>,
}

impl SyncHandle {
    /// A copy of the current progress.
    pub fn progress(&self) -> SyncProgress {
        match self.progress.lock() {
            Ok(progress) => progress.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn update(&self, change: impl FnOnce(&mut SyncProgress)) {
        match self.progress.lock() {
            Ok(mut progress) => change(&mut progress),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
    }

    fn update_region(&self, api: &dyn WorkspacesApi, change: impl FnOnce(&mut RegionProgress)) {
        self.update(|progress| {
            if let Some(entry) = progress
                .regions
                .iter_mut()
                .find(|r| r.account == api.account() && r.region == api.region())
            {
                change(entry);
            }
        });
    }

    /// Asks the background task to sync now instead of at its next interval.
    pub fn request(&self) {
        self.wake.notify_one();
    }
}

/// What one full sync did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SyncReport {
    pub workspaces: usize,
    /// (Region, step, error) of every step that failed.
    pub failures: Vec<(String, SyncStep, String)>,
}

/// Runs one full sync of every Region (concurrently), unless one is already running, in
/// which case it returns `None` at once.
pub async fn sync_all(
    pool: &AnyPool,
    clients: &[Arc<dyn WorkspacesApi>],
    handle: &SyncHandle,
    settings: &SyncSettings,
) -> Option<SyncReport> {
    let _running = handle.running.try_lock().ok()?;
    let started = inventory::now();
    handle.update(|progress| {
        *progress = SyncProgress {
            running: true,
            started_at: Some(started.clone()),
            finished_at: None,
            regions: clients
                .iter()
                .map(|api| RegionProgress {
                    account: api.account().to_string(),
                    region: api.region().to_string(),
                    ..Default::default()
                })
                .collect(),
        }
    });
    let mut tasks = tokio::task::JoinSet::new();
    for api in clients {
        let (pool, api, handle, settings) =
            (pool.clone(), api.clone(), handle.clone(), settings.clone());
        tasks.spawn(async move { sync_region(&pool, api.as_ref(), &handle, &settings).await });
    }
    let mut report = SyncReport::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(region_report) => {
                report.workspaces += region_report.workspaces;
                report.failures.extend(region_report.failures);
            }
            Err(error) => tracing::error!("a Region sync task failed: {error}"),
        }
    }
    if let Err(error) = inventory::refresh_statistics(pool).await {
        tracing::warn!("cannot refresh the query planner's statistics: {error}");
    }
    handle.update(|progress| {
        progress.running = false;
        progress.finished_at = Some(inventory::now());
    });
    Some(report)
}

async fn sync_region(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
) -> SyncReport {
    let region = crate::model::place_name(api.account(), api.region());
    let mut report = SyncReport::default();
    for step in SyncStep::ALL {
        if step == SyncStep::Tags && !api.lists_tags() {
            continue;
        }
        handle.update_region(api, |r| r.step = step.as_str().to_string());
        let attempt_at = inventory::now();
        let outcome = match step {
            SyncStep::Bundles => sync_bundles(pool, api, handle, settings, &attempt_at).await,
            SyncStep::Directories => {
                sync_directories(pool, api, handle, settings, &attempt_at).await
            }
            SyncStep::Images => sync_images(pool, api, handle, settings, &attempt_at).await,
            SyncStep::IpGroups => {
                let fetch = |t| api.describe_ip_groups(t);
                sync_items(
                    pool,
                    api,
                    handle,
                    settings,
                    &attempt_at,
                    ItemKind::IpGroup,
                    fetch,
                    |g: &IpGroup| g.id.clone(),
                )
                .await
            }
            SyncStep::Workspaces => sync_workspaces(pool, api, handle, settings, &attempt_at).await,
            SyncStep::Tags => sync_tags(pool, api, handle, settings, &attempt_at).await,
            SyncStep::Connections => sync_connections(pool, api, handle, settings).await,
            SyncStep::ConnectionAliases => {
                sync_aliases(pool, api, handle, settings, &attempt_at).await
            }
            SyncStep::Applications => {
                sync_applications(pool, api, handle, settings, &attempt_at).await
            }
        };
        if step == SyncStep::Workspaces {
            report.workspaces = *outcome.as_ref().unwrap_or(&0);
        }
        let recorded = outcome
            .as_ref()
            .map(|count| *count)
            .map_err(|error| error.to_string());
        if let Err(error) = &recorded {
            tracing::warn!(%region, %step, "sync step failed: {error}");
            report.failures.push((region.clone(), step, error.clone()));
            handle.update_region(api, |r| r.errors += 1);
        }
        if let Err(error) =
            inventory::record_sync(pool, api.place(), step.as_str(), &attempt_at, recorded).await
        {
            tracing::error!(%region, %step, "cannot record the sync status: {error}");
        }
    }
    handle.update_region(api, |r| {
        r.step = "done".into();
        r.done = true;
    });
    report
}

/// Tries of a call whose endpoint failed or could not be reached, after the SDK's own:
/// an unreachable Region is marked stale within seconds, not minutes.
const UNAVAILABLE_RETRIES: u32 = 2;

/// Calls `call` again after a throttling error (up to `settings.throttle_retries` times)
/// or an endpoint error (up to [`UNAVAILABLE_RETRIES`] times), waiting longer each time.
pub async fn retry_transient<T, F, Fut>(settings: &SyncSettings, mut call: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsError>>,
{
    let mut wait = settings.throttle_backoff;
    let (mut throttled, mut unavailable) = (0, 0);
    loop {
        let error = match call().await {
            Err(error) if error.kind == ErrorKind::Throttled => {
                throttled += 1;
                if throttled > settings.throttle_retries {
                    return Err(error);
                }
                error
            }
            Err(error) if error.kind == ErrorKind::Unavailable => {
                unavailable += 1;
                if unavailable > UNAVAILABLE_RETRIES {
                    return Err(error);
                }
                error
            }
            other => return other,
        };
        tracing::info!("{}: {}; retrying in {wait:?}", error.code, error.message);
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}

/// Fetches every page of one Describe call, retrying throttled pages and counting pages
/// in the progress. `store` receives each page as it arrives.
async fn each_page<T, F, Fut, S, SFut>(
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    mut fetch: F,
    mut store: S,
) -> Result<usize, SyncError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, AwsError>>,
    S: FnMut(Vec<T>) -> SFut,
    SFut: std::future::Future<Output = Result<(), SyncError>>,
{
    let mut token: Option<String> = None;
    let mut count = 0;
    loop {
        let page = retry_transient(settings, || fetch(token.clone())).await?;
        count += page.items.len();
        handle.update_region(api, |r| {
            r.pages += 1;
            r.items += page.items.len();
        });
        store(page.items).await?;
        match page.next_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => return Ok(count),
        }
    }
}

/// Collects every page of one Describe call.
async fn collect<T, F, Fut>(
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    fetch: F,
) -> Result<Vec<T>, SyncError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, AwsError>>,
{
    let mut all = Vec::new();
    let all_ref = &mut all;
    each_page(api, handle, settings, fetch, |items| {
        all_ref.extend(items);
        async { Ok(()) }
    })
    .await?;
    Ok(all)
}

async fn sync_bundles(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let mut bundles = collect(api, handle, settings, |t| {
        api.describe_bundles(BundleOwner::Account, t)
    })
    .await?;
    bundles.extend(
        collect(api, handle, settings, |t| {
            api.describe_bundles(BundleOwner::Amazon, t)
        })
        .await?,
    );
    let keyed: Vec<_> = bundles.into_iter().map(|b| (b.id.clone(), b)).collect();
    inventory::replace_items(pool, api.place(), ItemKind::Bundle, &keyed, at).await?;
    Ok(keyed.len())
}

/// Lists one kind of small resource and replaces the Region's cached copy of it.
async fn sync_items<T, F, Fut>(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
    kind: ItemKind,
    fetch: F,
    id_of: fn(&T) -> String,
) -> Result<usize, SyncError>
where
    T: serde::Serialize,
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, AwsError>>,
{
    let items = collect(api, handle, settings, fetch).await?;
    let keyed: Vec<_> = items.into_iter().map(|item| (id_of(&item), item)).collect();
    inventory::replace_items(pool, api.place(), kind, &keyed, at).await?;
    Ok(keyed.len())
}

/// Lists images and, for the images the account owns, one call each, the accounts they
/// are shared with (DescribeWorkspaceImagePermissions answers for the owner only). An
/// image whose permissions cannot be read keeps the error; the others are stored.
async fn sync_images(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let mut images: Vec<Image> = collect(api, handle, settings, |t| api.describe_images(t)).await?;
    let owned: Vec<Image> =
        collect(api, handle, settings, |t| api.describe_owned_images(t)).await?;
    for image in &mut images {
        image.owned = owned.iter().any(|o| o.id == image.id);
        if !image.owned {
            continue;
        }
        match retry_transient(settings, || api.describe_image_permissions(&image.id)).await {
            Ok(accounts) => image.shared_with = accounts,
            Err(error) => {
                tracing::warn!(image = %image.id, "cannot read the image's permissions: {error}");
                image.permissions_error = Some(error.to_string());
            }
        }
    }
    let keyed: Vec<_> = images.into_iter().map(|i| (i.id.clone(), i)).collect();
    inventory::replace_items(pool, api.place(), ItemKind::Image, &keyed, at).await?;
    Ok(keyed.len())
}

/// Lists directories and their client properties (DescribeClientProperties,
/// [`API_BATCH_LIMIT`] directories a call). Client properties that cannot be read are
/// logged and left unreported; the directories are stored either way.
async fn sync_directories(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let mut directories: Vec<Directory> =
        collect(api, handle, settings, |t| api.describe_directories(t)).await?;
    let ids: Vec<String> = directories.iter().map(|d| d.id.clone()).collect();
    for batch in ids.chunks(API_BATCH_LIMIT) {
        match retry_transient(settings, || api.describe_client_properties(batch)).await {
            Ok(found) => {
                for (id, properties) in found {
                    if let Some(directory) = directories.iter_mut().find(|d| d.id == id) {
                        directory.client = Some(properties);
                    }
                }
            }
            Err(error) => {
                tracing::warn!(
                    region = api.region(),
                    "cannot read client properties: {error}"
                )
            }
        }
    }
    let keyed: Vec<_> = directories.into_iter().map(|d| (d.id.clone(), d)).collect();
    inventory::replace_items(pool, api.place(), ItemKind::Directory, &keyed, at).await?;
    Ok(keyed.len())
}

/// Lists connection aliases and, one call each, the accounts they are shared with. An
/// alias whose permissions cannot be read (AWS answers them to the owner only) keeps
/// the error; the others are stored. Stored with their permissions so that the page and
/// the checks before a delete or an unshare read the cache like every other resource.
async fn sync_aliases(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let mut aliases: Vec<ConnectionAlias> = collect(api, handle, settings, |t| {
        api.describe_connection_aliases(t)
    })
    .await?;
    for alias in &mut aliases {
        match retry_transient(settings, || api.describe_alias_permissions(&alias.id)).await {
            Ok(permissions) => alias.permissions = permissions,
            Err(error) => {
                tracing::warn!(alias = %alias.id, "cannot read the alias's permissions: {error}");
                alias.permissions_error = Some(error.to_string());
            }
        }
    }
    let keyed: Vec<_> = aliases.into_iter().map(|a| (a.id.clone(), a)).collect();
    inventory::replace_items(pool, api.place(), ItemKind::ConnectionAlias, &keyed, at).await?;
    Ok(keyed.len())
}

/// Lists the application catalog (DescribeApplications, every page) and, one
/// application at a time, its WorkSpace, bundle and image associations
/// (DescribeApplicationAssociations, every page), then replaces the Region's cached
/// catalog and associations (release note 2023-10, 004_989ae404788726c9.txt:106, :385). Returns how
/// many associations were stored. A failure leaves the previous cache, marked stale.
async fn sync_applications(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let any = crate::model::ApplicationFilter::default();
    let applications: Vec<crate::model::Application> = collect(api, handle, settings, |t| {
        api.describe_applications(&any, t)
    })
    .await?;
    // One listing per application covers WorkSpaces, bundles and images alike, instead of
    // one call per bundle and image when the images page opens.
    let mut associations = Vec::new();
    for app in &applications {
        associations.extend(
            collect(api, handle, settings, |t| {
                api.describe_application_associations(&app.id, &["WORKSPACE", "BUNDLE", "IMAGE"], t)
            })
            .await?,
        );
    }
    let mut by_resource: HashMap<String, Vec<crate::model::AppAssociation>> = HashMap::new();
    for association in associations
        .iter()
        .filter(|a| a.resource_type != "WORKSPACE")
    {
        by_resource
            .entry(association.resource_id.clone())
            .or_default()
            .push(association.clone());
    }
    let keyed: Vec<_> = applications
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let by_resource: Vec<_> = by_resource.into_iter().collect();
    inventory::replace_items(pool, api.place(), ItemKind::Application, &keyed, at).await?;
    inventory::replace_items(
        pool,
        api.place(),
        ItemKind::ResourceApplications,
        &by_resource,
        at,
    )
    .await?;
    inventory::replace_workspace_applications(pool, api.place(), None, &associations, at).await?;
    Ok(associations.len())
}

/// Stores every page of WorkSpaces as it arrives, then marks the ones AWS no longer
/// returned as removed. A failed listing marks nothing: a partial list proves nothing.
async fn sync_workspaces(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let bundles: Vec<crate::model::Bundle> = inventory::items(pool, ItemKind::Bundle).await?;
    let compute_by_bundle: HashMap<String, String> = bundles
        .into_iter()
        .filter(|b| b.account == api.account() && b.region == api.region())
        .filter_map(|b| b.compute_type.map(|compute| (b.id, compute)))
        .collect();
    let mut seen = HashSet::new();
    let seen_ref = &mut seen;
    let compute_ref = &compute_by_bundle;
    let count = each_page(
        api,
        handle,
        settings,
        |t| api.describe_workspaces(t),
        |items| {
            seen_ref.extend(items.iter().map(|item| item.workspace.id.clone()));
            async move {
                inventory::store_workspaces(pool, &items, compute_ref, at).await?;
                Ok(())
            }
        },
    )
    .await?;
    inventory::mark_removed(pool, api.place(), &seen, at).await?;
    Ok(count)
}

/// Every WorkSpace's tags through the Region's tag listing (100 a page); those it does
/// not list have none. Where the client has no listing, or it fails, the background
/// rounds of [`load_missing_tags`] read them one WorkSpace at a time.
async fn sync_tags(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
    at: &str,
) -> Result<usize, SyncError> {
    let count = each_page(
        api,
        handle,
        settings,
        |t| api.workspace_tags(t),
        |items| async move {
            inventory::store_tag_listing(pool, &items, at).await?;
            Ok(())
        },
    )
    .await?;
    inventory::clear_unlisted_tags(pool, api.place(), at).await?;
    Ok(count)
}

async fn sync_connections(
    pool: &AnyPool,
    api: &dyn WorkspacesApi,
    handle: &SyncHandle,
    settings: &SyncSettings,
) -> Result<usize, SyncError> {
    each_page(
        api,
        handle,
        settings,
        |t| api.describe_connection_status(t),
        |items| async move {
            inventory::store_connection_status(pool, &items).await?;
            Ok(())
        },
    )
    .await
}

/// Loads the tags of up to `settings.tag_batch` WorkSpaces that have none loaded yet or
/// whose tags are older than `settings.tag_refresh`.
/// Returns how many were loaded; failures are logged and left for the next round.
pub async fn load_missing_tags(
    pool: &AnyPool,
    clients: &[Arc<dyn WorkspacesApi>],
    settings: &SyncSettings,
) -> Result<usize, SyncError> {
    let refresh = chrono::Duration::from_std(settings.tag_refresh).unwrap_or(chrono::Duration::MAX);
    let loaded_before =
        (chrono::Utc::now() - refresh).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let pending =
        inventory::workspaces_needing_tags(pool, &loaded_before, settings.tag_batch).await?;
    let mut loaded = 0;
    for (id, account, region) in pending {
        let Some(api) = changes::find_client(clients, &account, &region) else {
            continue;
        };
        match retry_transient(settings, || api.describe_tags(&id)).await {
            Ok(tags) => {
                inventory::store_tags(pool, &id, &tags, &inventory::now()).await?;
                loaded += 1;
            }
            Err(error) => {
                tracing::warn!(%id, "cannot load tags: {error}");
                break;
            }
        }
    }
    Ok(loaded)
}

/// The background task: a full sync at start and every `settings.interval` (sooner when
/// [`SyncHandle::request`] is called), then a batch of missing tags while idle.
pub async fn run_background(
    pool: AnyPool,
    clients: Arc<Vec<Arc<dyn WorkspacesApi>>>,
    handle: SyncHandle,
    settings: SyncSettings,
) {
    loop {
        if let Some(report) = sync_all(&pool, &clients, &handle, &settings).await {
            tracing::info!(
                workspaces = report.workspaces,
                failures = report.failures.len(),
                "sync finished"
            );
        }
        let deadline = tokio::time::Instant::now() + settings.interval;
        loop {
            let loaded = match load_missing_tags(&pool, &clients, &settings).await {
                Ok(loaded) => loaded,
                Err(error) => {
                    tracing::warn!("tag loading failed: {error}");
                    0
                }
            };
            let pause = if loaded == 0 {
                deadline
            } else {
                tokio::time::Instant::now()
            };
            tokio::select! {
                _ = handle.wake.notified() => break,
                _ = tokio::time::sleep_until(pause) => {
                    if tokio::time::Instant::now() >= deadline { break; }
                }
            }
        }
    }
}
