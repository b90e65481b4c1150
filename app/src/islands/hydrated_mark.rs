//! The sign that the page's islands are hydrated: the last island of the layout sets
//! `data-hydrated="true"` on it (islands hydrate in document order), which the browser
//! tests wait for.

use leptos::prelude::*;

use super::dom;

#[island]
pub fn HydratedMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(layout) = dom::find(".layout") {
            let _ = layout.set_attribute("data-hydrated", "true");
        }
    });
}
