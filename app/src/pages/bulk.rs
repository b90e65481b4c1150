//! The bulk confirmation page (`/bulk?action=…&ids=…`): lists what the chosen action
//! will do to each checked WorkSpace (or why it will be skipped), asks for the reason and,
//! where data is destroyed, the typed confirmation, then runs it and shows the results.
//! `action=tags` asks for tags to set and keys to remove instead; `action=application`
//! for the application to associate (`app=`), then shows which WorkSpaces it cannot go
//! on and why.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::actions::RunAction;
use crate::api::applications::{BulkAssociate, review_bulk_application};
use crate::api::fleet::get_selection;
use crate::api::tags::BulkTags;
use crate::components::actions::{
    ActionResults, ConfirmFields, ReportView, TargetFields, standby_note,
};
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::components::state_badge::StateBadge;
use crate::model::{ActionKind, BulkApplicationReview, Workspace, operating_system_label};

#[component]
pub fn BulkPage() -> impl IntoView {
    let params = use_query_map();
    let action = move || params.with(|p| p.get("action").unwrap_or_default());
    let kind = move || ActionKind::parse(&action());
    let ids = move || params.with(|p| p.get_all("ids").unwrap_or_default());
    let selection = Resource::new(ids, get_selection);
    let run = ServerAction::<RunAction>::new();
    let tag = ServerAction::<BulkTags>::new();
    let associate = ServerAction::<BulkAssociate>::new();
    let chosen = move || params.with(|p| p.get("app").unwrap_or_default());
    let review = Resource::new(
        move || (ids(), chosen()),
        |(ids, app)| review_bulk_application(ids, app),
    );
    view! {
        <Title text="Confirm bulk action"/>
        <p class="breadcrumb"><a href="/">"Fleet"</a> " / bulk action"</p>
        {move || match kind() {
            None if action() == TAGS => view! {
                <Loaded resource=selection render=move |workspaces| view! { <ConfirmTags workspaces tag/> }/>
            }.into_any(),
            None if action() == APPLICATION => view! {
                <Loaded resource=review render=move |review| view! { <ConfirmApplication review associate/> }/>
            }.into_any(),
            None => view! { <div class="empty"><p>"Choose an action on the fleet page."</p></div> }.into_any(),
            Some(kind) => view! {
                <Loaded resource=selection render=move |workspaces| view! { <Confirm kind workspaces run/> }/>
            }.into_any(),
        }}
    }
}

