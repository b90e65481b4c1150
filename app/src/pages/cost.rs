//! Cost insight (`/cost`): every WorkSpace the user may see with its running mode, its
//! billable hours (30 days and month to date) against its compute type's limit, what
//! Fleetdesk recommends and why, whether it is unused, and the totals per account and
//! Region. Checked rows (or every recommended one) go to the bulk review, which switches
//! their running mode through the one change path; the unused ones are one review away
//! from terminate. `/cost.csv` is the dry-run report. Works without JavaScript: the
//! filters and the selection are plain GET forms.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::cost::list_cost;
use crate::components::filter_menu::{FilterMenu, plain_options};
use crate::components::loaded::Loaded;
use crate::components::pager::{PageSpan, Pager, PagerLabel};
use crate::components::place_options::AccountMenu;
use crate::model::{
    COST_PAGE_ROWS, CostFilter, CostPage as Page, CostQuery, CostRow, CostSort, Role,
    USAGE_WINDOW_DAYS, encode_query_value, place_name,
};

#[component]
pub fn CostPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| CostQuery::from_params(|key| p.get(key))));
    let cost = Resource::new(move || query.get(), list_cost);
    let menus = move || {
        Suspend::new(async move {
            let page = cost.await.unwrap_or_default();
            let chosen = query.get_untracked();
            let modes = plain_options(vec![
                "ALWAYS_ON".into(),
                "AUTO_STOP".into(),
                "MANUAL".into(),
            ]);
            let shows = CostFilter::ALL
                .iter()
                .filter(|f| **f != CostFilter::All)
                .map(|f| (f.slug().to_string(), f.label().to_string()))
                .collect();
            view! {
                <AccountMenu accounts=page.accounts chosen=chosen.account/>
                <FilterMenu label="Region" name="region" options=plain_options(page.regions) chosen=chosen.region/>
                <FilterMenu label="Directory" name="directory" options=plain_options(page.directories) chosen=chosen.directory/>
                <FilterMenu label="Compute" name="compute" options=plain_options(page.compute_types) chosen=chosen.compute/>
                <FilterMenu label="Running mode" name="mode" options=modes chosen=chosen.mode/>
                <FilterMenu label="Show" name="show" options=shows chosen=chosen.show/>
            }
        })
    };
    view! {
        <Title text="Cost insight"/>
        <div class="page-head">
            <h1>"Cost insight"</h1>
            <a class="button-secondary" href=move || format!("/cost.csv?{}", query.get().to_query_string()) download="cost.csv">
                "Export CSV"
            </a>
        </div>
        <Form method="GET" action="/cost" attr:class="filters">
            <div class="filter-row">
                <input type="search" name="q" aria-label="Search" placeholder="Search id or user" value=query.get_untracked().q/>
                <Transition fallback=|| ()>{menus}</Transition>
                <input type="hidden" name="sort" value=move || query.get().sort/>
                <button type="submit">"Apply"</button>
            </div>
        </Form>
        <Loaded resource=cost render=move |page| view! { <CostResults page query/> }/>
    }
}

/// Hours with one decimal and their unit, or a dash.
fn hours(value: Option<f64>) -> String {
    value.map_or("—".into(), |h| format!("{h:.1} h"))
}

/// An amount in `currency`, or a dash.
fn money(value: Option<f64>, currency: &str) -> String {
    value.map_or("—".into(), |v| format!("{v:.2} {currency}"))
}

/// What CloudWatch bills for `metrics` requested ($0.01 per 1,000).
fn metrics_cost(metrics: usize) -> String {
    let dollars = metrics as f64 / 1000.0 * 0.01;
    if dollars < 0.01 {
        "under $0.01".into()
    } else {
        format!("about ${dollars:.2}")
    }
}

/// The link to the bulk review of `ids` under `action` (and `running_mode`).
fn review_href(action: &str, running_mode: Option<&str>, ids: &[String]) -> String {
    let mut href = format!("/bulk?action={action}");
    if let Some(mode) = running_mode {
        href.push_str(&format!("&running_mode={mode}"));
    }
    for id in ids {
        href.push_str(&format!("&ids={}", encode_query_value(id)));
    }
    href
}

