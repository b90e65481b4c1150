//! The bulk confirmation page (`/bulk?action=…&ids=…`): lists what the chosen action
//! will do to each checked WorkSpace (or why it will be skipped), asks for the reason and,
//! where data is destroyed, the typed confirmation, then runs it and shows the results.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::actions::RunAction;
use crate::api::fleet::get_selection;
use crate::components::actions::{ActionResults, ConfirmFields, TargetFields};
use crate::components::loaded::Loaded;
use crate::components::state_badge::StateBadge;
use crate::model::{ActionKind, Workspace};

#[component]
pub fn BulkPage() -> impl IntoView {
    let params = use_query_map();
    let kind = move || params.with(|p| p.get("action").and_then(|a| ActionKind::parse(&a)));
    let ids = move || params.with(|p| p.get_all("ids").unwrap_or_default());
    let selection = Resource::new(ids, get_selection);
    let run = ServerAction::<RunAction>::new();
    view! {
        <Title text="Confirm bulk action"/>
        <p class="breadcrumb"><a href="/">"Fleet"</a> " / bulk action"</p>
        {move || match kind() {
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
                        view! {
                            <tr>
                                <td class="strong">{ws.user_name}</td>
                                <td class="mono">{ws.id}</td>
                                <td><StateBadge state=ws.state/></td>
                                <td>{plan}</td>
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
