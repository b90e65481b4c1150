//! The audit page (`/audit`): every change made through Fleetdesk — who, when, from
//! where, what, why, and what AWS answered per WorkSpace — with filters, paging, CSV
//! export and the state of the tamper-evident hash chain.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::audit::list_audit;
use crate::components::loaded::Loaded;
use crate::components::pager::{PageSpan, Pager};
use crate::components::place_options::AccountMenu;
use crate::components::sync_bar::short_time;
use crate::model::{AUDIT_PAGE_SIZE, AuditPage as Page, AuditQuery};

fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "succeeded" => "badge badge-ok",
        "partial" | "pending" | "skipped" => "badge badge-busy",
        _ => "badge badge-bad",
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| AuditQuery::from_params(|key| p.get(key))));
    let audit = Resource::new(move || query.get(), list_audit);
    let current = query.get_untracked();
    let account_menu = move || {
        Suspend::new(async move {
            let accounts = audit.await.map(|page| page.accounts).unwrap_or_default();
            view! { <AccountMenu accounts chosen=query.get_untracked().account/> }
        })
    };
    view! {
        <Title text="Audit"/>
        <div class="page-head">
            <h1>"Audit log"</h1>
            <a class="button-secondary" href=move || format!("/audit.csv?{}", query.get().to_query_string()) download="audit.csv">"Export CSV"</a>
        </div>
        <Form method="GET" action="/audit" attr:class="filters">
            <div class="filter-row">
                <label class="filter"><span>"Actor"</span><input type="text" name="actor" value=current.actor/></label>
                <label class="filter"><span>"Action"</span><input type="text" name="action" placeholder="workspace.reboot" value=current.action/></label>
                <label class="filter"><span>"WorkSpace"</span><input type="text" name="target" placeholder="ws-…" value=current.target/></label>
                <label class="filter">
                    <span>"Outcome"</span>
                    <select name="outcome">
                        {["", "succeeded", "partial", "failed", "pending", "interrupted"].into_iter().map(|o| {
                            view! { <option value=o selected=current.outcome == o>{if o.is_empty() { "All" } else { o }}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="filter"><span>"From"</span><input type="date" name="from" value=current.from/></label>
                <label class="filter"><span>"To"</span><input type="date" name="to" value=current.to/></label>
                <Transition fallback=|| ()>{account_menu}</Transition>
                <button type="submit">"Filter"</button>
            </div>
        </Form>
        <Loaded resource=audit render=move |page| view! { <AuditResults page query/> }/>
    }
}

#[component]
fn AuditResults(page: Page, query: Memo<AuditQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let chain = match &page.chain_problem {
        None => view! { <p class="chain-ok">"Hash chain verifies (" {page.chain_entries} " entries)."</p> }.into_any(),
        Some(problem) => view! {
            <div class="error-box" role="alert"><strong>"The audit log does not verify: " {problem.clone()}</strong>
            <p>"An entry was changed or removed outside Fleetdesk. Run fleetdesk audit verify and compare with a backup."</p></div>
        }.into_any(),
    };
    let span = PageSpan::new(
        current.page,
        AUDIT_PAGE_SIZE,
        page.entries.len(),
        page.total,
    );
    let href = move |number: usize| {
        let mut other = current.clone();
        other.page = number;
        format!("/audit?{}", other.to_query_string())
    };
    view! {
        {chain}
        {if page.entries.is_empty() {
            view! { <div class="empty"><p>"No audit entry matches."</p></div> }.into_any()
        } else {
            view! {
                <p class="result-count">{span.count("entries")}</p>
                <div class="table-wrap">
                    <table class="data audit">
                        <thead>
                            <tr><th>"When"</th><th>"Who"</th><th>"Action"</th><th>"Reason"</th><th>"Outcome"</th><th>"Targets"</th><th>"From"</th></tr>
                        </thead>
                        <tbody>
                            {page.entries.into_iter().map(|entry| view! {
                                <tr>
                                    <td class="mono">{short_time(&entry.at)}</td>
                                    <td><span class="strong">{entry.actor_name}</span> " " <span class="muted">{entry.actor_role}</span></td>
                                    <td class="mono">{entry.action}</td>
                                    <td>{entry.reason}</td>
                                    <td><span class=outcome_class(&entry.outcome)>{entry.outcome.clone()}</span> " " <span class="muted">{entry.detail}</span></td>
                                    <td>
                                        {entry.targets.into_iter().map(|t| view! {
                                            <div class="target-line">
                                                <a class="mono" href=format!("/workspaces/{}", t.target)>{t.target.clone()}</a>
                                                " " <span class=outcome_class(&t.outcome)>{t.outcome.clone()}</span>
                                                " " <span class="muted">{t.error}</span>
                                            </div>
                                        }).collect_view()}
                                    </td>
                                    <td class="muted">{entry.client_addr}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager span href previous_text="← Newer" next_text="Older →"/>
            }.into_any()
        }}
    }
}