/// What the page says about the readings: when each account and Region was read, what
/// it cost, and CloudWatch's refusals.
fn readings_note(page: &Page) -> impl IntoView + use<> {
    let metrics: usize = page.reads.iter().map(|r| r.metrics_requested).sum();
    let latest = page
        .reads
        .iter()
        .filter_map(|r| r.succeeded_at.as_deref())
        .max()
        .map(|at| at.get(..16).unwrap_or(at).replace('T', " "));
    let limits = page
        .limits
        .hours
        .iter()
        .map(|(compute, limit)| format!("{compute} {limit:.0} h"))
        .collect::<Vec<_>>()
        .join(", ");
    let read = match latest {
        Some(at) => format!(
            "Usage from CloudWatch's UserConnected, read daily; latest reading {at} UTC ({metrics} metrics requested, {}).",
            metrics_cost(metrics)
        ),
        None => "No usage read yet: the daily reading from CloudWatch starts shortly after the first sync.".into(),
    };
    let rules = format!(
        "Judged on the last {USAGE_WINDOW_DAYS} days by Cost Optimizer's rules: above its compute type's limit ({limits}) ALWAYS_ON is cheaper, at or under it AUTO_STOP. WorkSpaces tagged {} are left alone; standbys are not judged; unused means no connection for {} days. Month-end policy: {}.",
        page.skip_tag, page.unused_days, page.schedule
    );
    let problems = page
        .reads
        .iter()
        .filter_map(|r| r.problem.clone())
        .map(|p| view! { <p class="error" role="alert">{p}</p> })
        .collect_view();
    view! {
        <p class="muted">{read}</p>
        <p class="muted small">{rules}</p>
        {problems}
    }
}

/// The totals per account and Region, and the review links for the whole view.
fn totals_card(page: &Page, admin: bool) -> impl IntoView + use<> {
    let currency = page.currency.clone();
    let priced = currency.is_some();
    let rows = page
        .totals
        .iter()
        .map(|t| {
            let saving = match &currency {
                Some(c) if t.unpriced_switches > 0 => format!(
                    "{} (+{} without a price)",
                    money(Some(t.monthly_saving), c),
                    t.unpriced_switches
                ),
                Some(c) => money(Some(t.monthly_saving), c),
                None => String::new(),
            };
            view! {
                <tr>
                    <td>{place_name(&t.account, &t.region)}</td>
                    <td class="num">{t.workspaces}</td>
                    <td class="num">{t.read}</td>
                    <td class="num">{t.to_always_on}</td>
                    <td class="num">{t.to_auto_stop}</td>
                    <td class="num">{t.unused}</td>
                    {priced.then(|| view! { <td class="num">{saving}</td> })}
                </tr>
            }
        })
        .collect_view();
    let link = |text: String, href: String, class: &'static str| {
        view! { <a class=class href=href rel="external">{text}</a> }
    };
    let reviews = admin.then(|| {
        let mut links = Vec::new();
        if !page.to_auto_stop.is_empty() {
            links.push(link(
                format!("Review switching {} to AUTO_STOP", page.to_auto_stop.len()),
                review_href("modify", Some("AUTO_STOP"), &page.to_auto_stop),
                "button-secondary",
            ));
        }
        if !page.to_always_on.is_empty() {
            links.push(link(
                format!("Review switching {} to ALWAYS_ON", page.to_always_on.len()),
                review_href("modify", Some("ALWAYS_ON"), &page.to_always_on),
                "button-secondary",
            ));
        }
        if !page.unused.is_empty() {
            links.push(link(
                format!("Review terminating {} unused", page.unused.len()),
                review_href("terminate", None, &page.unused),
                "button-danger",
            ));
        }
        view! { <div class="review-links">{links}</div> }
    });
    view! {
        <section class="card">
            <h2>"Per account and Region"</h2>
            <div class="table-wrap">
                <table class="data compact">
                    <thead><tr>
                        <th>"Account / Region"</th><th>"WorkSpaces"</th><th>"Read"</th>
                        <th>"To ALWAYS_ON"</th><th>"To AUTO_STOP"</th><th>"Unused"</th>
                        {priced.then(|| view! { <th>"Saving a month"</th> })}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {reviews}
        </section>
    }
}

/// A column heading that sorts the view by `column`.
fn sort_header(current: &CostQuery, column: CostSort, label: &'static str) -> AnyView {
    let mut next = current.clone();
    next.sort = column.slug().to_string();
    next.page = 0;
    let href = format!("/cost?{}", next.to_query_string());
    if column == CostSort::from_slug(&current.sort) {
        let (order, arrow) = match column {
            CostSort::Hours | CostSort::MonthToDate | CostSort::Saving => ("descending", " ↓"),
            _ => ("ascending", " ↑"),
        };
        view! { <th aria-sort=order><a href=href>{label}{arrow}</a></th> }.into_any()
    } else {
        view! { <th><a href=href>{label}</a></th> }.into_any()
    }
}

