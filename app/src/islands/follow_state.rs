//! A WorkSpace in a transitional state (REBOOTING, STARTING, …) followed until it
//! settles: the page asks the server for its cached state every three seconds and loads itself again once
//! the state changed, so the badge, the actions and the timeline show where it went.
//! Without JavaScript the note tells the user to reload.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::fleet::get_workspace_state;
use crate::model::WorkspaceState;

/// How often the WorkSpace's state is asked about.
const POLL: Duration = Duration::from_secs(3);

/// `state` is the state the page shows for WorkSpace `id`.
#[island]
pub fn FollowState(id: String, state: WorkspaceState) -> impl IntoView {
    let live = RwSignal::new(false);
    let shown = state.clone();
    let ask = move || {
        let (id, shown) = (id.clone(), shown.clone());
        leptos::task::spawn_local(async move {
            match get_workspace_state(id).await {
                // Reloading would close an action form being filled in: wait for it.
                Ok(now) if now != shown && !form_open() => {
                    let _ = window().location().reload();
                }
                _ => live.update(|n| *n = true),
            }
        })
    };
    Effect::new(move |_| {
        live.track();
        let ask = ask.clone();
        set_timeout(ask, POLL);
    });
    let text = move || {
        if live.get() {
            format!(
                "{}: this page follows it and shows where it goes.",
                state.as_api()
            )
        } else {
            format!("{}: reload the page to see where it goes.", state.as_api())
        }
    };
    view! { <p class="muted small follow-state" role="status">{text}</p> }
}

/// Whether an action's confirmation is open on the page.
fn form_open() -> bool {
    super::dom::find("details[open]").is_some()
}
