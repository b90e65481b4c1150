//! The fleet-wide session health page (`/health`): the WorkSpaces in trouble now
//! (latency, packet loss, failed connections, CPU, memory, disks) across every account
//! and Region the user may see, worst first, each one click from its WorkSpace page and
//! its actions, with `/health.csv`. The figures come from a background refresh within
//! the admin's CloudWatch budget; the page says how fresh they are and what they cost.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::health::list_fleet_health;
use crate::components::filter_menu::{FilterMenu, plain_options};
use crate::components::loaded::Loaded;
use crate::components::place_options::AccountMenu;
use crate::model::{
    FLEET_HEALTH_METRICS, HEALTH_PAGE_ROWS, HealthMetric, HealthPage as Page, HealthQuery,
};

#[component]
pub fn HealthPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| HealthQuery::from_params(|key| p.get(key))));
    let health = Resource::new(move || query.get(), list_fleet_health);
    let menus = move || {
        Suspend::new(async move {
            let page = health.await.unwrap_or_default();
            let chosen = query.get_untracked();
            let over = FLEET_HEALTH_METRICS
                .iter()
                .map(|m| (m.slug().to_string(), m.title().to_string()))
                .collect();
            view! {
                <AccountMenu accounts=page.accounts chosen=chosen.account/>
                <FilterMenu label="Region" name="region" options=plain_options(page.regions) chosen=chosen.region/>
                <FilterMenu label="Directory" name="directory" options=plain_options(page.directories) chosen=chosen.directory/>
                <FilterMenu label="Over threshold" name="over" options=over chosen=chosen.over/>
            }
        })
    };
    view! {
        <Title text="Session health"/>
        <div class="page-head">
            <h1>"Session health"</h1>
            <a class="button-secondary" href=move || format!("/health.csv?{}", query.get().to_query_string()) download="health.csv">
                "Export CSV"
            </a>
        </div>
        <Form method="GET" action="/health" attr:class="filters">
            <div class="filter-row">
                <input type="search" name="q" aria-label="Search" placeholder="Search id or user" value=query.get_untracked().q/>
                <Transition fallback=|| ()>{menus}</Transition>
                <label class="check">
                    <input type="checkbox" name="all" value="1" checked=query.get_untracked().all/>
                    " Healthy ones too"
                </label>
                <input type="hidden" name="sort" value=move || query.get().sort/>
                <button type="submit">"Apply"</button>
            </div>
        </Form>
        <Loaded resource=health render=move |page| view! { <HealthResults page query/> }/>
    }
}

/// The value of `metric` with its unit, or a dash.
fn cell(value: Option<f64>, metric: HealthMetric) -> String {
    match value {
        None => "—".into(),
        Some(v) if metric.unit() == "%" => format!("{v:.1} %"),
        Some(v) if metric.unit() == "count" => format!("{v:.0}"),
        Some(v) => format!("{v:.0} {}", metric.unit()),
    }
}

#[component]
fn HealthResults(page: Page, query: Memo<HealthQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let thresholds = page.thresholds;
    let freshness = match &page.read_at {
        Some(at) => format!(
            "Figures of {} UTC (the hour before): {} of {} running WorkSpaces read, {} CloudWatch metrics requested (about ${:.2}).",
            at.get(..16).unwrap_or(at).replace('T', " "),
            page.workspaces_read,
            page.workspaces_running,
            page.metrics_requested,
            page.metrics_requested as f64 / 1000.0 * 0.01
        ),
        None => {
            "No figures yet: the first refresh from CloudWatch runs shortly after start.".into()
        }
    };
    let problems = page
        .problems
        .iter()
        .map(|p| view! { <p class="error" role="alert">{p.clone()}</p> })
        .collect_view();
    let sort = current.sort_metric();
    let headers = FLEET_HEALTH_METRICS
        .iter()
        .map(|metric| {
            let mut next = current.clone();
            next.sort = metric.slug().to_string();
            let href = format!("/health?{}", next.to_query_string());
            let label = format!("{} ({})", metric.title(), metric.unit());
            if *metric == sort {
                view! { <th aria-sort="descending"><a href=href>{label}" ↓"</a></th> }.into_any()
            } else {
                view! { <th><a href=href>{label}</a></th> }.into_any()
            }
        })
        .collect_view();
    let body = if page.rows.is_empty() {
        view! {
            <div class="empty"><p>{if current.all { "No WorkSpace read yet." } else { "No WorkSpace is over a threshold." }}</p></div>
        }
        .into_any()
    } else {
        let rows = page
            .rows
            .into_iter()
            .map(|row| {
                let link = format!("/workspaces/{}", row.workspace_id);
                let place = crate::model::place_name(&row.account, &row.region);
                let cells = FLEET_HEALTH_METRICS
                    .iter()
                    .map(|metric| {
                        let value = row.value(*metric);
                        let over = value.is_some_and(|v| thresholds.exceeded(*metric, v));
                        view! { <td class:health-over=over>{cell(value, *metric)}</td> }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <td class="mono"><a href=link>{row.workspace_id.clone()}</a></td>
                        <td>{row.user_name.clone()}</td>
                        <td>{place}</td>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data">
                    <thead><tr><th>"WorkSpace"</th><th>"User"</th><th>"Region"</th>{headers}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let shown = (page.total > 0).then(|| {
        let text = if page.total > HEALTH_PAGE_ROWS {
            format!(
                "The worst {HEALTH_PAGE_ROWS} of {} WorkSpaces; the CSV has them all.",
                page.total
            )
        } else {
            format!("{} WorkSpaces.", page.total)
        };
        view! { <p class="result-count">{text}</p> }
    });
    view! {
        <p class="muted">{freshness}</p>
        {problems}
        {shown}
        {body}
    }
}
