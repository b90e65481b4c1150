//! The fleet page (`/`): every WorkSpace, with search, filters, counts by state, sort
//! and paging. The query lives in the URL, so views can be shared and the back button
//! works; the search form is a plain GET form, so the page works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use crate::api::fleet::list_fleet;
use crate::components::loaded::Loaded;
use crate::components::state_badge::StateBadge;
use crate::model::{FLEET_PAGE_SIZE, FleetPage as Page, FleetQuery};

/// Reads the fleet query from the URL parameters; missing or bad values fall back to
/// their defaults.
pub fn query_from_params(params: &ParamsMap) -> FleetQuery {
    let text = |key: &str| params.get(key).unwrap_or_default();
    FleetQuery {
        q: text("q"),
        state: text("state"),
        region: text("region"),
        sort: text("sort"),
        desc: matches!(text("desc").as_str(), "1" | "true"),
        page: text("page").parse().unwrap_or(0),
    }
}

fn href(query: &FleetQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() { "/".to_string() } else { format!("/?{qs}") }
}

#[component]
pub fn FleetPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let fleet = Resource::new(move || query.get(), list_fleet);

    view! {
        <Title text="Fleet"/>
        <div class="page-head">
            <h1>"Fleet"</h1>
        </div>
        <SearchForm query/>
        <Loaded resource=fleet render=move |page| view! { <FleetResults page query/> }/>
    }
}

/// Search box and filters. Typing searches at once when JavaScript runs; without it,
/// the form submits as a GET request.
#[component]
fn SearchForm(query: Memo<FleetQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let on_search = move |ev: leptos::ev::Event| {
        let mut next = query.get_untracked();
        next.q = event_target_value(&ev);
        next.page = 0;
        navigate(&href(&next), NavigateOptions { replace: true, ..Default::default() });
    };
    view! {
        <Form method="GET" action="/" attr:class="filters">
            <input
                type="search"
                name="q"
                aria-label="Search"
                placeholder="Search id, user, computer name or IP prefix"
                prop:value=move || query.get().q
                on:input=on_search
            />
            <input type="hidden" name="state" prop:value=move || query.get().state/>
            <input type="hidden" name="region" prop:value=move || query.get().region/>
            <input type="hidden" name="sort" prop:value=move || query.get().sort/>
            <input
                type="hidden"
                name="desc"
                prop:value=move || if query.get().desc { "1" } else { "" }
            />
            <button type="submit">"Search"</button>
        </Form>
    }
}

#[component]
fn FleetResults(page: Page, query: Memo<FleetQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let all_count: usize = page.state_counts.iter().map(|(_, count)| count).sum();
    let first = current.page * FLEET_PAGE_SIZE;
    let last = (first + page.rows.len()).min(page.total);
    let has_next = last < page.total;

    let state_link = {
        let current = current.clone();
        move |state: &str| {
            let mut next = current.clone();
            next.state = state.to_string();
            next.page = 0;
            href(&next)
        }
    };
    let region_link = {
        let current = current.clone();
        move |region: &str| {
            let mut next = current.clone();
            next.region = region.to_string();
            next.page = 0;
            href(&next)
        }
    };
    let page_link = {
        let current = current.clone();
        move |number: usize| {
            let mut next = current.clone();
            next.page = number;
            href(&next)
        }
    };

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
            {chip("All".into(), all_count, state_link(""), current.state.is_empty())}
            {page
                .state_counts
                .iter()
                .map(|(state, count)| {
                    chip(state.clone(), *count, state_link(state), current.state == *state)
                })
                .collect_view()}
        </div>
        {(page.regions.len() > 1)
            .then(|| {
                view! {
                    <div class="chips chips-small" aria-label="Regions">
                        <a class="chip" class:active=current.region.is_empty() href=region_link("")>
                            "All Regions"
                        </a>
                        {page
                            .regions
                            .iter()
                            .map(|region| {
                                view! {
                                    <a
                                        class="chip"
                                        class:active=current.region == *region
                                        href=region_link(region)
                                    >
                                        {region.clone()}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </div>
                }
            })}
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
                <p class="result-count">
                    {format!("{}–{} of {} WorkSpaces", first + 1, last, page.total)}
                </p>
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                <SortHeader label="User" column="user" current=current.clone()/>
                                <SortHeader label="WorkSpace" column="id" current=current.clone()/>
                                <SortHeader label="Computer" column="computer" current=current.clone()/>
                                <SortHeader label="State" column="state" current=current.clone()/>
                                <SortHeader label="Directory" column="directory" current=current.clone()/>
                                <SortHeader label="Bundle" column="bundle" current=current.clone()/>
                                <th>"Compute"</th>
                                <th>"Running mode"</th>
                                <SortHeader label="Region" column="region" current=current.clone()/>
                                <SortHeader label="IP address" column="ip" current=current.clone()/>
                            </tr>
                        </thead>
                        <tbody>
                            {page
                                .rows
                                .into_iter()
                                .map(|ws| {
                                    view! {
                                        <tr>
                                            <td class="strong">{ws.user_name}</td>
                                            <td class="mono">{ws.id}</td>
                                            <td class="mono">{ws.computer_name}</td>
                                            <td><StateBadge state=ws.state/></td>
                                            <td class="mono">{ws.directory_id}</td>
                                            <td class="mono">{ws.bundle_id}</td>
                                            <td>{ws.compute_type}</td>
                                            <td>{ws.running_mode}</td>
                                            <td>{ws.region}</td>
                                            <td class="mono">{ws.ip_address}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <nav class="pager" aria-label="Pages">
                    {(current.page > 0)
                        .then(|| view! { <a rel="prev" href=page_link(current.page - 1)>"← Previous"</a> })}
                    <span>{format!("Page {}", current.page + 1)}</span>
                    {has_next.then(|| view! { <a rel="next" href=page_link(current.page + 1)>"Next →"</a> })}
                </nav>
            }
                .into_any()
        }}
    }
}

/// A column header that sorts by its column; a second click reverses the order.
#[component]
fn SortHeader(label: &'static str, column: &'static str, current: FleetQuery) -> impl IntoView {
    let active = current.sort == column || (current.sort.is_empty() && column == "user");
    let mut next = current.clone();
    next.sort = column.to_string();
    next.desc = active && !current.desc;
    next.page = 0;
    let arrow = match (active, current.desc) {
        (false, _) => "",
        (true, false) => " ▲",
        (true, true) => " ▼",
    };
    let sort = match (active, current.desc) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    view! {
        <th aria-sort=sort>
            <a href=href(&next)>{label}{arrow}</a>
        </th>
    }
}
