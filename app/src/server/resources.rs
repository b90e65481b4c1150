//! The directories, images and bundles, IP groups and connections listings, answered
//! from the inventory cache across every configured account and Region, each limited to
//! the accounts the signed-in user may see.

use std::collections::HashMap;

use crate::error::AppError;
use crate::model::{
    BundleSummary, Catalog, ConnectionsPage, ConnectionsQuery, DirectorySummary, Image,
    ImageSummary, IpGroup, SyncOverview, UserInfo,
};
use crate::server::caller::Caller;
use crate::server::repo::inventory::{self, ItemKind};

/// The cached items of `kind` in the accounts `user` may see.
pub async fn visible_items<T: serde::de::DeserializeOwned + HasAccount>(
    caller: &Caller,
    kind: ItemKind,
) -> Result<Vec<T>, AppError> {
    let mut items: Vec<T> = inventory::items(caller.pool(), kind).await?;
    items.retain(|item| caller.user.may_use(item.account()));
    Ok(items)
}

/// A cached item that names its account.
pub trait HasAccount {
    fn account(&self) -> &str;
}

macro_rules! has_account {
    ($($model:ty),*) => {
        $(impl HasAccount for $model {
            fn account(&self) -> &str {
                &self.account
            }
        })*
    };
}

has_account!(
    crate::model::Directory,
    Image,
    crate::model::Bundle,
    IpGroup,
    crate::model::ConnectionAlias
);

/// Directories with how many WorkSpaces each holds.
pub async fn directories(caller: &Caller) -> Result<Vec<DirectorySummary>, AppError> {
    let counts = inventory::count_by(caller.pool(), "directory_id").await?;
    let directories: Vec<crate::model::Directory> =
        visible_items(caller, ItemKind::Directory).await?;
    Ok(directories
        .into_iter()
        .map(|directory| DirectorySummary {
            workspaces: count_of(&counts, &directory.account, &directory.id),
            directory,
        })
        .collect())
}

/// Images with the bundles that use them, and the bundles the account owns or its
/// WorkSpaces use, with usage counts.
pub async fn catalog(caller: &Caller) -> Result<Catalog, AppError> {
    let images: Vec<Image> = visible_items(caller, ItemKind::Image).await?;
    let counts = inventory::count_by(caller.pool(), "bundle_id").await?;
    let bundles: Vec<crate::model::Bundle> = visible_items(caller, ItemKind::Bundle).await?;
    let images = images
        .into_iter()
        .map(|image| ImageSummary {
            bundles: bundles
                .iter()
                .filter(|b| {
                    b.account == image.account && b.image_id.as_deref() == Some(image.id.as_str())
                })
                .map(|b| format!("{} ({})", b.name, b.id))
                .collect(),
            image,
        })
        .collect();
    let bundles = bundles
        .into_iter()
        .map(|bundle| BundleSummary {
            workspaces: count_of(&counts, &bundle.account, &bundle.id),
            bundle,
        })
        .filter(|summary| {
            summary.bundle.owner.as_deref() != Some("AMAZON") || summary.workspaces > 0
        })
        .collect();
    Ok(Catalog {
        images,
        bundles,
        regions: caller.places(),
        can_edit: false,
    })
}

/// The count of `counts` (see [`inventory::count_by`]) for an account's `id`.
fn count_of(counts: &HashMap<(String, String), usize>, account: &str, id: &str) -> usize {
    counts
        .get(&(account.to_string(), id.to_string()))
        .copied()
        .unwrap_or(0)
}

pub async fn ip_groups(caller: &Caller) -> Result<Vec<IpGroup>, AppError> {
    visible_items(caller, ItemKind::IpGroup).await
}

/// `query` limited to the accounts `user` may see.
fn visible_connections(user: &UserInfo, query: &ConnectionsQuery) -> ConnectionsQuery {
    ConnectionsQuery {
        visible_accounts: user.accounts.clone(),
        ..query.clone()
    }
}

pub async fn connections(
    caller: &Caller,
    query: &ConnectionsQuery,
) -> Result<ConnectionsPage, AppError> {
    crate::model::check_search(&query.q)?;
    let query = visible_connections(&caller.user, query);
    let mut page = inventory::connections_page(caller.pool(), &query).await?;
    page.accounts = caller.accounts();
    Ok(page)
}

/// Every WorkSpace of a connections view as a streamed CSV body.
pub async fn connections_export(
    caller: &Caller,
    query: &ConnectionsQuery,
) -> Result<axum::body::Body, AppError> {
    let query = visible_connections(&caller.user, query);
    let accounts = !caller.state.account_names().is_empty();
    crate::server::export::connections_csv_stream(caller.pool().clone(), query, accounts).await
}

/// How fresh the cache is, and what a running sync is doing, for the accounts `user`
/// may see.
pub async fn sync_overview(caller: &Caller) -> Result<SyncOverview, AppError> {
    let mut progress = caller.state.sync.progress();
    progress.regions.retain(|r| caller.user.may_use(&r.account));
    let mut statuses = inventory::sync_statuses(caller.pool()).await?;
    statuses.retain(|s| caller.user.may_use(&s.account));
    let regions = caller
        .workspaces
        .iter()
        .map(|api| crate::model::place_name(api.account(), api.region()))
        .collect();
    Ok(SyncOverview {
        progress,
        statuses,
        regions,
    })
}