#[component]
fn Confirm(
    kind: ActionKind,
    workspaces: Vec<Workspace>,
    run: ServerAction<RunAction>,
) -> impl IntoView {
    if workspaces.is_empty() {
        return view! { <div class="empty"><p>"No WorkSpace was checked. "<a href="/">"Back to the fleet"</a></p></div> }.into_any();
    }
    let eligible = workspaces
        .iter()
        .filter(|ws| {
            kind.refusal(&ws.state, ws.running_mode.as_deref())
                .is_none()
        })
        .count();
    let ids: Vec<String> = workspaces.iter().map(|ws| ws.id.clone()).collect();
    view! {
        <div class="page-head"><h1>{format!("{}: {} of {} WorkSpaces", kind.label(), eligible, workspaces.len())}</h1></div>
        <p class="confirm-text">{kind.label()} " " {kind.effect()} "."</p>
        {kind.snapshot_kind().map(|snapshot_kind| view! {
            <p class="confirm-text snapshot-note">{format!("Each WorkSpace goes back to its own last snapshot of the {}; its detail page shows when that was taken.", crate::model::Snapshot::contents(snapshot_kind))}</p>
        })}
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"User"</th><th>"WorkSpace"</th><th>"State"</th><th>"What happens"</th></tr></thead>
                <tbody>
                    {workspaces.into_iter().map(|ws| {
                        let plan = match kind.refusal(&ws.state, ws.running_mode.as_deref()) {
                            None => format!("will {}", kind.label().to_lowercase()),
                            Some(reason) => format!("skipped: {reason}"),
                        };
                        let standby = standby_note(kind, ws.standby_role)
                            .map(|note| view! { <div class="small warning-text">{note}</div> });
                        view! {
                            <tr>
                                <td class="strong">{ws.user_name}</td>
                                <td class="mono">{ws.id}</td>
                                <td><StateBadge state=ws.state/></td>
                                <td>{plan}{standby}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <section class="card bulk-confirm">
            <ActionForm action=run attr:class="stack">
                <TargetFields kind ids/>
                <ConfirmFields kind/>
            </ActionForm>
        </section>
        <ActionResults action=run/>
    }.into_any()
}

/// The bulk action value of a tag edit (not an [`ActionKind`]: it takes tags, not states).
pub const TAGS: &str = "tags";

/// The review of a bulk tag edit: the checked WorkSpaces, the tags to set and the keys to
/// remove, the reason; then the per-WorkSpace results.
#[component]
fn ConfirmTags(workspaces: Vec<Workspace>, tag: ServerAction<BulkTags>) -> impl IntoView {
    if workspaces.is_empty() {
        return view! { <div class="empty"><p>"No WorkSpace was checked. "<a href="/">"Back to the fleet"</a></p></div> }.into_any();
    }
    let count = workspaces.len();
    view! {
        <div class="page-head"><h1>{format!("Edit tags: {count} WorkSpaces")}</h1></div>
        <p class="confirm-text">"Tags to set are added to each WorkSpace, or overwrite the value of a key it has; keys to remove are deleted. Other tags stay as they are."</p>
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"User"</th><th>"WorkSpace"</th><th>"State"</th><th>"Region"</th></tr></thead>
                <tbody>
                    {workspaces.iter().map(|ws| view! {
                        <tr>
                            <td class="strong">{ws.user_name.clone()}</td>
                            <td class="mono"><a href=format!("/tags/{}", ws.id)>{ws.id.clone()}</a></td>
                            <td><StateBadge state=ws.state.clone()/></td>
                            <td>{ws.region.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <section class="card bulk-confirm">
            <ActionForm action=tag attr:class="stack">
                {workspaces.into_iter().enumerate().map(|(i, ws)| view! { <input type="hidden" name=format!("ids[{i}]") value=ws.id/> }).collect_view()}
                <label>
                    <span>"Tags to set, one Key=Value per line"</span>
                    <textarea name="set" rows="4" class="mono" placeholder="CostCenter=1234"></textarea>
                </label>
                <label>
                    <span>"Tag keys to remove, one per line"</span>
                    <textarea name="remove" rows="2" class="mono" placeholder="Temporary"></textarea>
                </label>
                <label>
                    <span>"Reason or ticket"</span>
                    <input type="text" name="reason" required placeholder="CHG-1234: cost allocation"/>
                </label>
                <button type="submit">{format!("Edit tags of {count} WorkSpaces")}</button>
            </ActionForm>
        </section>
        {move || tag.value().get().map(|result| match result {
            Ok(report) => view! { <ReportView report/> }.into_any(),
            Err(error) => view! { <ErrorBox error/> }.into_any(),
        })}
    }.into_any()
}

/// The bulk action value of an application association.
pub const APPLICATION: &str = "application";

/// The review of a bulk application association: first the application (a GET form, so
/// the choice works without JavaScript), then what happens to each checked WorkSpace (or
/// why it is skipped: its system or compute type), the reason, and the results.
#[component]
fn ConfirmApplication(
    review: BulkApplicationReview,
    associate: ServerAction<BulkAssociate>,
) -> impl IntoView {
    let BulkApplicationReview {
        catalog,
        chosen,
        rows,
    } = review;
    if rows.is_empty() {
        return view! { <div class="empty"><p>"No WorkSpace was checked. "<a href="/">"Back to the fleet"</a></p></div> }.into_any();
    }
    let count = rows.len();
    let chosen_id = chosen.as_ref().map(|a| a.id.clone()).unwrap_or_default();
    let chooser = view! {
        <form method="get" action="/bulk" class="card stack">
            <input type="hidden" name="action" value=APPLICATION/>
            {rows.iter().map(|(ws, _)| view! { <input type="hidden" name="ids" value=ws.id.clone()/> }).collect_view()}
            <label>
                <span>"Application to associate"</span>
                <select name="app" required>
                    {catalog.iter().map(|a| {
                        let selected = a.id == chosen_id;
                        view! { <option value=a.id.clone() selected=selected>{format!("{} ({})", a.name, a.region)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {catalog.is_empty().then(|| view! { <p class="muted">"The application catalog is not loaded yet: wait for the sync."</p> })}
            <button type="submit" class="button-secondary">"Review"</button>
        </form>
    };
    let Some(app) = chosen else {
        return view! {
            <div class="page-head"><h1>{format!("Associate an application: {count} WorkSpaces")}</h1></div>
            {chooser}
        }.into_any();
    };
    let eligible = rows.iter().filter(|(_, skip)| skip.is_none()).count();
    let ids: Vec<String> = rows.iter().map(|(ws, _)| ws.id.clone()).collect();
    view! {
        <div class="page-head"><h1>{format!("Associate {}: {eligible} of {count} WorkSpaces", app.name)}</h1></div>
        {chooser}
        <p class="confirm-text">{format!("{} is installed on each WorkSpace at its next deployment. WorkSpaces whose operating system or compute type it does not support are skipped, as are those that already have it.", app.name)}</p>
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"User"</th><th>"WorkSpace"</th><th>"Operating system"</th><th>"Compute"</th><th>"What happens"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(ws, skip)| {
                        let plan = match skip {
                            None => "will be associated".to_string(),
                            Some(why) => format!("skipped: {why}"),
                        };
                        view! {
                            <tr>
                                <td class="strong">{ws.user_name.clone()}</td>
                                <td class="mono"><a href=format!("/workspaces/{}", ws.id)>{ws.id.clone()}</a></td>
                                <td>{ws.operating_system.as_deref().map(operating_system_label)}</td>
                                <td>{ws.compute_type.clone()}</td>
                                <td>{plan}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <section class="card bulk-confirm">
            <ActionForm action=associate attr:class="stack">
                {ids.into_iter().enumerate().map(|(i, id)| view! { <input type="hidden" name=format!("ids[{i}]") value=id/> }).collect_view()}
                <input type="hidden" name="application_id" value=app.id.clone()/>
                <label>
                    <span>"Reason or ticket"</span>
                    <input type="text" name="reason" required placeholder="CHG-1234: Visio for the design team"/>
                </label>
                <button type="submit">{format!("Associate {} with {eligible} WorkSpace{}", app.name, if eligible == 1 { "" } else { "s" })}</button>
            </ActionForm>
        </section>
        {move || associate.value().get().map(|result| match result {
            Ok(report) => view! { <ReportView report/> }.into_any(),
            Err(error) => view! { <ErrorBox error/> }.into_any(),
        })}
    }.into_any()
}
