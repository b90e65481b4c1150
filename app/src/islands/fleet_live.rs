//! The fleet page in the browser: the filters apply while the user types or chooses,
//! the bulk selection (see [`super::selection`]) is shown and kept, and the columns the
//! user hid (see [`super::columns`]) stay hidden.
//!
//! A filter change puts the new query in the URL (a menu adds a history entry, typing
//! replaces it), fetches that fleet page from the server and swaps its results
//! (`#fleet-results`: counts, table, pager) into this one, so the search box keeps the
//! focus and what is being typed. Without JavaScript the filter form is a plain GET form
//! (its Search button applies it) and each page's bulk form sends its checked rows.

use std::time::Duration;

use leptos::prelude::*;
use leptos::web_sys::{Element, Event, MouseEvent, SubmitEvent};

use super::{columns, dom, selection};
use crate::model::FleetQuery;

/// How long typing pauses before the search applies.
const TYPING_PAUSE: Duration = Duration::from_millis(250);

/// Wraps the fleet page's filter form and results (`children`).
#[island]
pub fn FleetLive(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    // Counts keystrokes (a search applies once typing pauses) and fetches (only the
    // newest answer is shown).
    let typed = StoredValue::new(0u32);
    let fetched = StoredValue::new(0u32);
    // The query string the shown results belong to.
    let shown = StoredValue::new(String::new());
    let element = move || root.get_untracked().map(Element::from);

    Effect::new(move |_| {
        if let Some(root) = root.get() {
            selection::show(&root);
            columns::show(&root);
        }
    });
    // The page shows what the URL says: after going back to a filter's history entry,
    // load that page (not after a jump to an anchor, such as the skip link's).
    Effect::new(move |_| {
        shown.set_value(current_search());
        window_event_listener(leptos::ev::popstate, move |_| {
            if current_search() != shown.get_value() {
                let _ = window().location().reload();
            }
        })
    });

    let in_filters = |target: &Element| target.closest("form.filters").ok().flatten().is_some();
    let on_input = move |ev: Event| {
        let (Some(root), Some(target)) = (element(), dom::target(&ev)) else {
            return;
        };
        if in_filters(&target) && target.get_attribute("type").as_deref() == Some("search") {
            typed.update_value(|n| *n += 1);
            let mine = typed.get_value();
            set_timeout(
                move || {
                    if typed.get_value() == mine {
                        apply(&root, fetched, shown, false);
                    }
                },
                TYPING_PAUSE,
            );
        }
    };
    let on_change = move |ev: Event| {
        let (Some(root), Some(target)) = (element(), dom::target(&ev)) else {
            return;
        };
        if in_filters(&target) {
            // The search box applies as it is typed; its change (on leaving it) is no news.
            if target.get_attribute("type").as_deref() != Some("search") {
                apply(&root, fetched, shown, true);
            }
        } else if !selection::on_change(&root, &target) {
            columns::on_change(&root, &target);
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        let (Some(root), Some(target)) = (element(), dom::target(&ev)) else {
            return;
        };
        if target.matches("form.filters").unwrap_or(false) {
            ev.prevent_default();
            apply(&root, fetched, shown, false);
        }
    };
    let on_click = move |ev: MouseEvent| {
        let (Some(root), Some(target)) = (element(), dom::target(&ev)) else {
            return;
        };
        if target.closest(".clear-selection").ok().flatten().is_some() {
            selection::clear(&root);
        } else if target.closest(".select-matching").ok().flatten().is_some() {
            selection::select_matching(&root);
        }
    };

    view! {
        <div node_ref=root on:input=on_input on:change=on_change on:submit=on_submit on:click=on_click>
            {children()}
        </div>
    }
}

/// Applies the filter form under `root`: the URL, the export link, then the results of
/// the new query fetched from the server. `push` adds a history entry; `shown` keeps
/// the query string the page now shows.
fn apply(root: &Element, fetched: StoredValue<u32>, shown: StoredValue<String>, push: bool) {
    let Some(form) = dom::find_in(root, "form.filters") else {
        return;
    };
    let query = FleetQuery::from_params(|key| dom::field_value(&form, key));
    let url = query.href();
    if let Ok(history) = window().history() {
        let null = leptos::wasm_bindgen::JsValue::NULL;
        let _ = if push {
            history.push_state_with_url(&null, "", Some(&url))
        } else {
            history.replace_state_with_url(&null, "", Some(&url))
        };
    }
    shown.set_value(current_search());
    if let Some(link) = dom::find("a.fleet-csv") {
        let _ = link.set_attribute("href", &query.csv_href());
    }
    fetched.update_value(|n| *n += 1);
    let mine = fetched.get_value();
    let root = root.clone();
    leptos::task::spawn_local(async move {
        let page = dom::fetch_page(&url).await;
        if fetched.get_value() != mine {
            return;
        }
        let fresh = page.and_then(|page| page.query_selector("#fleet-results").ok().flatten());
        match (fresh, dom::find_in(&root, "#fleet-results")) {
            (Some(fresh), Some(current)) => {
                current.set_inner_html(&fresh.inner_html());
                selection::show(&root);
                columns::show(&root);
            }
            // Not a fleet page (the session ended, …): let the browser open it.
            _ => {
                let _ = window().location().set_href(&url);
            }
        }
    });
}

/// The query string of the page's URL (`?…`, or empty).
fn current_search() -> String {
    window().location().search().unwrap_or_default()
}
