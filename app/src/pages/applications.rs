//! The applications page (`/applications`): each configured Region's application
//! catalog, filtered as DescribeApplications allows (compute types, licence, operating
//! systems, owner; GET parameters, so the filters work without JavaScript), and for the
//! chosen application (`?app=`) its associations with WorkSpaces, bundles and images.
//! Also the applications card of the WorkSpace page, and the badge and list both use.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::applications::{
    AssociateApplication, DeployApplications, DisassociateApplication, get_applications,
    get_workspace_applications,
};
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::components::sync_bar::short_time;
use crate::model::{
    AppAssociation, Application, ApplicationDetail, ApplicationFilter, ApplicationsQuery,
    COMPUTE_TYPE_NAMES, NamedAssociation, OPERATING_SYSTEM_NAMES, RegionApplications,
    WorkspaceApplications, encode_query_value, operating_system_label,
};

/// An association state, coloured by what it means: installed, on its way, failed.
#[component]
pub fn AssociationBadge(state: Option<String>) -> impl IntoView {
    let state = state.unwrap_or_else(|| "UNKNOWN".into());
    let tone = match state.as_str() {
        "COMPLETED" => "ok",
        "ERROR" => "bad",
        "REMOVED" => "off",
        _ => "busy",
    };
    view! { <span class=format!("badge badge-{tone}")>{state}</span> }
}

/// Why a deployment failed (StateReason), or nothing.
fn reason(association: &AppAssociation) -> Option<impl IntoView + use<>> {
    let code = association.error_code.clone()?;
    let message = association.error_message.clone();
    Some(view! {
        <div class="small error-text"><span class="mono">{code}</span>{message.map(|m| format!(": {m}"))}</div>
    })
}

/// A bundle's or image's applications, folded so the images page stays readable.
#[component]
pub fn AssociationList(associations: Vec<NamedAssociation>) -> impl IntoView {
    (!associations.is_empty()).then(|| {
        let count = associations.len();
        view! {
            <details class="small app-list">
                <summary>{format!("{count} application{}", if count == 1 { "" } else { "s" })}</summary>
                <ul>
                    {associations.into_iter().map(|a| view! {
                        <li>{a.name.clone()} " " <AssociationBadge state=a.association.state.clone()/> {reason(&a.association)}</li>
                    }).collect_view()}
                </ul>
            </details>
        }
    })
}

/// The filters and chosen application from the URL.
fn query_from_url() -> Memo<ApplicationsQuery> {
    let params = use_query_map();
    Memo::new(move |_| {
        params.with(|p| {
            let text = |key: &str| p.get(key).map(|v| v.trim().to_string()).unwrap_or_default();
            let list = |key: &str| {
                p.get_all(key)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
            };
            ApplicationsQuery {
                filter: ApplicationFilter {
                    compute: list("compute"),
                    license: text("license"),
                    os: list("os"),
                    owner: text("owner"),
                },
                app: text("app"),
            }
        })
    })
}

/// The URL of the page with `filter` and the application `app` chosen.
fn href(filter: &ApplicationFilter, app: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    pairs.extend(filter.compute.iter().map(|c| ("compute", c.as_str())));
    pairs.extend(filter.os.iter().map(|o| ("os", o.as_str())));
    if !filter.license.is_empty() {
        pairs.push(("license", &filter.license));
    }
    if !filter.owner.is_empty() {
        pairs.push(("owner", &filter.owner));
    }
    if !app.is_empty() {
        pairs.push(("app", app));
    }
    let query: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect();
    format!("/applications?{}", query.join("&"))
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let query = query_from_url();
    let view_data = Resource::new(move || query.get(), get_applications);
    view! {
        <Title text="Applications"/>
        <div class="page-head"><h1>"Applications"</h1></div>
        <p class="muted small">"The applications AWS installs on WorkSpaces (Microsoft Office and others), per Region. Associate one with a WorkSpace on its page, or with several from the fleet's bulk actions; it is installed at the next deployment."</p>
        {move || view! { <FilterForm filter=query.get().filter/> }}
        <Loaded resource=view_data render=move |data: crate::model::ApplicationsView| {
            let filter = query.get_untracked().filter;
            view! {
                {data.selected.map(|detail| view! { <Associations detail filter=filter.clone()/> })}
                {data.regions.into_iter().map(|region| view! { <Catalog region filter=filter.clone() chosen=query.get_untracked().app/> }).collect_view()}
            }
        }/>
    }
}

