//! Application management (release note 2023-10, 004_989ae404788726c9.txt): the
//! applications page's live reads (DescribeApplications and
//! DescribeApplicationAssociations, every page), a WorkSpace's applications card
//! (DescribeWorkspaceAssociations, read live like snapshots), the applications of bundles
//! and images, and the changes: associate and disassociate (admin), deploy (help desk),
//! and associate on many WorkSpaces at once.
//!
//! AWS decides compatibility when it installs; Fleetdesk refuses an application the
//! WorkSpace's operating system or compute type does not support before calling AWS, so
//! a bulk association skips those WorkSpaces with the reason instead of leaving ERROR
//! associations behind. Which WorkSpace has which application is cached
//! (`workspace_applications`) for the fleet filter and export: the sync fills it, the
//! changes here and each card read keep it current. A change stores the states AWS
//! answered with (004_989ae404788726c9.txt:48-58, :556-571); the state a plan names is
//! only what is stored when an answer carries none.
//!
//! `bulk` holds the association of one application with many WorkSpaces.

mod bulk;

pub use bulk::{MAX_BULK_APPLICATION_TARGETS, associate_many, plan_bulk, review_bulk};

use std::sync::Arc;

use serde_json::json;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{
    AppAssociation, Application, ApplicationDetail, ApplicationFilter, ApplicationsQuery,
    ApplicationsView, COMPUTE_TYPE_NAMES, NamedAssociation, OPERATING_SYSTEM_NAMES,
    RegionApplications, Role, Workspace, WorkspaceApplications,
};
use crate::server::aws::{ApplicationChange, AssociatedResource, Change, WorkspacesApi, all_pages};
use crate::server::caller::Caller;
use crate::server::changes::{self, CacheOp, Call, Plan, invalid};
use crate::server::repo::inventory::{self, ItemKind};

/// The resource types DescribeApplicationAssociations takes (004_989ae404788726c9.txt:395).
const ALL_RESOURCE_TYPES: [&str; 3] = ["WORKSPACE", "BUNDLE", "IMAGE"];

/// Refuses filter values the reference does not name (004_989ae404788726c9.txt:112-126).
pub fn check_filter(filter: &ApplicationFilter) -> Result<(), AppError> {
    if let Some(bad) = filter
        .compute
        .iter()
        .find(|c| !COMPUTE_TYPE_NAMES.contains(&c.as_str()))
    {
        return Err(invalid("compute", format!("{bad} is not a compute type")));
    }
    if let Some(bad) = filter
        .os
        .iter()
        .find(|o| !OPERATING_SYSTEM_NAMES.contains(&o.as_str()))
    {
        return Err(invalid(
            "os",
            format!("{bad} is not an operating system name"),
        ));
    }
    if !matches!(filter.license.as_str(), "" | "LICENSED" | "UNLICENSED") {
        return Err(invalid("license", "choose LICENSED or UNLICENSED"));
    }
    if filter.owner.chars().count() > 128 {
        return Err(invalid("owner", "keep the owner under 128 characters"));
    }
    Ok(())
}

