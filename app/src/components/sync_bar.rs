//! The freshness bar above the cached pages: when the inventory was last synced, what a
//! running sync is doing, which parts are stale and why, and a Refresh button.

use leptos::prelude::*;

use crate::api::fleet::{RequestSync, get_sync_overview};
use crate::islands::sync_progress::SyncProgress;
use crate::model::{Role, SyncOverview, SyncStatus, SyncStep};

/// Shows a stored RFC 3339 time as `2026-11-23 18:20:11 UTC`.
pub fn short_time(time: &str) -> String {
    let trimmed = time.trim_end_matches('Z');
    let without_fraction = trimmed.split('.').next().unwrap_or(trimmed);
    format!("{} UTC", without_fraction.replace('T', " "))
}

/// The bar: the summary (followed while a sync runs, see
/// [`crate::islands::sync_progress`]) and, for the help desk, the Refresh button.
#[component]
pub fn SyncBar() -> impl IntoView {
    let request = ServerAction::<RequestSync>::new();
    let overview = Resource::new(|| (), |_| get_sync_overview());
    view! {
        <div class="sync-bar" role="status">
            <Suspense fallback=|| view! { <span class="muted">"Checking the inventory…"</span> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <SyncProgress overview/> }.into_any(),
                        Err(error) => view! { <span class="error-text">{error.to_string()}</span> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let may_refresh = crate::session::current_role().await >= Some(Role::Helpdesk);
                    may_refresh.then(|| view! {
                        <ActionForm action=request attr:class="sync-refresh">
                            <button type="submit" class="button-secondary">"Refresh now"</button>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </div>
    }
}

/// What the inventory holds and how fresh it is, or what the running sync is doing.
#[component]
pub fn SyncSummary(current: SyncOverview) -> impl IntoView {
    let stale: Vec<SyncStatus> = current
        .statuses
        .iter()
        .filter(|s| s.last_error.is_some())
        .cloned()
        .collect();
    let last_success = current
        .statuses
        .iter()
        .filter(|s| s.resource == SyncStep::Workspaces.as_str())
        .filter_map(|s| s.last_success_at.clone())
        .min();
    let headline = if current.progress.running {
        let steps: Vec<String> = current
            .progress
            .regions
            .iter()
            .map(|r| {
                let place = crate::model::place_name(&r.account, &r.region);
                if r.done {
                    format!("{place}: done")
                } else {
                    format!("{place}: {} ({} pages, {} items)", r.step, r.pages, r.items)
                }
            })
            .collect();
        view! { <span class="sync-running">"Syncing… " {steps.join(" · ")}</span> }.into_any()
    } else {
        match last_success {
            Some(time) => view! {
                <span>"Inventory of " {current.regions.join(", ")} " as of " {short_time(&time)}</span>
            }
                .into_any(),
            None => view! {
                <span>"The inventory has not been synced yet. The first sync starts with the server; it can take a few minutes for a large fleet."</span>
            }
                .into_any(),
        }
    };
    view! {
        {headline}
        {(!stale.is_empty())
            .then(|| {
                view! {
                    <ul class="stale-list">
                        {stale
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <li>
                                        <strong>{format!("{} {}", crate::model::place_name(&s.account, &s.region), s.resource)}</strong>
                                        " is stale"
                                        {s.last_success_at.map(|t| format!(" (last good {})", short_time(&t)))}
                                        ": "
                                        {s.last_error}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
    }
}
