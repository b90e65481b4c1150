//! The fleet table's columns the user chose to hide, remembered in the browser's local
//! storage (for every later visit, on this browser). Without JavaScript every column is
//! shown and the table scrolls sideways in its box.
//!
//! The fleet page's markup this works on: `.column-chooser` (hidden until this runs)
//! with a checkbox per column whose value names it, and the table's header cells
//! `th[data-column]`; a column's cells are found by the position of its header.

use leptos::web_sys::Element;

use super::dom::{self, Store};

/// The local storage key of the hidden columns (a JSON list of column names).
const KEY: &str = "fleetdesk.hidden-columns";

fn hidden() -> Vec<String> {
    Store::Local
        .get(KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Handles a change of a column's box under `root`. Returns whether it was one.
pub fn on_change(root: &Element, changed: &Element) -> bool {
    let Some(input) = dom::as_input(changed) else {
        return false;
    };
    if changed.closest(".column-chooser").ok().flatten().is_none() {
        return false;
    }
    let column = input.value();
    let mut hidden = hidden();
    hidden.retain(|c| *c != column);
    if !input.checked() {
        hidden.push(column);
    }
    if let Ok(text) = serde_json::to_string(&hidden) {
        Store::Local.set(KEY, &text);
    }
    show(root);
    true
}

/// Shows the chooser and hides the chosen columns of the table under `root`.
pub fn show(root: &Element) {
    let hidden = hidden();
    if let Some(chooser) = dom::find_in(root, ".column-chooser") {
        dom::set_hidden(&chooser, false);
        for input in dom::find_all(&chooser, "input[type=checkbox]")
            .iter()
            .filter_map(dom::as_input)
        {
            let column = input.value();
            input.set_checked(!hidden.contains(&column));
            // Offered only where the table has it (Account: with several accounts).
            let present = dom::find_in(root, &format!("th[data-column=\"{column}\"]")).is_some();
            if let Some(label) = input.parent_element() {
                dom::set_hidden(&label, !present);
            }
        }
    }
    let headers = dom::find_all(root, "table.data thead th");
    for (index, header) in headers.iter().enumerate() {
        let Some(column) = header.get_attribute("data-column") else {
            continue;
        };
        let off = hidden.contains(&column);
        let cells = format!("table.data tr > :nth-child({})", index + 1);
        for cell in dom::find_all(root, &cells) {
            dom::set_hidden(&cell, off);
        }
    }
}
