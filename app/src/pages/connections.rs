//! The connections page (`/connections`): connection state and last user connection per
//! WorkSpace, with views for connected, idle (no user connection for N days) and never
//! connected WorkSpaces — the ones an admin reviews to save money.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::connections::list_connections;
use crate::components::loaded::Loaded;
use crate::components::pager::{PageSpan, Pager, PagerLabel};
use crate::components::place_options::AccountMenu;
use crate::components::state_badge::StateBadge;
use crate::components::sync_bar::{SyncBar, short_time};
use crate::model::{ConnectionsPage as Page, ConnectionsQuery, FLEET_PAGE_SIZE};

fn href(query: &ConnectionsQuery) -> String {
    format!("/connections?{}", query.to_query_string())
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let params = use_query_map();
    let query =
        Memo::new(move |_| params.with(|p| ConnectionsQuery::from_params(|key| p.get(key))));
    let connections = Resource::new(move || query.get(), list_connections);
    // The account menu, when accounts are configured (the page's answer lists them).
    let account_menu = move || {
        Suspend::new(async move {
            let accounts = connections
                .await
                .map(|page| page.accounts)
                .unwrap_or_default();
            view! { <AccountMenu accounts chosen=query.get_untracked().account/> }
        })
    };
    view! {
        <Title text="Connections"/>
        <div class="page-head">
            <h1>"Connections"</h1>
            <a class="button-secondary" href=move || format!("/connections.csv?{}", query.get().to_query_string()) download="connections.csv">
                "Export CSV"
            </a>
        </div>
        <SyncBar/>
        <Form method="GET" action="/connections" attr:class="filters">
            <div class="filter-row">
                <input
                    type="search"
                    name="q"
                    aria-label="Search"
                    placeholder="Search id or user"
                    value=query.get_untracked().q
                />
                <label class="filter inline">
                    <span>"Idle for at least"</span>
                    <input type="number" name="days" min="1" max="3650" value=query.get_untracked().days/>
                    <span>"days"</span>
                </label>
                <input type="hidden" name="view" value=move || query.get().view/>
                <Transition fallback=|| ()>{account_menu}</Transition>
                <button type="submit">"Apply"</button>
            </div>
        </Form>
        <Loaded resource=connections render=move |page| view! { <ConnectionResults page query/> }/>
    }
}

#[component]
fn ConnectionResults(page: Page, query: Memo<ConnectionsQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let label = |view: &str, days: u32| match view {
        "connected" => "Connected now".to_string(),
        "idle" => format!("Idle {days}+ days"),
        "never" => "Never connected".to_string(),
        _ => "All".to_string(),
    };
    let span = PageSpan::new(current.page, FLEET_PAGE_SIZE, page.rows.len(), page.total);
    let page_href = {
        let current = current.clone();
        move |number: usize| {
            let mut other = current.clone();
            other.page = number;
            href(&other)
        }
    };
    view! {
        <div class="chips" aria-label="Connection views">
            {page.counts.iter().map(|(view_name, count)| {
                let mut next = current.clone();
                next.view = view_name.clone();
                next.page = 0;
                view! {
                    <a class="chip" class:active=current.view == *view_name href=href(&next)>
                        {label(view_name, current.days)}
                        <span class="chip-count">{*count}</span>
                    </a>
                }
            }).collect_view()}
        </div>
        {if page.rows.is_empty() {
            view! { <div class="empty"><p>"No WorkSpace in this view."</p></div> }.into_any()
        } else {
            view! {
                <p class="result-count">
                    {span.count("WorkSpaces")}
                    {in_fleet(&current).map(|link| view! { " · " <a href=link>"Select and act on them in the fleet"</a> })}
                </p>
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                <th>"User"</th><th>"WorkSpace"</th><th>"State"</th><th>"Connection"</th>
                                <th>"Last user connection"</th><th>"Running mode"</th><th>"Region"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.rows.into_iter().map(|ws| {
                                let link = format!("/workspaces/{}", ws.id);
                                view! {
                                    <tr>
                                        <td class="strong">{ws.user_name}</td>
                                        <td class="mono"><a href=link>{ws.id}</a></td>
                                        <td><StateBadge state=ws.state/></td>
                                        <td>{ws.connection_state.unwrap_or_else(|| "UNKNOWN".into())}</td>
                                        <td>{ws.last_user_connection.as_deref().map(short_time).unwrap_or_else(|| "never".into())}</td>
                                        <td>{ws.running_mode}</td>
                                        <td>{crate::model::place_name(&ws.account, &ws.region)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager span href=page_href label=PagerLabel::Page/>
            }.into_any()
        }}
    }
}

/// The fleet page showing the WorkSpaces of an idle or never-connected view (same
/// account, Region and search), where they can be selected for a bulk action; `None`
/// for the other views.
fn in_fleet(query: &ConnectionsQuery) -> Option<String> {
    let idle = match query.view.as_str() {
        "idle" => query.days.to_string(),
        "never" => "never".to_string(),
        _ => return None,
    };
    let fleet = crate::model::FleetQuery {
        idle,
        account: query.account.clone(),
        region: query.region.clone(),
        q: query.q.clone(),
        ..crate::model::FleetQuery::default()
    };
    Some(fleet.href())
}
