//! The fleet page (`/`): every WorkSpace from the inventory cache, with search, filters,
//! counts by state, sort and paging. The query lives in the URL, so views can be shared
//! and the back button works; the filter form is a plain GET form, so the page works
//! with JavaScript off. With JavaScript ([`FleetLive`]), typing and choosing apply at
//! once.
//!
//! The bulk selection belongs to WorkSpace ids, never to row positions: with
//! JavaScript it is kept (see [`crate::islands::selection`]) across pages, searches and
//! filters and the way to the review and back (the bar says how many are selected and
//! clears them), and the review gets every selected id; without JavaScript each page is
//! its own form and sends its checked rows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::fleet::{get_fleet_facets, list_fleet};
use crate::components::loaded::Loaded;
use crate::components::pager::{PageSpan, Pager, PagerLabel};
use crate::components::state_badge::StateBadge;
use crate::components::sync_bar::{SyncBar, short_time};
use crate::islands::fleet_live::FleetLive;
use crate::model::{
    FLEET_PAGE_SIZE, FleetFacets, FleetPage as Page, FleetQuery, MAX_BULK_TARGETS, Role,
    WorkspaceState,
};
use crate::session::current_role;

#[component]
pub fn FleetPage() -> impl IntoView {
    let params = use_query_map();
    let query = params.with_untracked(|p| FleetQuery::from_params(|key| p.get(key)));
    let fleet = Resource::new(
        {
            let query = query.clone();
            move || query.clone()
        },
        list_fleet,
    );
    let csv = query.csv_href();
    let shown = StoredValue::new(query.clone());

    view! {
        <Title text="Fleet"/>
        <div class="page-head">
            <h1>"Fleet"</h1>
            <div class="inline-form">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        (current_role().await == Some(Role::Admin))
                            .then(|| view! { <a class="button-secondary" href="/workspaces/new">"New WorkSpaces"</a> })
                    })}
                </Suspense>
                <a class="button-secondary fleet-csv" href=csv download="fleet.csv">"Export CSV"</a>
            </div>
        </div>
        <SyncBar/>
        <FleetLive>
            <Filters query=query.clone()/>
            <ColumnChooser/>
            <div id="fleet-results">
                <Loaded resource=fleet render=move |page| view! { <FleetResults page query=shown.get_value()/> }/>
            </div>
        </FleetLive>
    }
}

/// Search box and filter menus: a GET form, which [`FleetLive`] applies as the user
/// types or chooses; without JavaScript, its Search button applies it.
#[component]
fn Filters(query: FleetQuery) -> impl IntoView {
    let facets = Resource::new(|| (), |_| get_fleet_facets());
    let select = {
        let query = query.clone();
        move |label: &'static str, key: &'static str, mut options: Vec<(String, String)>| {
            let value = query.get(key);
            // A value the menu does not offer (several states from the chips) stays chosen.
            if !value.is_empty() && !options.iter().any(|(option, _)| *option == value) {
                options.push((value.clone(), value.replace(',', ", ")));
            }
            view! {
                <label class="filter">
                    <span>{label}</span>
                    <select name=key>
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
                {select("Last connection", "idle", idle_options())}
                {select("Application", "app", facets.applications)}
            }
        })
    };
    // Sorting and "show removed" are links; the form carries them along.
    let hidden = [
        ("sort", query.sort.clone()),
        ("desc", if query.desc { "1" } else { "" }.to_string()),
        ("removed", if query.removed { "1" } else { "" }.to_string()),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
    .collect_view();
    view! {
        <form method="get" action="/" class="filters">
            <div class="filter-row">
                <input
                    type="search"
                    name="q"
                    aria-label="Search"
                    placeholder="Search id, user, computer name or IP prefix"
                    value=query.q.clone()
                />
                <button type="submit">"Search"</button>
            </div>
            <div class="filter-row">
                <Suspense fallback=|| ()>{menus}</Suspense>
                <label class="filter">
                    <span>"Tag"</span>
                    <input type="text" name="tag" placeholder="Key=Value" value=query.tag.clone()/>
                </label>
                {hidden}
            </div>
        </form>
    }
}

/// The columns a user may hide, `(column, label)`: all but user and WorkSpace id. Hidden
/// until JavaScript runs, which shows the choice and remembers it
/// (`islands::columns`); without it every column is shown.
const HIDEABLE_COLUMNS: [(&str, &str); 13] = [
    ("computer", "Computer"),
    ("state", "State"),
    ("directory", "Directory"),
    ("bundle", "Bundle"),
    ("compute", "Compute"),
    ("mode", "Running mode"),
    ("protocol", "Protocol"),
    ("os", "OS"),
    ("account", "Account"),
    ("region", "Region"),
    ("ip", "IP address"),
    ("connection", "Connection"),
    ("last_connection", "Last connection"),
];

