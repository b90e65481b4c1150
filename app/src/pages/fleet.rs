//! The fleet page (`/`): every WorkSpace from the inventory cache, with search, filters,
//! counts by state, sort and paging. The query lives in the URL, so views can be shared
//! and the back button works; the filter form is a plain GET form, so the page works
//! with JavaScript off. With JavaScript, typing and choosing apply at once.
//!
//! The bulk selection belongs to WorkSpace ids, never to row positions: with
//! JavaScript it is kept (see [`Selection`]) across pages, searches and filters and the
//! way to the review and back (the bar says how many are selected and clears them), and
//! the review gets every selected id; without JavaScript each page is its own form and
//! sends its checked rows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::fleet::{get_fleet_facets, list_fleet};
use crate::components::loaded::Loaded;
use crate::components::pager::{PageSpan, Pager, PagerLabel};
use crate::components::selection::Selection;
use crate::components::state_badge::StateBadge;
use crate::components::sync_bar::SyncBar;
use crate::model::{
    FLEET_PAGE_SIZE, FleetFacets, FleetPage as Page, FleetQuery, Role, WorkspaceState,
};
use crate::session::current_role;

fn href(query: &FleetQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() {
        "/".to_string()
    } else {
        format!("/?{qs}")
    }
}

#[component]
pub fn FleetPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| FleetQuery::from_params(|key| p.get(key))));
    let fleet = Resource::new(move || query.get(), list_fleet);
    let selected = Selection::current();
    let csv = move || {
        let qs = query.get().to_query_string();
        if qs.is_empty() {
            "/fleet.csv".to_string()
        } else {
            format!("/fleet.csv?{qs}")
        }
    };

    view! {
        <Title text="Fleet"/>
        <div class="page-head">
            <h1>"Fleet"</h1>
            <div class="inline-form">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        (current_role().await == Some(Role::Admin))
                            .then(|| view! { <a class="button-secondary" href="/workspaces/new">"New WorkSpaces"</a> })
                    })}
                </Transition>
                <a class="button-secondary" href=csv download="fleet.csv">"Export CSV"</a>
            </div>
        </div>
        <SyncBar/>
        <Filters query/>
        <Loaded resource=fleet render=move |page| view! { <FleetResults page query selected/> }/>
    }
}

