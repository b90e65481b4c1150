//! Live listings of the things WorkSpaces are made from (directories, images, bundles,
//! IP groups) and of connection status, across every configured Region.
//!
//! Like the fleet listing, these ask AWS on each request until the inventory cache
//! takes over.

use crate::error::AppError;
use crate::model::{Bundle, ConnectionStatus, Directory, Image, IpGroup};
use crate::server::aws::{BundleOwner, Page, WorkspacesApi, WorkspacesError, all_pages};
use crate::server::state::AppState;

/// Collects every page of one Describe call from every Region, in Region order.
async fn from_every_region<T, F>(state: &AppState, describe: F) -> Result<Vec<T>, AppError>
where
    F: for<'a> Fn(&'a dyn WorkspacesApi, Option<String>) -> PageFuture<'a, T>,
{
    let mut items = Vec::new();
    for api in state.regions.iter() {
        let api = api.as_ref();
        items.extend(all_pages(|token| describe(api, token)).await?);
    }
    Ok(items)
}

/// What a [`WorkspacesApi`] Describe method returns: a boxed future of one page.
type PageFuture<'a, T> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Page<T>, WorkspacesError>> + Send + 'a>,
>;

pub async fn directories(state: &AppState) -> Result<Vec<Directory>, AppError> {
    from_every_region(state, |api, token| api.describe_directories(token)).await
}

pub async fn images(state: &AppState) -> Result<Vec<Image>, AppError> {
    from_every_region(state, |api, token| api.describe_images(token)).await
}

/// The account's own bundles (Amazon's public bundles are not listed).
pub async fn bundles(state: &AppState) -> Result<Vec<Bundle>, AppError> {
    from_every_region(state, |api, token| {
        api.describe_bundles(BundleOwner::Account, token)
    })
    .await
}

pub async fn ip_groups(state: &AppState) -> Result<Vec<IpGroup>, AppError> {
    from_every_region(state, |api, token| api.describe_ip_groups(token)).await
}

pub async fn connections(state: &AppState) -> Result<Vec<ConnectionStatus>, AppError> {
    from_every_region(state, |api, token| api.describe_connection_status(token)).await
}
