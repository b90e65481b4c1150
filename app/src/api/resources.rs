//! Server functions of the directories, images, IP groups and connections pages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Bundle, ConnectionStatus, Directory, Image, IpGroup};

#[server(endpoint = "directories/list")]
pub async fn list_directories() -> Result<Vec<Directory>, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::resources::directories(&state).await
}

/// Images and the account's bundles, shown together on the images page.
#[server(endpoint = "images/list")]
pub async fn list_images_and_bundles() -> Result<(Vec<Image>, Vec<Bundle>), AppError> {
    let state = crate::server::state::app_state()?;
    let images = crate::server::resources::images(&state).await?;
    let bundles = crate::server::resources::bundles(&state).await?;
    Ok((images, bundles))
}

#[server(endpoint = "ip-groups/list")]
pub async fn list_ip_groups() -> Result<Vec<IpGroup>, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::resources::ip_groups(&state).await
}

#[server(endpoint = "connections/list")]
pub async fn list_connections() -> Result<Vec<ConnectionStatus>, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::resources::connections(&state).await
}
