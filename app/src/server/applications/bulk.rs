//! Associating one application with many WorkSpaces at once (admin): which targets are
//! compatible, the review page, and the batched calls.

use serde_json::json;

use crate::error::AppError;
use crate::model::{ActionReport, AppAssociation, Application, BulkApplicationReview, Workspace};
use crate::server::caller::Caller;
use crate::server::changes::{self, Plan, invalid, skipped};
use crate::server::repo::inventory::{self};

use super::{associate_call, cached_catalog};

/// Most WorkSpaces one bulk association takes (one call each).
pub const MAX_BULK_APPLICATION_TARGETS: usize = 500;

/// What a bulk association of `chosen` does with the WorkSpace `id`: the WorkSpace and
/// its Region's application, or why it is skipped (with the WorkSpace's Region when
/// known): it is not cached or gone, its Region's catalog lacks the application, the
/// application does not support its operating system or compute type, or it already has
/// it (`associated`: the cached WorkSpace, application, state rows).
pub(super) fn bulk_target<'a>(
    id: &str,
    cached: &'a [Workspace],
    associated: &[(String, String, String)],
    catalog: &'a [Application],
    chosen: &Application,
) -> Result<(&'a Workspace, &'a Application), (Option<&'a str>, String)> {
    let ws = cached
        .iter()
        .find(|ws| ws.id == id)
        .ok_or((None, "not in the inventory (run a sync)".to_string()))?;
    let region = Some(ws.region.as_str());
    if ws.removed_at.is_some() {
        return Err((region, "gone from AWS".into()));
    }
    let app = chosen.in_region(catalog, &ws.region).ok_or_else(|| {
        (
            region,
            format!("{} is not in the catalog of {}", chosen.name, ws.region),
        )
    })?;
    if let Some(why) = app.refusal(ws.operating_system.as_deref(), ws.compute_type.as_deref()) {
        return Err((region, why));
    }
    let already = associated.iter().any(|(ws_id, app_id, state)| {
        ws_id == id && *app_id == app.id && AppAssociation::counts_as_installed(state)
    });
    if already {
        return Err((region, format!("already has {}", app.name)));
    }
    Ok((ws, app))
}

/// Plans associating `chosen` with many WorkSpaces, skipping those [`bulk_target`]
/// refuses, with the reason. Pure: no database, no AWS.
pub fn plan_bulk(
    ids: &[String],
    cached: &[Workspace],
    associated: &[(String, String, String)],
    catalog: &[Application],
    chosen: &Application,
    reason: &str,
) -> Result<Plan, AppError> {
    let reason = changes::reason(reason)?;
    let mut ids: Vec<&String> = ids.iter().filter(|id| !id.trim().is_empty()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(invalid("ids", "select at least one WorkSpace"));
    }
    if ids.len() > MAX_BULK_APPLICATION_TARGETS {
        return Err(invalid(
            "ids",
            format!("select at most {MAX_BULK_APPLICATION_TARGETS} WorkSpaces"),
        ));
    }
    let mut plan = Plan {
        action: "workspace.associate_application".into(),
        params: json!({ "application_id": chosen.id, "application": chosen.name }),
        reason: Some(reason),
        calls: Vec::new(),
        skipped: Vec::new(),
        cache: Vec::new(),
    };
    for id in ids {
        match bulk_target(id, cached, associated, catalog, chosen) {
            Ok((ws, app)) => {
                let (call, cache) = associate_call(ws, app);
                plan.calls.push(call);
                plan.cache.push((id.clone(), cache));
            }
            Err((region, why)) => plan.skipped.push(skipped(id, region, why)),
        }
    }
    Ok(plan)
}

/// The bulk association review: the cached catalog, the chosen application (if any), and
/// each checked WorkSpace with the reason it would be skipped, decided as
/// [`associate_many`] will (admin).
pub async fn review_bulk(
    caller: &Caller,
    ids: &[String],
    application_id: &str,
) -> Result<BulkApplicationReview, AppError> {
    caller.require_admin()?;
    let ids: Vec<String> = ids
        .iter()
        .take(MAX_BULK_APPLICATION_TARGETS)
        .cloned()
        .collect();
    let mut catalog = cached_catalog(caller.pool()).await?;
    catalog.retain(|a| caller.user.may_use(&a.account));
    let mut workspaces = inventory::workspaces_by_id(caller.pool(), &ids).await?;
    // Other accounts' WorkSpaces are unknown here (issue 20, finding 7).
    workspaces.retain(|ws| caller.user.may_use(&ws.account));
    let chosen = catalog.iter().find(|a| a.id == application_id).cloned();
    let associated = inventory::applications_of(caller.pool(), &ids).await?;
    let rows = workspaces
        .iter()
        .map(|ws| {
            let skip = chosen.as_ref().and_then(|chosen| {
                bulk_target(&ws.id, &workspaces, &associated, &catalog, chosen)
                    .err()
                    .map(|(_, why)| why)
            });
            (ws.clone(), skip)
        })
        .collect();
    Ok(BulkApplicationReview {
        catalog,
        chosen,
        rows,
        form_token: crate::server::form_token::issue(),
    })
}

/// Associates one application with many WorkSpaces (admin; the bulk review page).
pub async fn associate_many(
    caller: &Caller,
    ids: &[String],
    application_id: &str,
    reason: &str,
) -> Result<ActionReport, AppError> {
    caller.require_admin()?;
    let catalog = cached_catalog(caller.pool()).await?;
    let chosen = catalog
        .iter()
        .find(|a| a.id == application_id)
        .ok_or_else(|| invalid("application_id", "choose an application of the catalog"))?;
    let cached = inventory::workspaces_by_id(caller.pool(), ids).await?;
    let associated = inventory::applications_of(caller.pool(), ids).await?;
    let mut plan = plan_bulk(ids, &cached, &associated, &catalog, chosen, reason)?;
    let label = "Associate application";
    plan.describe("label", label);
    let executed = caller.execute(plan).await?;
    Ok(crate::server::actions::report(label, executed))
}
