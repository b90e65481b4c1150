//! A coloured badge for a WorkSpace state.

use leptos::prelude::*;

use crate::model::WorkspaceState;

/// Shows the state in the API's spelling, coloured by what it means for the user.
#[component]
pub fn StateBadge(state: WorkspaceState) -> impl IntoView {
    let class = format!("badge badge-{}", state.tone());
    view! { <span class=class>{state.to_string()}</span> }
}
