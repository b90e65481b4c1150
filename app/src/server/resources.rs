//! The directories, images and bundles, IP groups and connections listings, answered
//! from the inventory cache across every configured Region.

use std::collections::HashMap;

use crate::error::AppError;
use crate::model::{
    BundleSummary, Catalog, ConnectionsPage, ConnectionsQuery, DirectorySummary, Image,
    ImageSummary, IpGroup, SyncOverview,
};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::state::AppState;

/// Directories with how many WorkSpaces each holds.
pub async fn directories(state: &AppState) -> Result<Vec<DirectorySummary>, AppError> {
    let counts = inventory::count_by(&state.pool, "directory_id").await?;
    let directories: Vec<crate::model::Directory> =
        inventory::items(&state.pool, ItemKind::Directory).await?;
    Ok(directories
        .into_iter()
        .map(|directory| DirectorySummary {
            workspaces: counts.get(&directory.id).copied().unwrap_or(0),
            directory,
        })
        .collect())
}

/// Images with the bundles that use them, and the bundles the account owns or its
/// WorkSpaces use, with usage counts.
pub async fn catalog(state: &AppState) -> Result<Catalog, AppError> {
    let images: Vec<Image> = inventory::items(&state.pool, ItemKind::Image).await?;
    let counts: HashMap<String, usize> = inventory::count_by(&state.pool, "bundle_id").await?;
    let bundles: Vec<crate::model::Bundle> =
        inventory::items(&state.pool, ItemKind::Bundle).await?;
    let images = images
        .into_iter()
        .map(|image| ImageSummary {
            bundles: bundles
                .iter()
                .filter(|b| b.image_id.as_deref() == Some(image.id.as_str()))
                .map(|b| format!("{} ({})", b.name, b.id))
                .collect(),
            image,
        })
        .collect();
    let bundles = bundles
        .into_iter()
        .map(|bundle| BundleSummary {
            workspaces: counts.get(&bundle.id).copied().unwrap_or(0),
            bundle,
        })
        .filter(|summary| {
            summary.bundle.owner.as_deref() != Some("AMAZON") || summary.workspaces > 0
        })
        .collect();
    Ok(Catalog {
        images,
        bundles,
        regions: state.region_names(),
        can_edit: false,
    })
}

pub async fn ip_groups(state: &AppState) -> Result<Vec<IpGroup>, AppError> {
    Ok(inventory::items(&state.pool, ItemKind::IpGroup).await?)
}

pub async fn connections(
    state: &AppState,
    query: &ConnectionsQuery,
) -> Result<ConnectionsPage, AppError> {
    crate::model::check_search(&query.q)?;
    Ok(inventory::connections_page(&state.pool, query).await?)
}

/// Every WorkSpace of a connections view, for the CSV export.
pub async fn connections_export(
    state: &AppState,
    query: &ConnectionsQuery,
) -> Result<Vec<crate::model::Workspace>, AppError> {
    crate::model::check_search(&query.q)?;
    Ok(inventory::connection_rows(&state.pool, query, None).await?)
}

/// How fresh the cache is, and what a running sync is doing.
pub async fn sync_overview(state: &AppState) -> Result<SyncOverview, AppError> {
    Ok(SyncOverview {
        progress: state.sync.progress(),
        statuses: inventory::sync_statuses(&state.pool).await?,
        regions: state.region_names(),
    })
}
