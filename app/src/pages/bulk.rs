//! The bulk confirmation page (`/bulk?action=…&ids=…`): lists what the chosen action
//! will do to each checked WorkSpace (or why it will be skipped), asks for the reason and,
//! where data is destroyed, the typed confirmation, then runs it and shows the results.
//! `action=tags` asks for tags to set and keys to remove instead; `action=application`
//! for the application to associate (`app=`), then shows which WorkSpaces it cannot go
//! on and why.
//!
//! A review is sent once: its form carries a one-time token (`server::form_token`), its
//! button is locked while the change is on its way (with JavaScript), and once sent the
//! page comes back with `done=<audit entry>` and shows what was done instead of the armed
//! review.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::actions::RunAction;
use crate::api::applications::{BulkAssociate, review_bulk_application};
use crate::api::fleet::get_selection;
use crate::api::tags::BulkTags;
use crate::components::actions::{
    ConfirmFields, PropertyFields, TargetFields, connected_note, standby_note,
};
use crate::components::loaded::Loaded;
use crate::components::sent_report::ChangeOutcome;
use crate::components::state_badge::StateBadge;
use crate::error::AppError;
use crate::islands::selection::ForgetSelection;
use crate::islands::send_once::SendOnce;
use crate::model::{
    ActionKind, BulkApplicationReview, BulkSelection, mode_switch_refusal, operating_system_label,
};

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
    // A review refused by the server (a wrong confirmation word, …) comes back with it.
    let error = refused(run.value().get_untracked())
        .or_else(|| refused(tag.value().get_untracked()))
        .or_else(|| refused(associate.value().get_untracked()));
    let chosen = move || params.with(|p| p.get("app").unwrap_or_default());
    // A running-mode switch proposed by cost insight (`/cost`): the one property set.
    let running_mode = move || {
        params
            .with(|p| p.get("running_mode"))
            .filter(|mode| ["ALWAYS_ON", "AUTO_STOP", "MANUAL"].contains(&mode.as_str()))
    };
    // Made for every review (resources belong at the top of the page, see
    // `ApplicationsCardData`), but read from the server only for an application review.
    let review = Resource::new(
        move || (ids(), chosen(), action() == APPLICATION),
        |(ids, app, wanted)| async move {
            if wanted {
                review_bulk_application(ids, app).await
            } else {
                Ok(BulkApplicationReview::default())
            }
        },
    );
    view! {
        <Title text="Confirm bulk action"/>
        <p class="breadcrumb"><a href="/">"Fleet"</a> " / bulk action"</p>
        <ChangeOutcome error/>
        {move || match kind() {
            None if action() == TAGS => view! {
                <Loaded resource=selection render=move |selection| view! { <ConfirmTags selection tag/> }/>
            }.into_any(),
            None if action() == APPLICATION => view! {
                <Loaded resource=review render=move |review| view! { <ConfirmApplication review associate/> }/>
            }.into_any(),
            None => view! { <div class="empty"><p>"Choose an action on the fleet page."</p></div> }.into_any(),
            Some(kind) => view! {
                <Loaded resource=selection render=move |selection| view! { <Confirm kind selection run running_mode=running_mode()/> }/>
            }.into_any(),
        }}
    }
}

/// Shows the review (`children`), sent once (see [`SendOnce`]), until the page comes
/// back from sending it with `done=<audit entry id>`: then only the page's report of
/// what was done to each WorkSpace, nothing left to press, and the fleet's selection is
/// forgotten.
#[component]
fn SentOnce(children: Children) -> impl IntoView {
    let done = use_query_map()
        .with_untracked(|p| p.get("done"))
        .and_then(|done| done.parse::<i64>().ok());
    match done {
        // The page shows the report above (`DoneReport`).
        Some(_) => view! { <ForgetSelection/> }.into_any(),
        None => view! { <SendOnce>{children()}</SendOnce> }.into_any(),
    }
}