/// The catalog filters as a GET form.
#[component]
fn FilterForm(filter: ApplicationFilter) -> impl IntoView {
    let options = |all: &[&str], chosen: &[String], label: fn(&str) -> String| {
        all.iter()
            .map(|value| {
                let selected = chosen.iter().any(|c| c == value);
                view! { <option value=value.to_string() selected=selected>{label(value)}</option> }
            })
            .collect_view()
    };
    view! {
        <form method="get" action="/applications" class="filters card">
            <div class="filter-row">
                <label class="filter"><span>"Compute types (any of)"</span>
                    <select name="compute" multiple size="4">{options(&COMPUTE_TYPE_NAMES, &filter.compute, str::to_string)}</select>
                </label>
                <label class="filter"><span>"Operating systems (any of)"</span>
                    <select name="os" multiple size="4">{options(&OPERATING_SYSTEM_NAMES, &filter.os, operating_system_label)}</select>
                </label>
                <label class="filter"><span>"Licence"</span>
                    <select name="license">
                        <option value="" selected=filter.license.is_empty()>"Any"</option>
                        <option value="LICENSED" selected=filter.license == "LICENSED">"Licensed by AWS"</option>
                        <option value="UNLICENSED" selected=filter.license == "UNLICENSED">"Bring your own licence"</option>
                    </select>
                </label>
                <label class="filter"><span>"Owner"</span>
                    <input type="text" name="owner" value=filter.owner.clone() placeholder="Amazon"/>
                </label>
                <button type="submit">"Filter"</button>
                <a class="button-secondary" href="/applications">"Clear"</a>
            </div>
        </form>
    }
}