/// The applications page: every configured Region's catalog matching the filters, and the
/// associations of the chosen application (every page, every resource type).
pub async fn applications_view(
    caller: &Caller,
    query: &ApplicationsQuery,
) -> Result<ApplicationsView, AppError> {
    check_filter(&query.filter)?;
    let mut view = ApplicationsView::default();
    for api in &caller.workspaces {
        let found = all_pages(|t| api.describe_applications(&query.filter, t)).await;
        let (mut applications, error) = match found {
            Ok(applications) => (applications, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        };
        applications.sort_by(|a, b| a.name.cmp(&b.name));
        view.regions.push(RegionApplications {
            account: api.account().to_string(),
            region: api.region().to_string(),
            applications,
            error,
        });
    }
    if query.app.is_empty() {
        return Ok(view);
    }
    // The chosen application is in a listed catalog, or filtered out: then look it up.
    let listed = view.regions.iter().find_map(|region| {
        let app = region.applications.iter().find(|a| a.id == query.app)?;
        let api = changes::find_client(&caller.workspaces, &region.account, &region.region)?;
        Some((api.clone(), app.clone()))
    });
    let mut chosen = listed;
    let any = ApplicationFilter::default();
    for api in &caller.workspaces {
        if chosen.is_some() {
            break;
        }
        let by_id = all_pages(|t| api.describe_applications(&any, t)).await;
        if let Some(app) = by_id
            .ok()
            .and_then(|all| all.into_iter().find(|a| a.id == query.app))
        {
            chosen = Some((api.clone(), app));
        }
    }
    let (api, application) =
        chosen.ok_or_else(|| AppError::NotFound(format!("application {}", query.app)))?;
    let found = all_pages(|t| {
        api.describe_application_associations(&application.id, &ALL_RESOURCE_TYPES, t)
    })
    .await;
    let (associations, error) = match found {
        Ok(associations) => (associations, None),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let ids: Vec<String> = associations
        .iter()
        .filter(|a| a.resource_type == "WORKSPACE")
        .map(|a| a.resource_id.clone())
        .collect();
    let workspace_users = inventory::workspaces_by_id(caller.pool(), &ids)
        .await?
        .into_iter()
        .map(|ws| (ws.id, ws.user_name))
        .collect();
    view.selected = Some(ApplicationDetail {
        application,
        associations,
        workspace_users,
        error,
    });
    Ok(view)
}

/// The catalog of `api`'s Region: as the sync cached it, or read live when the cache has
/// none yet.
async fn catalog(pool: &AnyPool, api: &dyn WorkspacesApi) -> Result<Vec<Application>, AppError> {
    let cached: Vec<Application> = inventory::items::<Application>(pool, ItemKind::Application)
        .await?
        .into_iter()
        .filter(|a| (a.account.as_str(), a.region.as_str()) == api.place())
        .collect();
    if !cached.is_empty() {
        return Ok(cached);
    }
    let any = ApplicationFilter::default();
    Ok(all_pages(|t| api.describe_applications(&any, t)).await?)
}

/// The cached catalog of every Region, by name: the bulk association's choice.
async fn cached_catalog(pool: &AnyPool) -> Result<Vec<Application>, AppError> {
    let mut applications: Vec<Application> = inventory::items(pool, ItemKind::Application).await?;
    applications.sort_by(|a, b| a.name.cmp(&b.name).then(a.region.cmp(&b.region)));
    Ok(applications)
}

/// Associations with the names of their applications, by name.
fn named(associations: Vec<AppAssociation>, catalog: &[Application]) -> Vec<NamedAssociation> {
    let mut named: Vec<NamedAssociation> = associations
        .into_iter()
        .map(|association| NamedAssociation {
            name: catalog
                .iter()
                .find(|a| a.id == association.application_id)
                .map_or_else(|| association.application_id.clone(), |a| a.name.clone()),
            association,
        })
        .collect();
    named.sort_by(|a, b| a.name.cmp(&b.name));
    named
}

/// A cached WorkSpace in an account and Region of `regions` (the caller's clients): one
/// elsewhere is answered exactly as an unknown id (issue 20, finding 7).
async fn visible_workspace(
    pool: &AnyPool,
    clients: &[Arc<dyn WorkspacesApi>],
    id: &str,
) -> Result<Workspace, AppError> {
    inventory::workspace(pool, id)
        .await?
        .map(|record| record.workspace)
        .filter(|ws| {
            clients
                .iter()
                .any(|api| api.account() == ws.account && api.region() == ws.region)
        })
        .ok_or_else(|| AppError::NotFound(format!("WorkSpace {id}")))
}

/// A visible cached WorkSpace that is still in AWS.
async fn live_workspace(
    pool: &AnyPool,
    clients: &[Arc<dyn WorkspacesApi>],
    id: &str,
) -> Result<Workspace, AppError> {
    let ws = visible_workspace(pool, clients, id).await?;
    if ws.removed_at.is_some() {
        return Err(invalid("id", "this WorkSpace is gone from AWS"));
    }
    Ok(ws)
}

/// A WorkSpace's applications card: its associations read live (and stored in the cache
/// on the way), and the catalog's applications that fit it and it does not have.
pub async fn workspace_applications(
    caller: &Caller,
    id: &str,
) -> Result<WorkspaceApplications, AppError> {
    let ws = visible_workspace(caller.pool(), &caller.workspaces, id).await?;
    let api = changes::region_api(&caller.workspaces, &ws.account, &ws.region)?;
    let mut card = WorkspaceApplications {
        workspace_id: ws.id.clone(),
        can_deploy: caller.user.role >= Role::Helpdesk && ws.removed_at.is_none(),
        can_manage: caller.user.role >= Role::Admin && ws.removed_at.is_none(),
        ..WorkspaceApplications::default()
    };
    let catalog = match catalog(caller.pool(), api.as_ref()).await {
        Ok(catalog) => catalog,
        Err(error) => {
            tracing::warn!(region = %ws.region, "cannot read the application catalog: {error:?}");
            Vec::new()
        }
    };
    match api
        .describe_resource_associations(AssociatedResource::Workspace(ws.id.clone()))
        .await
    {
        Ok(associations) => {
            inventory::replace_workspace_applications(
                caller.pool(),
                (&ws.account, &ws.region),
                Some(&ws.id),
                &associations,
                &inventory::now(),
            )
            .await?;
            card.compatible = catalog
                .iter()
                .filter(|app| !has(&associations, &app.id))
                .filter(|app| {
                    app.refusal(ws.operating_system.as_deref(), ws.compute_type.as_deref())
                        .is_none()
                })
                .map(|app| (app.id.clone(), app.name.clone()))
                .collect();
            card.applications = named(associations, &catalog);
        }
        Err(error) => card.error = Some(error.to_string()),
    }
    Ok(card)
}

/// Whether `associations` hold `application_id` installed or on its way in.
fn has(associations: &[AppAssociation], application_id: &str) -> bool {
    associations.iter().any(|a| {
        a.application_id == application_id
            && a.state
                .as_deref()
                .is_none_or(AppAssociation::counts_as_installed)
    })
}

/// The audit params naming a WorkSpace's application.
fn params(ws: &Workspace, app_id: &str, app_name: &str) -> serde_json::Value {
    json!({
        "workspace_id": ws.id,
        "region": ws.region,
        "application_id": app_id,
        "application": app_name,
    })
}

/// The call and cache change associating `app` with `ws`: the state AWS answers
/// (004_989ae404788726c9.txt:48-58), PENDING_INSTALL_DEPLOYMENT if it answers none.
fn associate_call(ws: &Workspace, app: &Application) -> (Call, CacheOp) {
    (
        Call {
            account: ws.account.clone(),
            region: ws.region.clone(),
            change: Change::Application(ApplicationChange::Associate {
                workspace_id: ws.id.clone(),
                application_id: app.id.clone(),
            }),
            targets: vec![ws.id.clone()],
        },
        CacheOp::SetApplication {
            workspace_id: ws.id.clone(),
            application_id: app.id.clone(),
            account: ws.account.clone(),
            region: ws.region.clone(),
            // A new association waits for a deployment (004_989ae404788726c9.txt:53);
            // replaced by the state AWS answers.
            state: "PENDING_INSTALL_DEPLOYMENT".into(),
        },
    )
}

/// Plans associating `app` with `ws`, whose associations AWS reported as `current`.
/// Pure: no database, no AWS.
pub fn plan_associate(
    ws: &Workspace,
    app: &Application,
    current: &[AppAssociation],
    reason: &str,
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(reason)?;
    if app.region != ws.region || app.account != ws.account {
        return Err(invalid(
            "application_id",
            format!(
                "{} is in the catalog of {}, the WorkSpace in {}",
                app.name,
                crate::model::place_name(&app.account, &app.region),
                crate::model::place_name(&ws.account, &ws.region)
            ),
        ));
    }
    if let Some(why) = app.refusal(ws.operating_system.as_deref(), ws.compute_type.as_deref()) {
        return Err(invalid("application_id", why));
    }
    if has(current, &app.id) {
        return Err(invalid(
            "application_id",
            format!("{} is already associated with {}", app.name, ws.id),
        ));
    }
    let (call, cache) = associate_call(ws, app);
    let plan = Plan {
        action: "workspace.associate_application".into(),
        params: params(ws, &app.id, &app.name),
        reason: Some(reason),
        calls: vec![call],
        skipped: Vec::new(),
        cache: vec![(ws.id.clone(), cache)],
    };
    let done = format!(
        "{} associated with {}; it is installed at the next deployment (deploy now below).",
        app.name, ws.id
    );
    Ok((plan, done))
}

/// Plans disassociating `application_id` (named `name`) from `ws`; the cache takes the
/// state AWS answers (004_989ae404788726c9.txt:885-895), PENDING_UNINSTALL_DEPLOYMENT if
/// it answers none. Pure.
pub fn plan_disassociate(
    ws: &Workspace,
    application_id: &str,
    name: &str,
    current: &[AppAssociation],
    reason: &str,
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(reason)?;
    if !has(current, application_id) {
        return Err(invalid(
            "application_id",
            format!(
                "{name} is not associated with {} (or is already being removed)",
                ws.id
            ),
        ));
    }
    let plan = Plan {
        action: "workspace.disassociate_application".into(),
        params: params(ws, application_id, name),
        reason: Some(reason),
        calls: vec![Call {
            account: ws.account.clone(),
            region: ws.region.clone(),
            change: Change::Application(ApplicationChange::Disassociate {
                workspace_id: ws.id.clone(),
                application_id: application_id.to_string(),
            }),
            targets: vec![ws.id.clone()],
        }],
        skipped: Vec::new(),
        cache: vec![(
            ws.id.clone(),
            CacheOp::SetApplication {
                workspace_id: ws.id.clone(),
                application_id: application_id.to_string(),
                account: ws.account.clone(),
                region: ws.region.clone(),
                state: "PENDING_UNINSTALL_DEPLOYMENT".into(),
            },
        )],
    };
    let done = format!(
        "{name} disassociated from {}; it is uninstalled at the next deployment.",
        ws.id
    );
    Ok((plan, done))
}

/// Plans deploying the associated applications of `ws`: something must await a
/// deployment, or with `force` have failed one ("allows previously failed deployments
/// to be retried", 004_989ae404788726c9.txt:549). The cache takes the state AWS answers
/// for each deployed association (:556-571); one it answers nothing for keeps its state.
/// Pure.
pub fn plan_deploy(
    ws: &Workspace,
    current: &[AppAssociation],
    force: bool,
    reason: &str,
) -> Result<(Plan, String), AppError> {
    let reason = changes::reason(reason)?;
    let pending = current.iter().filter(|a| a.awaits_deployment()).count();
    let failed = current.iter().filter(|a| a.failed()).count();
    if pending == 0 && !(force && failed > 0) {
        let why = if failed > 0 {
            "nothing awaits deployment; check Force to retry the failed deployments"
        } else {
            "nothing awaits deployment"
        };
        return Err(invalid("force", why));
    }
    let deployed: Vec<CacheOp> = current
        .iter()
        .filter(|a| a.awaits_deployment() || (force && a.failed()))
        .map(|a| CacheOp::SetApplication {
            workspace_id: ws.id.clone(),
            application_id: a.application_id.clone(),
            account: ws.account.clone(),
            region: ws.region.clone(),
            state: a.state.clone().unwrap_or_default(),
        })
        .collect();
    let plan = Plan::single(
        "workspace.deploy_applications",
        json!({
            "workspace_id": ws.id,
            "region": ws.region,
            "force": force,
            "pending": pending,
            "failed": failed,
        }),
        (&ws.account, &ws.region),
        &ws.id,
        Change::Application(ApplicationChange::Deploy {
            workspace_id: ws.id.clone(),
            force,
        }),
        deployed,
    );
    let plan = Plan {
        reason: Some(reason),
        ..plan
    };
    let retried = if force && failed > 0 {
        format!(", {failed} failed retried")
    } else {
        String::new()
    };
    Ok((
        plan,
        format!(
            "Deployment started on {}: {pending} pending{retried}.",
            ws.id
        ),
    ))
}

/// The associations of a WorkSpace as AWS holds them now, and the WorkSpace.
async fn current(
    pool: &AnyPool,
    clients: &[Arc<dyn WorkspacesApi>],
    workspace_id: &str,
) -> Result<(Workspace, Arc<dyn WorkspacesApi>, Vec<AppAssociation>), AppError> {
    let ws = live_workspace(pool, clients, workspace_id).await?;
    let api = changes::region_api(clients, &ws.account, &ws.region)?;
    let associations = api
        .describe_resource_associations(AssociatedResource::Workspace(ws.id.clone()))
        .await?;
    Ok((ws, api, associations))
}

/// Associates an application with one WorkSpace (admin).
pub async fn associate(
    caller: &Caller,
    workspace_id: &str,
    application_id: &str,
    reason: &str,
) -> Result<String, AppError> {
    caller.require_admin()?;
    let (ws, api, associations) = current(caller.pool(), &caller.workspaces, workspace_id).await?;
    let catalog = catalog(caller.pool(), api.as_ref()).await?;
    let app = catalog
        .iter()
        .find(|a| a.id == application_id)
        .ok_or_else(|| {
            invalid(
                "application_id",
                format!("{application_id} is not in the catalog of {}", ws.region),
            )
        })?;
    let planned = plan_associate(&ws, app, &associations, reason)?;
    caller.execute_single(planned).await
}

/// Disassociates an application from one WorkSpace (admin).
pub async fn disassociate(
    caller: &Caller,
    workspace_id: &str,
    application_id: &str,
    reason: &str,
) -> Result<String, AppError> {
    caller.require_admin()?;
    let (ws, api, associations) = current(caller.pool(), &caller.workspaces, workspace_id).await?;
    let catalog = catalog(caller.pool(), api.as_ref())
        .await
        .unwrap_or_default();
    let name = catalog
        .iter()
        .find(|a| a.id == application_id)
        .map_or(application_id, |a| a.name.as_str());
    let planned = plan_disassociate(&ws, application_id, name, &associations, reason)?;
    caller.execute_single(planned).await
}

/// Deploys the pending applications of one WorkSpace (help desk).
pub async fn deploy(
    caller: &Caller,
    workspace_id: &str,
    force: bool,
    reason: &str,
) -> Result<String, AppError> {
    if caller.user.role < Role::Helpdesk {
        return Err(AppError::Forbidden);
    }
    let (ws, _, associations) = current(caller.pool(), &caller.workspaces, workspace_id).await?;
    let planned = plan_deploy(&ws, &associations, force, reason)?;
    caller.execute_single(planned).await
}

/// The applications of every cached bundle and image, by their id, as the last sync
/// read them (one DescribeApplicationAssociations listing per application covers them
/// all, 004_989ae404788726c9.txt:385): the images page opens without AWS calls.
pub async fn image_and_bundle_applications(
    pool: &AnyPool,
) -> Result<Vec<(String, Vec<NamedAssociation>)>, AppError> {
    let catalog: Vec<Application> = inventory::items(pool, ItemKind::Application).await?;
    let cached: Vec<Vec<AppAssociation>> =
        inventory::items(pool, ItemKind::ResourceApplications).await?;
    Ok(cached
        .into_iter()
        .filter_map(|associations| {
            let id = associations.first()?.resource_id.clone();
            Some((id, named(associations, &catalog)))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TargetStatus, WorkspaceState};

    /// A WorkSpace in eu-west-1 running `os` on `compute`.
    fn workspace(id: &str, os: &str, compute: &str) -> Workspace {
        let mut ws =
            crate::server::actions::tests::workspace(id, WorkspaceState::Available, "AUTO_STOP");
        ws.operating_system = Some(os.into());
        ws.compute_type = Some(compute.into());
        ws
    }

    fn app(id: &str, region: &str, name: &str, systems: &[&str], compute: &[&str]) -> Application {
        Application {
            id: id.into(),
            region: region.into(),
            name: name.into(),
            state: Some("AVAILABLE".into()),
            operating_systems: systems.iter().map(|s| s.to_string()).collect(),
            compute_types: compute.iter().map(|c| c.to_string()).collect(),
            ..Application::default()
        }
    }

    fn visio() -> Application {
        app(
            "wsa-visio-eu",
            "eu-west-1",
            "Visio",
            &["WINDOWS_SERVER_2022"],
            &["STANDARD", "POWER"],
        )
    }

    fn on(ws: &str, app: &str, state: &str) -> AppAssociation {
        AppAssociation {
            application_id: app.into(),
            resource_type: "WORKSPACE".into(),
            resource_id: ws.into(),
            state: Some(state.into()),
            ..AppAssociation::default()
        }
    }

    fn refusal<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
        match result {
            Err(AppError::Validation { message, .. }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn associating_checks_system_compute_type_and_what_the_workspace_has() {
        let ws = workspace("ws-1", "WINDOWS_SERVER_2022", "STANDARD");
        let (plan, _) = plan_associate(&ws, &visio(), &[], " REQ-1 ").expect("plan");
        assert_eq!(plan.action, "workspace.associate_application");
        assert_eq!(plan.reason.as_deref(), Some("REQ-1"));
        assert_eq!(
            plan.calls[0].change,
            Change::Application(ApplicationChange::Associate {
                workspace_id: "ws-1".into(),
                application_id: "wsa-visio-eu".into(),
            })
        );
        assert!(matches!(
            &plan.cache[0].1,
            CacheOp::SetApplication { state, .. } if state == "PENDING_INSTALL_DEPLOYMENT"
        ));
        // 004_989ae404788726c9.txt:158-162: supported compute types and systems.
        let linux = workspace("ws-2", "UBUNTU_22_04", "STANDARD");
        assert!(
            refusal(plan_associate(&linux, &visio(), &[], "REQ-1"))
                .contains("does not support Ubuntu 22.04")
        );
        let kiosk = workspace("ws-3", "WINDOWS_SERVER_2022", "VALUE");
        assert!(refusal(plan_associate(&kiosk, &visio(), &[], "REQ-1")).contains("VALUE"));
        let has = [on("ws-1", "wsa-visio-eu", "COMPLETED")];
        assert!(
            refusal(plan_associate(&ws, &visio(), &has, "REQ-1")).contains("already associated")
        );
        // Being uninstalled: it may be associated again.
        let leaving = [on("ws-1", "wsa-visio-eu", "PENDING_UNINSTALL_DEPLOYMENT")];
        assert!(plan_associate(&ws, &visio(), &leaving, "REQ-1").is_ok());
        let us = Application {
            region: "us-east-1".into(),
            ..visio()
        };
        assert!(refusal(plan_associate(&ws, &us, &[], "REQ-1")).contains("catalog of us-east-1"));
        assert!(plan_associate(&ws, &visio(), &[], "  ").is_err());
    }

    #[test]
    fn disassociating_needs_an_association() {
        let ws = workspace("ws-1", "WINDOWS_SERVER_2022", "STANDARD");
        let has = [on("ws-1", "wsa-visio-eu", "ERROR")];
        let (plan, _) =
            plan_disassociate(&ws, "wsa-visio-eu", "Visio", &has, "REQ-2").expect("plan");
        assert_eq!(plan.action, "workspace.disassociate_application");
        assert!(matches!(
            &plan.cache[0].1,
            CacheOp::SetApplication { state, .. } if state == "PENDING_UNINSTALL_DEPLOYMENT"
        ));
        assert!(
            refusal(plan_disassociate(&ws, "wsa-other", "Other", &has, "REQ-2"))
                .contains("not associated")
        );
    }

    #[test]
    fn deploying_needs_something_pending_or_force_and_a_failure() {
        let ws = workspace("ws-1", "WINDOWS_SERVER_2022", "STANDARD");
        let pending = [
            on("ws-1", "a", "PENDING_INSTALL_DEPLOYMENT"),
            on("ws-1", "b", "COMPLETED"),
        ];
        let (plan, done) = plan_deploy(&ws, &pending, false, "INC-1").expect("plan");
        assert_eq!(
            plan.calls[0].change,
            Change::Application(ApplicationChange::Deploy {
                workspace_id: "ws-1".into(),
                force: false
            })
        );
        assert!(done.contains("1 pending"));
        let failed = [on("ws-1", "a", "ERROR")];
        // 004_989ae404788726c9.txt:549: only force retries failed deployments.
        assert!(refusal(plan_deploy(&ws, &failed, false, "INC-1")).contains("check Force"));
        let (forced, _) = plan_deploy(&ws, &failed, true, "INC-1").expect("forced");
        assert_eq!(forced.params["force"], json!(true));
        let settled = [on("ws-1", "a", "COMPLETED")];
        assert!(refusal(plan_deploy(&ws, &settled, true, "INC-1")).contains("nothing awaits"));
    }

    /// DeployWorkspaceApplications answers the deployed associations
    /// (004_989ae404788726c9.txt:556-571): the plan stores each association it deploys,
    /// with the state AWS answers for it (its current state when AWS answers none).
    #[test]
    fn a_deployment_caches_the_states_of_what_it_deploys() {
        let ws = workspace("ws-1", "WINDOWS_SERVER_2022", "STANDARD");
        let current = [
            on("ws-1", "a", "PENDING_INSTALL_DEPLOYMENT"),
            on("ws-1", "b", "PENDING_UNINSTALL_DEPLOYMENT"),
            on("ws-1", "c", "COMPLETED"),
            on("ws-1", "d", "ERROR"),
        ];
        let cached = |plan: &Plan| -> Vec<(String, String)> {
            plan.cache
                .iter()
                .filter_map(|(target, op)| match op {
                    CacheOp::SetApplication {
                        application_id,
                        state,
                        ..
                    } if target == "ws-1" => Some((application_id.clone(), state.clone())),
                    _ => None,
                })
                .collect()
        };
        let (plan, _) = plan_deploy(&ws, &current, false, "INC-1").expect("plan");
        assert_eq!(
            cached(&plan),
            vec![
                ("a".to_string(), "PENDING_INSTALL_DEPLOYMENT".to_string()),
                ("b".to_string(), "PENDING_UNINSTALL_DEPLOYMENT".to_string()),
            ]
        );
        let (forced, _) = plan_deploy(&ws, &current, true, "INC-1").expect("forced");
        assert_eq!(cached(&forced).len(), 3, "a forced deployment retries d");

        // What AWS answers replaces the state the plan holds.
        let answer = crate::server::aws::ChangeOutcome {
            associations: vec![on("ws-1", "a", "INSTALLING")],
            ..Default::default()
        };
        assert_eq!(answer.association_state("ws-1", "a"), Some("INSTALLING"));
        assert_eq!(answer.association_state("ws-1", "b"), None);
        assert_eq!(answer.association_state("ws-2", "a"), None);
    }

    #[test]
    fn a_bulk_association_skips_what_cannot_take_the_application() {
        let mut gone = workspace("ws-gone", "WINDOWS_SERVER_2022", "STANDARD");
        gone.removed_at = Some("2026-01-01T00:00:00Z".into());
        let mut us = workspace("ws-us", "WINDOWS_SERVER_2022", "POWER");
        us.region = "us-east-1".into();
        let mut tokyo = workspace("ws-tokyo", "WINDOWS_SERVER_2022", "POWER");
        tokyo.region = "ap-northeast-1".into();
        let cached = vec![
            workspace("ws-a", "WINDOWS_SERVER_2022", "STANDARD"),
            workspace("ws-linux", "UBUNTU_22_04", "STANDARD"),
            workspace("ws-kiosk", "WINDOWS_SERVER_2022", "VALUE"),
            workspace("ws-has", "WINDOWS_SERVER_2022", "STANDARD"),
            gone,
            us,
            tokyo,
        ];
        let catalog = vec![
            visio(),
            app(
                "wsa-visio-us",
                "us-east-1",
                "Visio",
                &["WINDOWS_SERVER_2022"],
                &["POWER"],
            ),
        ];
        let associated = vec![(
            "ws-has".to_string(),
            "wsa-visio-eu".to_string(),
            "COMPLETED".to_string(),
        )];
        let ids: Vec<String> = [
            "ws-a",
            "ws-linux",
            "ws-kiosk",
            "ws-has",
            "ws-gone",
            "ws-us",
            "ws-tokyo",
            "ws-unknown",
            "ws-a",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let plan =
            plan_bulk(&ids, &cached, &associated, &catalog, &visio(), "CHG-9").expect("plan");
        let called: Vec<(&str, &Change)> = plan
            .calls
            .iter()
            .map(|c| (c.targets[0].as_str(), &c.change))
            .collect();
        assert_eq!(called.len(), 2, "{called:?}");
        assert_eq!(called[0].0, "ws-a");
        // The us-east-1 WorkSpace gets that Region's Visio (same name, its own id).
        assert_eq!(
            called[1].1,
            &Change::Application(ApplicationChange::Associate {
                workspace_id: "ws-us".into(),
                application_id: "wsa-visio-us".into(),
            })
        );
        let why = |id: &str| {
            plan.skipped
                .iter()
                .find(|s| s.target == id)
                .and_then(|s| s.error_message.clone())
                .unwrap_or_else(|| panic!("{id} not skipped"))
        };
        assert!(
            plan.skipped
                .iter()
                .all(|s| s.outcome == TargetStatus::Skipped)
        );
        assert!(why("ws-linux").contains("does not support Ubuntu 22.04"));
        assert!(why("ws-kiosk").contains("VALUE compute type"));
        assert!(why("ws-has").contains("already has Visio"));
        assert!(why("ws-gone").contains("gone"));
        assert!(why("ws-tokyo").contains("not in the catalog of ap-northeast-1"));
        assert!(why("ws-unknown").contains("not in the inventory"));
        assert!(plan_bulk(&[], &cached, &associated, &catalog, &visio(), "CHG-9").is_err());
    }

    #[test]
    fn catalog_filters_take_the_reference_values_only() {
        let mut filter = ApplicationFilter {
            compute: vec!["POWER".into()],
            os: vec!["WINDOWS_11".into()],
            license: "LICENSED".into(),
            owner: "Amazon".into(),
        };
        assert!(check_filter(&filter).is_ok());
        filter.compute = vec!["HUGE".into()];
        assert!(check_filter(&filter).is_err());
        filter.compute.clear();
        filter.license = "FREE".into();
        assert!(check_filter(&filter).is_err());
    }
}