#[component]
fn ColumnChooser() -> impl IntoView {
    view! {
        <details class="column-chooser" hidden>
            <summary class="button-secondary">"Columns"</summary>
            <fieldset>
                <legend>"Columns shown"</legend>
                {HIDEABLE_COLUMNS.into_iter().map(|(column, label)| view! {
                    <label class="check"><input type="checkbox" value=column checked=true/>" " {label}</label>
                }).collect_view()}
            </fieldset>
        </details>
    }
}

/// The idle filter's choices (the connections page links to other numbers of days).
fn idle_options() -> Vec<(String, String)> {
    [
        ("7", "7 or more days ago"),
        ("30", "30 or more days ago"),
        ("90", "90 or more days ago"),
        ("never", "Never"),
    ]
    .into_iter()
    .map(|(value, text)| (value.to_string(), text.to_string()))
    .collect()
}

/// Menu options whose text is their value.
fn as_options(values: Vec<String>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.clone(), v)).collect()
}

#[component]
fn FleetResults(page: Page, query: FleetQuery) -> impl IntoView {
    let selectable = !page.actions.is_empty();
    let bulk_actions = page.actions.clone();
    let current = query;
    let span = PageSpan::new(current.page, FLEET_PAGE_SIZE, page.rows.len(), page.total);
    let with = {
        let current = current.clone();
        move |change: &dyn Fn(&mut FleetQuery)| {
            let mut next = current.clone();
            change(&mut next);
            next.href()
        }
    };
    let all_count: usize = page.state_counts.iter().map(|(_, count)| count).sum();
    let show_accounts = page.show_accounts;
    let table = view! { <FleetTable rows=page.rows.clone() current=current.clone() selectable show_accounts/> };

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
                    // A chip adds its state to those shown, or takes it out again.
                    let link = current.toggle_state(state).href();
                    chip(state.clone(), *count, link, current.states().contains(&state.as_str()))
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
                <form method="get" action="/bulk" class="bulk-form">
                {selectable.then(|| view! { <BulkBar actions=bulk_actions.clone() total=page.total/> })}
                {table}
                </form>
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
) -> impl IntoView {
    // The header box selects the page; it is shown where the selection lives (with
    // JavaScript, see `islands::selection`).
    let select_header = || {
        view! {
            <th>
                <span class="sr-only">"Select"</span>
                <input type="checkbox" class="select-page" hidden aria-label="Select every WorkSpace on this page"/>
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
                                .map(|ws| view! { <FleetRow ws selectable show_accounts/> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
    }
}

/// The bulk action bar over the table: choose an action for the checked rows, then
/// review them on the confirmation page before anything is sent to AWS.
///
/// With JavaScript the selection may hold WorkSpaces of other pages and filters:
/// `islands::selection` adds them as hidden fields, shows the count and the clear button,
/// and offers Review only when something is selected.
#[component]
fn BulkBar(
    actions: Vec<crate::model::ActionKind>,
    /// How many WorkSpaces match the query, on every page.
    total: usize,
) -> impl IntoView {
    // Associating applications is an admin's, as are the admin-only actions offered.
    let admin = actions
        .iter()
        .any(|a| a.required_role() >= crate::model::Role::Admin);
    view! {
        <div class="bulk-bar">
            <span class="selection-elsewhere"></span>
            <span class="selection-count" role="status" hidden></span>
            <button type="button" class="button-secondary clear-selection" hidden>"Clear selection"</button>
            {(total > FLEET_PAGE_SIZE).then(|| view! {
                <button type="button" class="button-secondary select-matching" hidden>{select_matching_label(total)}</button>
            })}
            <span class="strong">"With the checked WorkSpaces:"</span>
            <select name="action" aria-label="Bulk action">
                {actions.into_iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                <option value=crate::pages::bulk::TAGS>"Edit tags"</option>
                {admin.then(|| view! { <option value=crate::pages::bulk::APPLICATION>"Associate an application"</option> })}
            </select>
            <button type="submit" class="bulk-review">"Review…"</button>
            <span class="muted small">"The next page lists what will happen to each WorkSpace and asks for the reason."</span>
        </div>
    }
}

/// The "select all matching" button's text: one bulk review takes at most
/// [`MAX_BULK_TARGETS`].
fn select_matching_label(total: usize) -> String {
    if total > MAX_BULK_TARGETS {
        format!("Select the first {MAX_BULK_TARGETS} of {total} matching")
    } else {
        format!("Select all {total} matching")
    }
}

#[component]
fn FleetRow(ws: crate::model::Workspace, selectable: bool, show_accounts: bool) -> impl IntoView {
    let detail = format!("/workspaces/{}", ws.id);
    let removed = ws.removed_at.is_some();
    let checkbox = selectable.then(|| {
        let label = format!("Select {} ({})", ws.id, ws.user_name);
        view! { <td><input type="checkbox" name="ids" value=ws.id.clone() aria-label=label/></td> }
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
            <td class="nowrap">{ws.last_user_connection.as_deref().map(short_time).unwrap_or_else(|| "never".into())}</td>
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
        <th aria-sort=sort data-column=column>
            <a href=next.href()>{label}{arrow}</a>
        </th>
    }
}