/// One Region's catalog.
#[component]
fn Catalog(region: RegionApplications, filter: ApplicationFilter, chosen: String) -> impl IntoView {
    let count = region.applications.len();
    view! {
        <section class="card" data-region=region.region.clone()>
            <h2>{crate::model::place_name(&region.account, &region.region)} <span class="muted small">{format!(" {count} applications")}</span></h2>
            {region.error.map(|error| view! { <p class="error-text">"The catalog could not be read: " {error}</p> })}
            {(count == 0).then(|| view! { <p class="muted">"No application matches the filters."</p> })}
            {(count > 0).then(|| view! {
                <div class="table-wrap">
                    <table class="data wrap">
                        <thead><tr><th>"Application"</th><th>"Licence"</th><th>"Owner"</th><th>"State"</th><th>"Operating systems"</th><th>"Compute types"</th></tr></thead>
                        <tbody>
                            {region.applications.into_iter().map(|app| {
                                let link = href(&filter, &app.id);
                                let current = app.id == chosen;
                                view! {
                                    <tr class:selected=current>
                                        <td>
                                            <a class="strong" href=link>{app.name.clone()}</a>
                                            <div class="small muted">{app.description.clone()}</div>
                                            <div class="small mono muted">{app.id.clone()}</div>
                                        </td>
                                        <td>{app.license_type.clone()}</td>
                                        <td>{app.owner.clone()}</td>
                                        <td>{app.state.clone()}</td>
                                        <td class="small">{app.operating_systems.iter().map(|o| operating_system_label(o)).collect::<Vec<_>>().join(", ")}</td>
                                        <td class="small">{app.compute_types.join(", ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// The chosen application's associations with WorkSpaces, bundles and images.
#[component]
fn Associations(detail: ApplicationDetail, filter: ApplicationFilter) -> impl IntoView {
    let app: Application = detail.application;
    let users = detail.workspace_users;
    let fleet = format!("/?app={}", encode_query_value(&app.id));
    view! {
        <section class="card" id="associations">
            <h2>{format!("{} in {}", app.name, app.region)}</h2>
            <p class="small">
                <a href=fleet>"WorkSpaces with it on the fleet page"</a>
                " · "
                <a href=href(&filter, "")>"Close"</a>
            </p>
            {detail.error.map(|error| view! { <p class="error-text">"The associations could not be read: " {error}</p> })}
            {if detail.associations.is_empty() {
                view! { <p class="muted">"Not associated with any WorkSpace, bundle or image."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data wrap">
                            <thead><tr><th>"Type"</th><th>"Resource"</th><th>"State"</th><th>"Reason"</th><th>"Updated"</th></tr></thead>
                            <tbody>
                                {detail.associations.into_iter().map(|a| {
                                    let resource = match a.resource_type.as_str() {
                                        "WORKSPACE" => {
                                            let user = users.iter().find(|(id, _)| *id == a.resource_id).map(|(_, u)| u.clone());
                                            view! { <a class="mono" href=format!("/workspaces/{}", a.resource_id)>{a.resource_id.clone()}</a> " " <span class="muted">{user}</span> }.into_any()
                                        }
                                        _ => view! { <a class="mono" href="/images">{a.resource_id.clone()}</a> }.into_any(),
                                    };
                                    view! {
                                        <tr>
                                            <td>{a.resource_type.clone()}</td>
                                            <td>{resource}</td>
                                            <td><AssociationBadge state=a.state.clone()/></td>
                                            <td>{reason(&a)}</td>
                                            <td class="nowrap">{a.updated.as_deref().map(short_time)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// What the WorkSpace page's applications card reads and does: the live associations
/// and the three actions that change them.
///
/// The page makes this itself, never the card: a resource made inside the page's loaded
/// content exists only once the server has the WorkSpace, and then may be missing from
/// the data the server sends with the page. The browser, hydrating, had no value for it,
/// rendered "Loading…" where the server had rendered the card, and hydration panicked
/// (issue 27: about one load in three left the page dead; the pattern of
/// leptos-rs/leptos#3398, a resource made by a component that renders after another
/// resource resolved).
#[derive(Clone, Copy)]
pub struct ApplicationsCardData {
    card: Resource<Result<WorkspaceApplications, crate::error::AppError>>,
    associate: ServerAction<AssociateApplication>,
    disassociate: ServerAction<DisassociateApplication>,
    deploy: ServerAction<DeployApplications>,
}

impl ApplicationsCardData {
    /// The card's data for the WorkSpace `id()` names.
    pub fn new(id: impl Fn() -> String + Send + Sync + 'static) -> Self {
        let associate = ServerAction::<AssociateApplication>::new();
        let disassociate = ServerAction::<DisassociateApplication>::new();
        let deploy = ServerAction::<DeployApplications>::new();
        let card = Resource::new(
            move || {
                (
                    id(),
                    associate.version().get(),
                    disassociate.version().get(),
                    deploy.version().get(),
                )
            },
            |(id, ..)| get_workspace_applications(id),
        );
        ApplicationsCardData {
            card,
            associate,
            disassociate,
            deploy,
        }
    }
}

/// The WorkSpace page's applications card: associations read live with their state and
/// deployment error; deploy for the help desk, associate and disassociate for admins.
#[component]
pub fn ApplicationsCard(data: ApplicationsCardData) -> impl IntoView {
    let ApplicationsCardData {
        card,
        associate,
        disassociate,
        deploy,
    } = data;
    // A sent change is reported at the top of the page (`ChangeOutcome`).
    let error = deploy
        .value()
        .get_untracked()
        .or_else(|| associate.value().get_untracked())
        .or_else(|| disassociate.value().get_untracked())
        .and_then(Result::err);
    view! {
        <section class="card span-all" id="applications">
            <h2>"Applications"</h2>
            {error.map(|error| view! { <ErrorBox error/> })}
            <Loaded resource=card render=move |card| view! { <CardBody card associate disassociate deploy/> }/>
        </section>
    }
}

#[component]
fn CardBody(
    card: WorkspaceApplications,
    associate: ServerAction<AssociateApplication>,
    disassociate: ServerAction<DisassociateApplication>,
    deploy: ServerAction<DeployApplications>,
) -> impl IntoView {
    let (has_pending, has_failed) = (card.has_pending(), card.has_failed());
    let id = card.workspace_id.clone();
    let can_manage = card.can_manage;
    let list = match (&card.error, card.applications.is_empty()) {
        (Some(error), _) => view! { <p class="muted">"Applications could not be read: " {error.clone()}</p> }.into_any(),
        (None, true) => view! { <p class="muted">"No application is associated."</p> }.into_any(),
        (None, false) => view! {
            <div class="table-wrap"><table class="data compact wrap">
                <thead><tr><th>"Application"</th><th>"State"</th>{can_manage.then(|| view! { <th></th> })}</tr></thead>
                <tbody>
                    {card.applications.iter().map(|a| {
                        let removable = can_manage
                            && a.association.state.as_deref().is_none_or(AppAssociation::counts_as_installed);
                        let remove = removable.then(|| {
                            let (id, app_id, name) = (id.clone(), a.association.application_id.clone(), a.name.clone());
                            view! {
                                <td>
                                    <details class="action-confirm">
                                        <summary class="button-secondary">"Disassociate…"</summary>
                                        <ActionForm action=disassociate attr:class="stack">
                                            <input type="hidden" name="id" value=id/>
                                            <input type="hidden" name="application_id" value=app_id/>
                                            <p class="confirm-text">{format!("{name} is uninstalled at the next deployment.")}</p>
                                            <label><span>"Reason or ticket"</span><input type="text" name="reason" required/></label>
                                            <button type="submit">{format!("Disassociate {name}")}</button>
                                        </ActionForm>
                                    </details>
                                </td>
                            }
                        });
                        view! {
                            <tr data-application=a.association.application_id.clone()>
                                <td>{a.name.clone()}</td>
                                <td><AssociationBadge state=a.association.state.clone()/>{reason(&a.association)}</td>
                                {remove}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        }.into_any(),
    };
    let deploy_form = (card.can_deploy && (has_pending || has_failed)).then(|| {
        let id = id.clone();
        view! {
            <details class="action-confirm" open=has_pending>
                <summary class="button-secondary">"Deploy applications…"</summary>
                <ActionForm action=deploy attr:class="stack">
                    <input type="hidden" name="id" value=id/>
                    <p class="confirm-text">"Installs the applications waiting for deployment and removes those disassociated. The WorkSpace must be running and reachable."</p>
                    <label class="check">
                        <input type="checkbox" name="force" value="on" checked=!has_pending && has_failed/>
                        "Force: also retry deployments that failed before"
                    </label>
                    <label><span>"Reason or ticket"</span><input type="text" name="reason" required placeholder="INC-1234: user needs Visio"/></label>
                    <button type="submit">"Deploy"</button>
                </ActionForm>
            </details>
        }
    });
    let associate_form = can_manage.then(|| {
        if card.compatible.is_empty() {
            return view! { <p class="small muted">"No other application of the Region's catalog supports this WorkSpace's operating system and compute type."</p> }.into_any();
        }
        let id = id.clone();
        view! {
            <details class="action-confirm">
                <summary class="button-secondary">"Associate an application…"</summary>
                <ActionForm action=associate attr:class="stack">
                    <input type="hidden" name="id" value=id/>
                    <label><span>"Application (those that support this WorkSpace)"</span>
                        <select name="application_id" required>
                            {card.compatible.iter().map(|(app_id, name)| view! { <option value=app_id.clone()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label><span>"Reason or ticket"</span><input type="text" name="reason" required placeholder="REQ-77: Visio licence approved"/></label>
                    <button type="submit">"Associate"</button>
                </ActionForm>
            </details>
        }.into_any()
    });
    view! {
        {list}
        {deploy_form}
        {associate_form}
    }
}