/// One WorkSpace's line.
fn cost_line(row: CostRow, currency: Option<String>, admin: bool) -> impl IntoView {
    let recommendation = match &row.verdict.recommended_mode {
        Some(mode) => {
            view! { <span class="badge badge-busy">{format!("→ {mode}")}</span> }.into_any()
        }
        None => view! { <span class="muted">"keep"</span> }.into_any(),
    };
    let unused = row
        .unused
        .clone()
        .map(|why| view! { <div class="warning-text">{format!("Unused: {why}")}</div> });
    let last = row
        .last_connection
        .as_deref()
        .map_or("—".to_string(), |at| {
            at.get(..10).unwrap_or(at).to_string()
        });
    let usage = row.usage.clone();
    let limit = row
        .limit_hours
        .map(|limit| format!("limit {limit:.0} h"))
        .unwrap_or_default();
    view! {
        <tr>
            {admin.then(|| view! {
                <td><input type="checkbox" name="ids" value=row.workspace_id.clone() aria-label=format!("Select {}", row.workspace_id)/></td>
            })}
            <td class="mono"><a href=format!("/workspaces/{}", row.workspace_id)>{row.workspace_id.clone()}</a></td>
            <td>{row.user_name.clone()}<div class="muted small">{place_name(&row.account, &row.region)}</div></td>
            <td>{row.running_mode.clone()}<div class="muted small">{row.compute_type.clone()}</div></td>
            <td class="num">{hours(usage.as_ref().map(|u| u.billable_hours_30d))}<div class="muted small">{limit}</div></td>
            <td class="num">{hours(usage.as_ref().map(|u| u.billable_hours_mtd))}</td>
            <td class="cost-why">{recommendation}" "<span class="small">{row.verdict.reason.clone()}</span>{unused}</td>
            <td>{last}</td>
            {currency.map(|c| view! { <td class="num">{money(row.monthly_saving, &c)}</td> })}
        </tr>
    }
}

#[component]
fn CostResults(page: Page, query: Memo<CostQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let admin = Resource::new(|| (), |_| async { crate::session::current_role().await });
    let note = readings_note(&page);
    let span = PageSpan::new(
        query.get_untracked().page,
        COST_PAGE_ROWS,
        page.rows.len(),
        page.total,
    );
    let page_href =
        move |n: usize| format!("/cost?{}&page={n}", query.get_untracked().to_query_string());
    let page = StoredValue::new(page);
    let body = move || {
        let current = current.clone();
        Suspend::new(async move {
            let admin = admin.await == Some(Role::Admin);
            let page = page.get_value();
            let header = |column, label| sort_header(&current, column, label);
            if page.rows.is_empty() {
                return view! {
                    {totals_card(&page, admin)}
                    <div class="empty"><p>"No WorkSpace matches these filters."</p></div>
                }
                .into_any();
            }
            let currency = page.currency.clone();
            let lines = page
                .rows
                .iter()
                .cloned()
                .map(|row| cost_line(row, currency.clone(), admin))
                .collect_view();
            let switch_buttons = admin.then(|| view! {
                <div class="bulk-bar">
                    <span>"Checked WorkSpaces:"</span>
                    <button type="submit" name="running_mode" value="AUTO_STOP">"Review switching to AUTO_STOP"</button>
                    <button type="submit" name="running_mode" value="ALWAYS_ON">"Review switching to ALWAYS_ON"</button>
                </div>
            });
            view! {
                {totals_card(&page, admin)}
                <p class="result-count">{span.count("WorkSpaces")}</p>
                <form method="get" action="/bulk" class="stack">
                    <input type="hidden" name="action" value="modify"/>
                    <div class="table-wrap">
                        <table class="data cost-table">
                            <thead><tr>
                                {admin.then(|| view! { <th><span class="sr-only">"Select"</span></th> })}
                                {header(CostSort::Workspace, "WorkSpace")}
                                {header(CostSort::User, "User / Region")}
                                <th>"Mode / compute"</th>
                                {header(CostSort::Hours, "Billable, 30 days")}
                                {header(CostSort::MonthToDate, "Month to date")}
                                <th>"Recommendation and why"</th>
                                {header(CostSort::LastConnection, "Last connection")}
                                {page.currency.is_some().then(|| header(CostSort::Saving, "Saving a month"))}
                            </tr></thead>
                            <tbody>{lines}</tbody>
                        </table>
                    </div>
                    {switch_buttons}
                </form>
                <Pager span href=page_href label=PagerLabel::Page/>
            }
            .into_any()
        })
    };
    view! {
        {note}
        <Transition fallback=|| ()>{body}</Transition>
    }
}
