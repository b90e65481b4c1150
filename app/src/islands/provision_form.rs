//! The New WorkSpaces form in the browser: the bundle menu narrows to the chosen
//! directory's Region, and a chosen CSV file is read into the CSV text area (the server
//! function takes URL-encoded text, not a multipart upload).
//!
//! Without JavaScript every Region's bundles are listed under their Region (the server
//! checks the pair), and the file field stays hidden: the CSV is pasted.
//!
//! The form's markup this works on: the directory menu `#new-directory` whose options
//! carry `data-region`, the bundle menu `#new-bundle` with one `<optgroup>` per Region,
//! the text area `#new-csv` and the hidden field box `.csv-file` with `#new-csv-file`.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

use super::dom;

/// Wraps the form's fields (`children`).
#[island]
pub fn ProvisionForm(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(root) = root.get() {
            narrow_bundles(&root);
            if let Some(field) = dom::find_in(&root, ".csv-file") {
                dom::set_hidden(&field, false);
            }
        }
    });
    let on_change = move |ev: Event| {
        let (Some(root), Some(target)) = (root.get_untracked(), dom::target(&ev)) else {
            return;
        };
        match target.id().as_str() {
            "new-directory" => narrow_bundles(&root),
            "new-csv-file" => read_csv(&target),
            _ => {}
        }
    };
    view! { <div node_ref=root on:change=on_change>{children()}</div> }
}

/// Shows only the bundles of the chosen directory's Region (all without a choice).
fn narrow_bundles(root: &Element) {
    let region = dom::find_in(root, "#new-directory")
        .and_then(|menu| menu.dyn_into::<HtmlSelectElement>().ok())
        .and_then(|menu| menu.selected_options().item(0))
        .and_then(|option| option.get_attribute("data-region"));
    for group in dom::find_all(root, "#new-bundle optgroup") {
        let other = region
            .as_deref()
            .is_some_and(|region| group.get_attribute("label").as_deref() != Some(region));
        dom::set_hidden(&group, other);
        dom::set_disabled(&group, other);
    }
}

/// Reads the file chosen in `input` into the CSV text area.
fn read_csv(input: &Element) {
    let file = input
        .clone()
        .dyn_into::<HtmlInputElement>()
        .ok()
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    let Some(file) = file else {
        return;
    };
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        let area = dom::find("#new-csv")
            .and_then(|area| area.dyn_into::<leptos::web_sys::HtmlTextAreaElement>().ok());
        if let (Ok(text), Some(area)) = (text, area) {
            area.set_value(&text.as_string().unwrap_or_default());
        }
    });
}
