//! A destructive change behind a second click: the danger button opens a warning that
//! holds the real form, so a stray click deletes nothing. Plain `<details>`, so it works
//! without JavaScript too.

use leptos::prelude::*;

#[component]
pub fn Confirm(label: &'static str, warning: String, children: Children) -> impl IntoView {
    view! {
        <details class="confirm-danger">
            <summary class="button-danger">{label}</summary>
            <div class="confirm-box" role="group" aria-label=label>
                <p>{warning}</p>
                {children()}
            </div>
        </details>
    }
}
