//! The directories, images and bundles, IP groups and connections listings, answered
//! from the inventory cache across every configured account and Region, each limited to
//! the accounts the signed-in user may see.

use std::collections::HashMap;

use crate::error::AppError;
use crate::model::{
    BundleSummary, Catalog, ConnectionsPage, ConnectionsQuery, DirectorySummary, Image,
    ImageSummary, IpGroup, SyncOverview, UserInfo,
};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::state::AppState;

/// The cached items of `kind` in the accounts `user` may see.
pub async fn visible_items<T: serde::de::DeserializeOwned + HasAccount>(
    state: &AppState,
    user: &UserInfo,
    kind: ItemKind,
) -> Result<Vec<T>, AppError> {
    let mut items: Vec<T> = inventory::items(&state.pool, kind).await?;
    items.retain(|item| user.may_use(item.account()));
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
pub async fn directories(
    state: &AppState,
    user: &UserInfo,
) -> Result<Vec<DirectorySummary>, AppError> {
    let counts = inventory::count_by(&state.pool, "directory_id").await?;
    let directories: Vec<crate::model::Directory> =
        visible_items(state, user, ItemKind::Directory).await?;
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
pub async fn catalog(state: &AppState, user: &UserInfo) -> Result<Catalog, AppError> {
    let images: Vec<Image> = visible_items(state, user, ItemKind::Image).await?;
    let counts = inventory::count_by(&state.pool, "bundle_id").await?;
    let bundles: Vec<crate::model::Bundle> = visible_items(state, user, ItemKind::Bundle).await?;
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
        regions: state.places_for(user),
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

pub async fn ip_groups(state: &AppState, user: &UserInfo) -> Result<Vec<IpGroup>, AppError> {
    visible_items(state, user, ItemKind::IpGroup).await
}

/// `query` limited to the accounts `user` may see.
fn visible_connections(user: &UserInfo, query: &ConnectionsQuery) -> ConnectionsQuery {
    ConnectionsQuery {
        visible_accounts: user.accounts.clone(),
        ..query.clone()
    }
}

pub async fn connections(
    state: &AppState,
    user: &UserInfo,
    query: &ConnectionsQuery,
) -> Result<ConnectionsPage, AppError> {
    crate::model::check_search(&query.q)?;
    let query = visible_connections(user, query);
    let mut page = inventory::connections_page(&state.pool, &query).await?;
    page.accounts = state.accounts_for(user);
    Ok(page)
}

/// Every WorkSpace of a connections view as a streamed CSV body.
pub async fn connections_export(
    state: &AppState,
    user: &UserInfo,
    query: &ConnectionsQuery,
) -> Result<axum::body::Body, AppError> {
    let query = visible_connections(user, query);
    let accounts = !state.account_names().is_empty();
    crate::server::export::connections_csv_stream(state.pool.clone(), query, accounts).await
}

/// How fresh the cache is, and what a running sync is doing, for the accounts `user`
/// may see.
pub async fn sync_overview(state: &AppState, user: &UserInfo) -> Result<SyncOverview, AppError> {
    let mut progress = state.sync.progress();
    progress.regions.retain(|r| user.may_use(&r.account));
    let mut statuses = inventory::sync_statuses(&state.pool).await?;
    statuses.retain(|s| user.may_use(&s.account));
    let regions = state
        .clients_for(user)
        .iter()
        .map(|api| crate::model::place_name(api.account(), api.region()))
        .collect();
    Ok(SyncOverview {
        progress,
        statuses,
        regions,
    })
}
