//! A change form sent once: the first submit goes out, its button says "Sending…" and
//! further presses do nothing while the page waits for the answer. The server refuses a
//! resent form anyway (its one-time token, `server::form_token`); this spares the user
//! the refusal. Without JavaScript the form posts as it is.

use leptos::prelude::*;
use leptos::web_sys::SubmitEvent;

use super::dom;

/// Wraps one or more change forms (`children`).
#[island]
pub fn SendOnce(children: Children) -> impl IntoView {
    let sent = StoredValue::new(false);
    let on_submit = move |ev: SubmitEvent| {
        if sent.get_value() {
            ev.prevent_default();
            return;
        }
        sent.set_value(true);
        if let Some(form) = dom::target(&ev) {
            for button in dom::find_all(&form, "button[type=submit]") {
                button.set_text_content(Some("Sending…"));
                let _ = button.set_attribute("aria-disabled", "true");
            }
        }
    };
    view! { <div class="send-once" on:submit=on_submit>{children()}</div> }
}
