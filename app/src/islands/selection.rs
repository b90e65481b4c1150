//! The fleet's bulk selection, by WorkSpace id (never by row position: the rows of the
//! next page or filter are other WorkSpaces).
//!
//! Kept in the tab's session storage, so it survives paging, searching, filtering and
//! the way to the bulk review and back; a sent bulk change forgets it
//! ([`ForgetSelection`]). Without JavaScript there is no selection beyond the page:
//! each page's form sends its checked rows, and the count, the clear button and the
//! "select the page" box stay hidden.
//!
//! The fleet page's markup this works on: row boxes `tbody input[name=ids]`, the header
//! box `.select-page`, the status `.selection-count`, the buttons `.clear-selection`,
//! `.select-matching` and `.bulk-review`, and `.selection-elsewhere`, which gets a hidden `ids` field for every
//! selected WorkSpace not on the page.

use leptos::prelude::*;
use leptos::web_sys::Element;

use super::dom::{self, Store};
use crate::api::fleet::get_matching_ids;
use crate::model::FleetQuery;

/// The session storage key of the selection (a JSON list of WorkSpace ids).
const KEY: &str = "fleetdesk.selection";

/// The selected WorkSpace ids, in the order they were checked.
pub fn load() -> Vec<String> {
    Store::Session
        .get(KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save(ids: &[String]) {
    match serde_json::to_string(ids) {
        Ok(text) if !ids.is_empty() => Store::Session.set(KEY, &text),
        _ => Store::Session.remove(KEY),
    }
}

/// Adds (`on`) or removes `ids` from the selection.
fn set(ids: &[String], on: bool) {
    let mut selected = load();
    for id in ids {
        let present = selected.contains(id);
        if on && !present {
            selected.push(id.clone());
        } else if !on && present {
            selected.retain(|s| s != id);
        }
    }
    save(&selected);
}

/// The row boxes under `root` and the WorkSpace id of each.
fn row_boxes(root: &Element) -> Vec<(leptos::web_sys::HtmlInputElement, String)> {
    dom::find_all(root, "tbody input[type=checkbox][name=ids]")
        .iter()
        .filter_map(dom::as_input)
        .map(|input| {
            let id = input.value();
            (input, id)
        })
        .collect()
}

/// Handles a change of a box under `root`: a row's box selects or deselects its
/// WorkSpace, the header box every WorkSpace of the page. Returns whether it was one.
pub fn on_change(root: &Element, changed: &Element) -> bool {
    let Some(input) = dom::as_input(changed) else {
        return false;
    };
    if input.class_list().contains("select-page") {
        let ids: Vec<String> = row_boxes(root).into_iter().map(|(_, id)| id).collect();
        set(&ids, input.checked());
    } else if input.name() == "ids" && input.type_() == "checkbox" {
        set(&[input.value()], input.checked());
    } else {
        return false;
    }
    show(root);
    true
}

/// Adds every WorkSpace matching the page's query (from the server, at most what one
/// review takes) to the selection and shows it.
pub fn select_matching(root: &Element) {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    let Ok(params) = leptos::web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    let query = FleetQuery::from_params(|key| params.get(key));
    let root = root.clone();
    leptos::task::spawn_local(async move {
        if let Ok(ids) = get_matching_ids(query).await {
            set(&ids, true);
            show(&root);
        }
    });
}

/// Forgets the whole selection and shows it.
pub fn clear(root: &Element) {
    save(&[]);
    show(root);
}

/// Shows the selection in the page under `root`: the row boxes, the header box, the
/// count, the clear and review buttons, and the hidden fields for the rest.
pub fn show(root: &Element) {
    let selected = load();
    let boxes = row_boxes(root);
    for (input, id) in &boxes {
        input.set_checked(selected.contains(id));
    }
    if let Some(header) = dom::find_in(root, ".select-page")
        .as_ref()
        .and_then(dom::as_input)
    {
        header.set_checked(!boxes.is_empty() && boxes.iter().all(|(input, _)| input.checked()));
        dom::set_hidden(&header, false);
    }
    if let Some(holder) = dom::find_in(root, ".selection-elsewhere") {
        holder.set_inner_html("");
        let document = leptos::prelude::document();
        for id in selected
            .iter()
            .filter(|id| !boxes.iter().any(|(_, on_page)| on_page == *id))
        {
            if let Ok(field) = document.create_element("input") {
                let _ = field.set_attribute("type", "hidden");
                let _ = field.set_attribute("name", "ids");
                let _ = field.set_attribute("value", id);
                let _ = holder.append_child(&field);
            }
        }
    }
    if let Some(count) = dom::find_in(root, ".selection-count") {
        count.set_text_content(Some(&count_text(selected.len())));
        dom::set_hidden(&count, false);
    }
    if let Some(button) = dom::find_in(root, ".select-matching") {
        dom::set_hidden(&button, false);
    }
    if let Some(button) = dom::find_in(root, ".clear-selection") {
        dom::set_disabled(&button, selected.is_empty());
        dom::set_hidden(&button, false);
    }
    if let Some(button) = dom::find_in(root, ".bulk-review") {
        dom::set_disabled(&button, selected.is_empty());
    }
}

/// "Nothing selected", "1 WorkSpace selected", "3 WorkSpaces selected".
pub fn count_text(count: usize) -> String {
    match count {
        0 => "Nothing selected".to_string(),
        1 => "1 WorkSpace selected".to_string(),
        n => format!("{n} WorkSpaces selected"),
    }
}

/// Forgets the fleet's selection once the page is shown: on the page of a sent bulk
/// change, whose WorkSpaces are no longer to be acted on.
#[island]
pub fn ForgetSelection() -> impl IntoView {
    Effect::new(|_| save(&[]));
}

#[cfg(test)]
mod tests {
    use super::count_text;

    #[test]
    fn the_count_names_one_and_many() {
        assert_eq!(count_text(0), "Nothing selected");
        assert_eq!(count_text(1), "1 WorkSpace selected");
        assert_eq!(count_text(3), "3 WorkSpaces selected");
    }
}
