//! The sync bar's summary in the browser: while a sync runs it asks the server again
//! every two seconds, so the bar counts the pages and items as they arrive and says when
//! the sync is done. Without JavaScript the bar shows what it was at load time.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::fleet::get_sync_overview;
use crate::components::sync_bar::SyncSummary;
use crate::model::SyncOverview;

/// How often a running sync is asked about.
const POLL: Duration = Duration::from_secs(2);

#[island]
pub fn SyncProgress(overview: SyncOverview) -> impl IntoView {
    let current = RwSignal::new(overview);
    Effect::new(move |_| {
        if current.with(|c| c.progress.running) {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(next) = get_sync_overview().await {
                            current.set(next);
                        }
                    })
                },
                POLL,
            );
        }
    });
    move || view! { <SyncSummary current=current.get()/> }
}
