//! A BYOL modification in progress (PENDING) followed until AWS completes or fails it:
//! the account page asks the server every five seconds and loads itself again once no
//! modification is pending. Without JavaScript the note tells the user to reload.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::account::get_account;
use crate::model::RegionAccount;

/// How often the account is asked about.
const POLL: Duration = Duration::from_secs(5);

#[island]
pub fn FollowByol() -> impl IntoView {
    let live = RwSignal::new(false);
    let ask = move || {
        leptos::task::spawn_local(async move {
            match get_account(String::new(), String::new()).await {
                Ok(now) if !now.regions.iter().any(RegionAccount::has_pending) && !typing() => {
                    let _ = window().location().reload();
                }
                _ => live.update(|n| *n = true),
            }
        })
    };
    Effect::new(move |_| {
        live.track();
        set_timeout(ask, POLL);
    });
    let text = move || {
        if live.get() {
            "A modification is pending: this page follows it and shows how it ends."
        } else {
            "A modification is pending: reload the page to see how it ends."
        }
    };
    view! { <p class="muted small follow-state" role="status">{text}</p> }
}

/// Whether the user is typing in a field of the page (reloading would lose it).
fn typing() -> bool {
    super::dom::find("input:focus, textarea:focus, select:focus").is_some()
}
