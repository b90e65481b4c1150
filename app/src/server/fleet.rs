//! The fleet services: the fleet page, the bulk selection and a WorkSpace's detail, all
//! answered from the inventory cache. Only snapshots are fetched live (the cache does not
//! keep them), and tags when the background sync has not loaded them yet.

use crate::error::AppError;
use crate::model::{
    ActionKind, BulkSelection, Bundle, Directory, FleetFacets, FleetPage, FleetQuery, Migration,
    SyncOverview, UserInfo, WorkspaceDetail, WorkspaceState, check_search,
};
use crate::server::caller::Caller;
use crate::server::repo::inventory::{self, ItemKind};

/// One page of the fleet for `query`, within the accounts `user` may see.
pub async fn fleet_page(caller: &Caller, query: &FleetQuery) -> Result<FleetPage, AppError> {
    check_search(&query.q)?;
    let mut page = inventory::fleet_page(caller.pool(), &visible_to(&caller.user, query)).await?;
    page.actions = ActionKind::ALL
        .into_iter()
        .filter(|action| !matches!(action, ActionKind::Modify | ActionKind::Migrate))
        .filter(|action| caller.user.role >= action.required_role())
        .collect();
    page.show_accounts = !caller.state.account_names().is_empty();
    Ok(page)
}

/// The ids of every WorkSpace matching `query` that the caller may see, at most
/// [`crate::server::actions::MAX_TARGETS`] (what one bulk review takes), in its order.
pub async fn matching_ids(caller: &Caller, query: &FleetQuery) -> Result<Vec<String>, AppError> {
    check_search(&query.q)?;
    let limit = crate::server::actions::MAX_TARGETS;
    Ok(inventory::fleet_ids(caller.pool(), &visible_to(&caller.user, query), limit).await?)
}

/// The cached WorkSpaces with these ids (at most [`crate::server::actions::MAX_TARGETS`])
/// the caller may see, for the bulk confirmation, with a new one-time token for its form.
pub async fn selection(caller: &Caller, ids: Vec<String>) -> Result<BulkSelection, AppError> {
    let ids: Vec<String> = ids
        .into_iter()
        .take(crate::server::actions::MAX_TARGETS)
        .collect();
    let mut found = inventory::workspaces_by_id(caller.pool(), &ids).await?;
    found.retain(|ws| caller.may_use(&ws.account));
    Ok(BulkSelection {
        workspaces: found,
        form_token: crate::server::form_token::issue(),
    })
}

/// `query` limited to the accounts `user` may see.
pub fn visible_to(user: &UserInfo, query: &FleetQuery) -> FleetQuery {
    FleetQuery {
        visible_accounts: user.accounts.clone(),
        ..query.clone()
    }
}

/// The values each fleet filter can take; the accounts are those `user` may see.
pub async fn fleet_facets(caller: &Caller) -> Result<FleetFacets, AppError> {
    let mut facets = inventory::facets(caller.pool(), caller.user.accounts.as_deref()).await?;
    facets.accounts = caller.accounts();
    Ok(facets)
}

/// A WorkSpace's state as the cache has it (the sync and the follow-up of changes keep
/// it current), for a page following a transitional state: no AWS call.
pub async fn workspace_state(caller: &Caller, id: &str) -> Result<WorkspaceState, AppError> {
    inventory::workspace(caller.pool(), id)
        .await?
        .filter(|record| caller.user.may_use(&record.workspace.account))
        .map(|record| record.workspace.state)
        .ok_or_else(|| AppError::NotFound(format!("WorkSpace {id}")))
}

/// Everything about one WorkSpace. Tags not yet loaded are fetched now and cached;
/// snapshots are always fetched live. A failing live call is shown, not fatal.
pub async fn workspace_detail(caller: &Caller, id: &str) -> Result<WorkspaceDetail, AppError> {
    let record = inventory::workspace(caller.pool(), id)
        .await?
        .filter(|record| caller.user.may_use(&record.workspace.account))
        .ok_or_else(|| AppError::NotFound(format!("WorkSpace {id}")))?;
    let api = caller.client(&record.workspace.account, &record.workspace.region);

    let (tags, tags_error) = match (record.tags, api) {
        (Some(tags), _) => (Some(tags), None),
        (None, Some(api)) => match api.describe_tags(id).await {
            Ok(tags) => {
                inventory::store_tags(caller.pool(), id, &tags, &inventory::now()).await?;
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
    let migrations = inventory::migrations_of(caller.pool(), id)
        .await?
        .into_iter()
        .map(|(source_id, target_id, at)| Migration {
            source_id,
            target_id,
            at,
        })
        .collect();
    let bundles: Vec<Bundle> = inventory::items(caller.pool(), ItemKind::Bundle).await?;
    let migration_bundles = bundles
        .into_iter()
        .filter(|b| {
            b.account == record.workspace.account
                && b.region == record.workspace.region
                && b.id != record.workspace.bundle_id
        })
        .map(|b| (b.id, b.name))
        .collect();
    let configured_regions = caller.state.region_names();
    let directories: Vec<Directory> = inventory::items(caller.pool(), ItemKind::Directory)
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

/// How fresh the cache is, and what a running sync is doing, for the accounts the
/// caller may see.
pub async fn sync_overview(caller: &Caller) -> Result<SyncOverview, AppError> {
    let mut progress = caller.state.sync.progress();
    progress.regions.retain(|r| caller.may_use(&r.account));
    let mut statuses = inventory::sync_statuses(caller.pool()).await?;
    statuses.retain(|s| caller.may_use(&s.account));
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