/// The review of an action on the checked WorkSpaces. A property change (`modify`) asks
/// for the properties, unless `running_mode` names the one to set (a switch from `/cost`).
#[component]
fn Confirm(
    kind: ActionKind,
    selection: BulkSelection,
    run: ServerAction<RunAction>,
    running_mode: Option<String>,
) -> impl IntoView {
    let BulkSelection {
        workspaces,
        form_token,
    } = selection;
    if workspaces.is_empty() {
        return nothing_checked().into_any();
    }
    let switch_to = running_mode.filter(|_| kind == ActionKind::Modify);
    let label = match &switch_to {
        Some(mode) => format!("Switch to {mode}"),
        None => kind.label().to_string(),
    };
    let refusal = {
        let switch_to = switch_to.clone();
        move |ws: &crate::model::Workspace| {
            kind.refusal(&ws.state, ws.running_mode.as_deref())
                .or_else(|| {
                    switch_to
                        .as_deref()
                        .and_then(|mode| mode_switch_refusal(ws.running_mode.as_deref(), mode))
                })
        }
    };
    let eligible = workspaces.iter().filter(|ws| refusal(ws).is_none()).count();
    let ids: Vec<String> = workspaces.iter().map(|ws| ws.id.clone()).collect();
    let total = workspaces.len();
    let review = move || {
        let workspaces = workspaces.clone();
        let (ids, form_token) = (ids.clone(), form_token.clone());
        let (label, switch_to, refusal) = (label.clone(), switch_to.clone(), refusal.clone());
        let effect = match &switch_to {
            Some(mode) => format!(
                "sets the running mode to {mode} with ModifyWorkspaceProperties; AWS bills the new mode from the change on"
            ),
            None => kind.effect().to_string(),
        };
        view! {
        <div class="page-head"><h1>{format!("{label}: {} of {}", eligible, crate::model::workspaces_count(total))}</h1></div>
        <p class="confirm-text">{label.clone()} " " {effect} "."</p>
        {kind.snapshot_kind().map(|snapshot_kind| view! {
            <p class="confirm-text snapshot-note">{format!("Each WorkSpace goes back to its own last snapshot of the {}; its detail page shows when that was taken.", crate::model::Snapshot::contents(snapshot_kind))}</p>
        })}
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th>"User"</th><th>"WorkSpace"</th><th>"State"</th><th>"What happens"</th></tr></thead>
                <tbody>
                    {workspaces.into_iter().map(|ws| {
                        let plan = match (refusal(&ws), &switch_to) {
                            (None, Some(mode)) => format!("{} → {mode}", ws.running_mode.as_deref().unwrap_or("unknown mode")),
                            (None, None) => format!("will {}", kind.label().to_lowercase()),
                            (Some(reason), _) => format!("skipped: {reason}"),
                        };
                        // Only for WorkSpaces the action goes to.
                        let connected = refusal(&ws)
                            .is_none()
                            .then(|| connected_note(kind, ws.connection_state.as_deref()))
                            .flatten()
                            .map(|note| view! { <div class="small warning-text">{note}</div> });
                        let standby = standby_note(kind, ws.standby_role)
                            .map(|note| view! { <div class="small warning-text">{note}</div> });
                        view! {
                            <tr>
                                <td class="strong">{ws.user_name}</td>
                                <td class="mono">{ws.id}</td>
                                <td><StateBadge state=ws.state/></td>
                                <td>{plan}{connected}{standby}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {if eligible == 0 {
            view! {
                <div class="notice">{format!("Nothing to {}: no checked WorkSpace is in a state that allows it. ", label.to_lowercase())} {kind.alternative_hint()} " " <a href="/">"Back to the fleet"</a></div>
            }.into_any()
        } else {
            view! {
                <section class="card bulk-confirm">
                    <ActionForm action=run attr:class="stack">
                        <TargetFields kind ids form_token/>
                        {match switch_to {
                            Some(mode) => view! { <input type="hidden" name="running_mode" value=mode/> }.into_any(),
                            None if kind == ActionKind::Modify => view! { <PropertyFields/> }.into_any(),
                            None => ().into_any(),
                        }}
                        <ConfirmFields kind label=label.clone()/>
                    </ActionForm>
                </section>
            }.into_any()
        }}
        }
    };
    view! { <SentOnce>{review()}</SentOnce> }.into_any()
}

/// The error a server action holds, if its last call was refused.
fn refused<T>(value: Option<Result<T, AppError>>) -> Option<AppError> {
    value?.err()
}

fn nothing_checked() -> impl IntoView {
    view! { <div class="empty"><p>"No WorkSpace was checked: check some on the fleet page first. "<a href="/">"Back to the fleet"</a></p></div> }
}

/// The bulk action value of a tag edit (not an [`ActionKind`]: it takes tags, not states).
pub const TAGS: &str = "tags";

/// The review of a bulk tag edit: the checked WorkSpaces, the tags to set and the keys to
/// remove, the reason; then the per-WorkSpace results.
#[component]
fn ConfirmTags(selection: BulkSelection, tag: ServerAction<BulkTags>) -> impl IntoView {
    let BulkSelection {
        workspaces,
        form_token,
    } = selection;
    if workspaces.is_empty() {
        return nothing_checked().into_any();
    }
    let count = workspaces.len();
    let review = move || {
        let workspaces = workspaces.clone();
        let form_token = form_token.clone();
        view! {
        <div class="page-head"><h1>{format!("Edit tags: {}", crate::model::workspaces_count(count))}</h1></div>
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
                <input type="hidden" name="form_token" value=form_token/>
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
        }
    };
    view! { <SentOnce>{review()}</SentOnce> }.into_any()
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
        form_token,
    } = review;
    if rows.is_empty() {
        return nothing_checked().into_any();
    }
    let count = rows.len();
    let chosen_id = chosen.as_ref().map(|a| a.id.clone()).unwrap_or_default();
    let checked: Vec<String> = rows.iter().map(|(ws, _)| ws.id.clone()).collect();
    let chooser = move || {
        view! {
            <form method="get" action="/bulk" class="card stack">
                <input type="hidden" name="action" value=APPLICATION/>
                {checked.iter().map(|id| view! { <input type="hidden" name="ids" value=id.clone()/> }).collect_view()}
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
        }
    };
    let Some(app) = chosen else {
        return view! {
            <div class="page-head"><h1>{format!("Associate an application: {count} WorkSpaces")}</h1></div>
            {chooser()}
        }.into_any();
    };
    let eligible = rows.iter().filter(|(_, skip)| skip.is_none()).count();
    let ids: Vec<String> = rows.iter().map(|(ws, _)| ws.id.clone()).collect();
    let title = format!("Associate {}: {eligible} of {count} WorkSpaces", app.name);
    let review = move || {
        let (rows, ids, app, form_token) =
            (rows.clone(), ids.clone(), app.clone(), form_token.clone());
        view! {
        <div class="page-head"><h1>{title.clone()}</h1></div>
        {chooser()}
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
                <input type="hidden" name="form_token" value=form_token/>
                <label>
                    <span>"Reason or ticket"</span>
                    <input type="text" name="reason" required placeholder="CHG-1234: Visio for the design team"/>
                </label>
                <button type="submit" disabled=eligible == 0>{format!("Associate {} with {eligible} WorkSpace{}", app.name, if eligible == 1 { "" } else { "s" })}</button>
            </ActionForm>
        </section>
        }
    };
    view! { <SentOnce>{review()}</SentOnce> }.into_any()
}