/// Search box and filter menus. Typing or choosing applies at once when JavaScript runs;
/// without it, the form submits as a GET request.
#[component]
fn Filters(query: Memo<FleetQuery>) -> impl IntoView {
    let facets = Resource::new(|| (), |_| get_fleet_facets());
    let navigate = use_navigate();
    let apply = move |key: &'static str, value: String| {
        let mut next = query.get_untracked();
        next.set(key, value);
        navigate(
            &href(&next),
            NavigateOptions {
                replace: key == "q",
                ..Default::default()
            },
        );
    };
    let current = query.get_untracked();
    let select = {
        let apply = apply.clone();
        move |label: &'static str, key: &'static str, options: Vec<(String, String)>| {
            let apply = apply.clone();
            let value = query.get_untracked().get(key);
            view! {
                <label class="filter">
                    <span>{label}</span>
                    <select
                        name=key
                        prop:value=move || query.get().get(key)
                        on:change=move |ev| apply(key, event_target_value(&ev))
                    >
                        <option value="" selected=value.is_empty()>"All"</option>
                        {options
                            .into_iter()
                            .map(|(option, text)| {
                                let selected = option == value;
                                view! { <option value=option selected=selected>{text}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        }
    };
    let on_search = {
        let apply = apply.clone();
        move |ev: leptos::ev::Event| apply("q", event_target_value(&ev))
    };
    let on_tag = {
        let apply = apply.clone();
        move |ev: leptos::ev::Event| apply("tag", event_target_value(&ev))
    };
    let menus = move || {
        let select = select.clone();
        Suspend::new(async move {
            let facets: FleetFacets = facets.await.unwrap_or_default();
            let states: Vec<String> = WorkspaceState::KNOWN
                .iter()
                .map(|s| s.as_api().to_string())
                .collect();
            let protocols = vec!["PCOIP".to_string(), "WSP".to_string()];
            let standby = vec![
                ("primary".to_string(), "Primary with standby".to_string()),
                ("standby".to_string(), "Standby".to_string()),
                ("none".to_string(), "Neither".to_string()),
            ];
            let accounts = (!facets.accounts.is_empty())
                .then(|| select("Account", "account", as_options(facets.accounts)));
            view! {
                {accounts}
                {select("Region", "region", as_options(facets.regions))}
                {select("Directory", "directory", as_options(facets.directories))}
                {select("State", "state", as_options(states))}
                {select("Compute", "compute", as_options(facets.compute_types))}
                {select("Running mode", "mode", as_options(facets.running_modes))}
                {select("Bundle", "bundle", as_options(facets.bundles))}
                {select("Connection", "connection", as_options(facets.connection_states))}
                {select("Protocol", "protocol", as_options(protocols))}
                {select(
                    "Operating system",
                    "os",
                    facets.operating_systems.into_iter().map(|os| {
                        let label = crate::model::operating_system_label(&os);
                        (os, label)
                    }).collect(),
                )}
                {select("Standby", "standby", standby)}
                {select("Application", "app", facets.applications)}
            }
        })
    };
    view! {
        <Form method="GET" action="/" attr:class="filters">
            <div class="filter-row">
                <input
                    type="search"
                    name="q"
                    aria-label="Search"
                    placeholder="Search id, user, computer name or IP prefix"
                    value=current.q.clone()
                    prop:value=move || query.get().q
                    on:input=on_search
                />
                <button type="submit">"Search"</button>
            </div>
            <div class="filter-row">
                <Transition fallback=|| ()>{menus}</Transition>
                <label class="filter">
                    <span>"Tag"</span>
                    <input
                        type="text"
                        name="tag"
                        placeholder="Key=Value"
                        value=current.tag.clone()
                        prop:value=move || query.get().tag
                        on:change=on_tag
                    />
                </label>
                <input
                    type="hidden"
                    name="sort"
                    value=current.sort.clone()
                    prop:value=move || query.get().sort
                />
                <input
                    type="hidden"
                    name="desc"
                    value=if current.desc { "1" } else { "" }
                    prop:value=move || if query.get().desc { "1" } else { "" }
                />
                <input
                    type="hidden"
                    name="removed"
                    value=if current.removed { "1" } else { "" }
                    prop:value=move || if query.get().removed { "1" } else { "" }
                />
            </div>
        </Form>
    }
}

/// Menu options whose text is their value.
fn as_options(values: Vec<String>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.clone(), v)).collect()
}

#[component]
fn FleetResults(page: Page, query: Memo<FleetQuery>, selected: Selection) -> impl IntoView {
    let selectable = !page.actions.is_empty();
    let bulk_actions = page.actions.clone();
    let current = query.get_untracked();
    let span = PageSpan::new(current.page, FLEET_PAGE_SIZE, page.rows.len(), page.total);
    let with = {
        let current = current.clone();
        move |change: &dyn Fn(&mut FleetQuery)| {
            let mut next = current.clone();
            change(&mut next);
            href(&next)
        }
    };
    let all_count: usize = page.state_counts.iter().map(|(_, count)| count).sum();
    let show_accounts = page.show_accounts;
    let on_page: Vec<String> = page.rows.iter().map(|ws| ws.id.clone()).collect();
    let table = view! { <FleetTable rows=page.rows.clone() current=current.clone() selectable show_accounts selected/> };

    let chip = |label: String, count: usize, link: String, active: bool| {
        view! {
            <a class="chip" class:active=active href=link>
                {label}
                <span class="chip-count">{count}</span>
            </a>
        }
    };

    view! {
        <div class="chips" aria-label="Counts by state">
            {chip("All".into(), all_count, with(&|q| q.set("state", String::new())), current.state.is_empty())}
            {page
                .state_counts
                .iter()
                .map(|(state, count)| {
                    let link = with(&|q| q.set("state", state.clone()));
                    chip(state.clone(), *count, link, current.state == *state)
                })
                .collect_view()}
            <a
                class="chip chip-toggle"
                class:active=current.removed
                href=with(&|q| {
                    q.removed = !q.removed;
                    q.page = 0;
                })
            >
                {if current.removed { "Hide removed" } else { "Show removed" }}
            </a>
        </div>
        {if page.rows.is_empty() {
            view! {
                <div class="empty">
                    <p>"No WorkSpace matches this search."</p>
                    <a href="/">"Clear the search and filters"</a>
                </div>
            }
                .into_any()
        } else {
            view! {
                <p class="result-count">{span.count("WorkSpaces")}</p>
                <Form method="GET" action="/bulk" attr:class="bulk-form">
                {selectable.then(|| view! { <BulkBar actions=bulk_actions.clone() selected on_page=on_page.clone()/> })}
                {table}
                </Form>
                <Pager span href=move |number: usize| with(&|q| q.page = number) label=PagerLabel::PageOfPages/>
            }
                .into_any()
        }}
    }
}

/// The fleet table; with `selectable`, a checkbox per row for the bulk actions; with
/// `show_accounts`, an Account column.
#[component]
fn FleetTable(
    rows: Vec<crate::model::Workspace>,
    current: FleetQuery,
    selectable: bool,
    show_accounts: bool,
    selected: Selection,
) -> impl IntoView {
    let page_ids: Vec<String> = rows.iter().map(|ws| ws.id.clone()).collect();
    let all_checked = {
        let page_ids = page_ids.clone();
        move || !page_ids.is_empty() && page_ids.iter().all(|id| selected.contains(id))
    };
    let select_page = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        for id in &page_ids {
            selected.set(id, on);
        }
    };
    let select_header = move || {
        view! {
            <th>
                {move || if selected.live.get() {
                    view! { <input type="checkbox" aria-label="Select every WorkSpace on this page" prop:checked=all_checked.clone() on:change=select_page.clone()/> }.into_any()
                } else {
                    view! { <span class="sr-only">"Select"</span> }.into_any()
                }}
            </th>
        }
    };
    view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                {selectable.then(select_header)}
                                <SortHeader label="User" column="user" current=current.clone()/>
                                <SortHeader label="WorkSpace" column="id" current=current.clone()/>
                                <SortHeader label="Computer" column="computer" current=current.clone()/>
                                <SortHeader label="State" column="state" current=current.clone()/>
                                <SortHeader label="Directory" column="directory" current=current.clone()/>
                                <SortHeader label="Bundle" column="bundle" current=current.clone()/>
                                <SortHeader label="Compute" column="compute" current=current.clone()/>
                                <SortHeader label="Running mode" column="mode" current=current.clone()/>
                                <SortHeader label="Protocol" column="protocol" current=current.clone()/>
                                <SortHeader label="OS" column="os" current=current.clone()/>
                                {show_accounts.then(|| view! { <SortHeader label="Account" column="account" current=current.clone()/> })}
                                <SortHeader label="Region" column="region" current=current.clone()/>
                                <SortHeader label="IP address" column="ip" current=current.clone()/>
                                <SortHeader label="Connection" column="connection" current=current.clone()/>
                                <SortHeader label="Last connection" column="last_connection" current=current.clone()/>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|ws| view! { <FleetRow ws selectable show_accounts selected/> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
    }
}

/// The bulk action bar over the table: choose an action for the checked rows, then
/// review them on the confirmation page before anything is sent to AWS.
///
/// With JavaScript the bar counts the selection (which may hold WorkSpaces of other pages
/// and filters, sent as hidden fields), clears it, and offers Review only when something
/// is selected.
#[component]
fn BulkBar(
    actions: Vec<crate::model::ActionKind>,
    selected: Selection,
    on_page: Vec<String>,
) -> impl IntoView {
    // Associating applications is an admin's, as are the admin-only actions offered.
    let admin = actions
        .iter()
        .any(|a| a.required_role() >= crate::model::Role::Admin);
    Effect::new(move |_| selected.live.set(true));
    let elsewhere = move || {
        selected
            .ids
            .get()
            .into_iter()
            .filter(|id| !on_page.contains(id))
            .map(|id| {
                view! { <input type="hidden" name="ids" value=id/> }
            })
            .collect_view()
    };
    let count = move || selected.ids.with(Vec::len);
    let status = move || {
        selected.live.get().then(|| {
            let text = match count() {
                0 => "Nothing selected".to_string(),
                1 => "1 WorkSpace selected".to_string(),
                n => format!("{n} WorkSpaces selected"),
            };
            view! {
                <span class="selection-count" role="status">{text}</span>
                <button type="button" class="button-secondary" disabled=move || count() == 0 on:click=move |_| selected.ids.set(Vec::new())>"Clear selection"</button>
            }
        })
    };
    view! {
        <div class="bulk-bar">
            {elsewhere}
            {status}
            <span class="strong">"With the checked WorkSpaces:"</span>
            <select name="action" aria-label="Bulk action">
                {actions.into_iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                <option value=crate::pages::bulk::TAGS>"Edit tags"</option>
                {admin.then(|| view! { <option value=crate::pages::bulk::APPLICATION>"Associate an application"</option> })}
            </select>
            <button type="submit" disabled=move || selected.live.get() && count() == 0>"Review…"</button>
            <span class="muted small">"The next page lists what will happen to each WorkSpace and asks for the reason."</span>
        </div>
    }
}

#[component]
fn FleetRow(
    ws: crate::model::Workspace,
    selectable: bool,
    show_accounts: bool,
    selected: Selection,
) -> impl IntoView {
    let detail = format!("/workspaces/{}", ws.id);
    let removed = ws.removed_at.is_some();
    let checkbox = selectable.then(|| {
        let label = format!("Select {} ({})", ws.id, ws.user_name);
        let (id, toggled) = (ws.id.clone(), ws.id.clone());
        view! {
            <td><input
                type="checkbox"
                name="ids"
                value=ws.id.clone()
                aria-label=label
                prop:checked=move || selected.contains(&id)
                on:change=move |ev| selected.set(&toggled, event_target_checked(&ev))
            /></td>
        }
    });
    view! {
        <tr class:removed=removed>
            {checkbox}
            <td class="strong">{ws.user_name}</td>
            <td class="mono"><a href=detail>{ws.id}</a></td>
            <td class="mono">{ws.computer_name}</td>
            <td>
                <StateBadge state=ws.state/>
                {removed.then(|| view! { <span class="badge badge-off">"REMOVED"</span> })}
                {ws.standby_role.map(|role| view! { <span class="badge badge-pair" title="Multi-Region primary/standby pair">{role.label()}</span> })}
            </td>
            <td class="mono">{ws.directory_id}</td>
            <td class="mono">{ws.bundle_id}</td>
            <td>{ws.compute_type}</td>
            <td>{ws.running_mode}</td>
            <td>{ws.protocols.join(", ")}</td>
            <td class="nowrap" title=ws.operating_system.clone()>{ws.operating_system.as_deref().map(crate::model::operating_system_label)}</td>
            {show_accounts.then(|| view! { <td>{ws.account.clone()}</td> })}
            <td>{ws.region}</td>
            <td class="mono">{ws.ip_address}</td>
            <td>{ws.connection_state}</td>
            <td>{ws.last_user_connection.unwrap_or_else(|| "never".into())}</td>
        </tr>
    }
}

/// A column header that sorts by its column; a second click reverses the order.
#[component]
fn SortHeader(label: &'static str, column: &'static str, current: FleetQuery) -> impl IntoView {
    let active = current.sort == column || (current.sort.is_empty() && column == "user");
    let mut next = current.clone();
    next.set("sort", column.to_string());
    next.desc = active && !current.desc;
    let (arrow, sort) = match (active, current.desc) {
        (false, _) => ("", "none"),
        (true, false) => (" ▲", "ascending"),
        (true, true) => (" ▼", "descending"),
    };
    view! {
        <th aria-sort=sort>
            <a href=href(&next)>{label}{arrow}</a>
        </th>
    }
}
