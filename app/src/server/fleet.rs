//! The fleet services: the fleet page and a WorkSpace's detail, both
//! answered from the inventory cache. Only snapshots are fetched live (the cache does not
//! keep them), and tags when the background sync has not loaded them yet.

use crate::error::AppError;
use crate::model::{
    Bundle, Directory, FleetFacets, FleetPage, FleetQuery, Migration, UserInfo, WorkspaceDetail,
    check_search,
};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::state::AppState;

/// One page of the fleet for `query`, within the accounts `user` may see.
pub async fn fleet_page(
    state: &AppState,
    user: &UserInfo,
    query: &FleetQuery,
) -> Result<FleetPage, AppError> {
    check_search(&query.q)?;
    Ok(inventory::fleet_page(&state.pool, &visible_to(user, query)).await?)
}

/// `query` limited to the accounts `user` may see.
pub fn visible_to(user: &UserInfo, query: &FleetQuery) -> FleetQuery {
    FleetQuery {
        visible_accounts: user.accounts.clone(),
        ..query.clone()
    }
}

/// The values each fleet filter can take; the accounts are those `user` may see.
pub async fn fleet_facets(state: &AppState, user: &UserInfo) -> Result<FleetFacets, AppError> {
    let mut facets = inventory::facets(&state.pool, user.accounts.as_deref()).await?;
    facets.accounts = state.accounts_for(user);
    Ok(facets)
}

/// Everything about one WorkSpace. Tags not yet loaded are fetched now and cached;
/// snapshots are always fetched live. A failing live call is shown, not fatal.
pub async fn workspace_detail(
    state: &AppState,
    user: &UserInfo,
    id: &str,
) -> Result<WorkspaceDetail, AppError> {
    let record = inventory::workspace(&state.pool, id)
        .await?
        .filter(|record| user.may_use(&record.workspace.account))
        .ok_or_else(|| AppError::NotFound(format!("WorkSpace {id}")))?;
    let api = state.client(&record.workspace.account, &record.workspace.region);

    let (tags, tags_error) = match (record.tags, api) {
        (Some(tags), _) => (Some(tags), None),
        (None, Some(api)) => match api.describe_tags(id).await {
            Ok(tags) => {
                inventory::store_tags(&state.pool, id, &tags, &inventory::now()).await?;
                (Some(tags), None)
            }
            Err(error) => (None, Some(error.to_string())),
        },
        (None, None) => (None, Some("the Region is not configured".to_string())),
    };
    let (snapshots, snapshots_error) = match api {
        Some(api) => match api.describe_snapshots(id).await {
            Ok(snapshots) => (snapshots, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        },
        None => (Vec::new(), Some("the Region is not configured".to_string())),
    };
    let migrations = inventory::migrations_of(&state.pool, id)
        .await?
        .into_iter()
        .map(|(source_id, target_id, at)| Migration {
            source_id,
            target_id,
            at,
        })
        .collect();
    let bundles: Vec<Bundle> = inventory::items(&state.pool, ItemKind::Bundle).await?;
    let migration_bundles = bundles
        .into_iter()
        .filter(|b| {
            b.account == record.workspace.account
                && b.region == record.workspace.region
                && b.id != record.workspace.bundle_id
        })
        .map(|b| (b.id, b.name))
        .collect();
    let configured_regions = state.region_names();
    let directories: Vec<Directory> = inventory::items(&state.pool, ItemKind::Directory)
        .await?
        .into_iter()
        .filter(|d: &Directory| d.account == record.workspace.account)
        .collect();
    let standby_regions = crate::server::standby::standby_regions(
        &record.workspace,
        &configured_regions,
        &directories,
    );
    Ok(WorkspaceDetail {
        configured_regions,
        standby_regions,
        migrations,
        migration_bundles,
        workspace: record.workspace,
        details: record.details,
        tags,
        tags_error,
        timeline: record.timeline,
        snapshots,
        snapshots_error,
        form_token: crate::server::form_token::issue(),
    })
}
