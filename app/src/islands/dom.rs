//! Small DOM helpers for the islands: finding elements, reading form fields, the browser's
//! storage and fetching a page. Browser only: the server never calls them.

use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

/// The first element of the document matching `selector`.
pub fn find(selector: &str) -> Option<Element> {
    leptos::prelude::document()
        .query_selector(selector)
        .ok()
        .flatten()
}

/// Every element under `root` matching `selector`, in document order.
pub fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

/// The first element under `root` matching `selector`.
pub fn find_in(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The element an event happened on.
pub fn target(ev: &Event) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()
}

/// `element` as an `<input>`, if it is one.
pub fn as_input(element: &Element) -> Option<HtmlInputElement> {
    element.clone().dyn_into::<HtmlInputElement>().ok()
}

/// The value of the form field named `name` under `form` (an input or a menu), if any.
pub fn field_value(form: &Element, name: &str) -> Option<String> {
    let field = find_in(form, &format!("[name=\"{name}\"]"))?;
    if let Some(input) = as_input(&field) {
        return Some(input.value());
    }
    field
        .dyn_into::<HtmlSelectElement>()
        .ok()
        .map(|select| select.value())
}

/// Shows or hides `element` (its `hidden` attribute).
pub fn set_hidden(element: &Element, hidden: bool) {
    let _ = element.toggle_attribute_with_force("hidden", hidden);
}

/// Sets or removes `element`'s `disabled` attribute.
pub fn set_disabled(element: &Element, disabled: bool) {
    let _ = element.toggle_attribute_with_force("disabled", disabled);
}

/// Where an island keeps what it remembers in the browser.
#[derive(Clone, Copy)]
pub enum Store {
    /// The tab's session storage: kept across the tab's page loads, gone with the tab.
    Session,
    /// The browser's local storage: kept across visits.
    Local,
}

impl Store {
    fn storage(self) -> Option<leptos::web_sys::Storage> {
        let window = leptos::prelude::window();
        match self {
            Store::Session => window.session_storage(),
            Store::Local => window.local_storage(),
        }
        .ok()
        .flatten()
    }

    /// The value stored under `key`.
    pub fn get(self, key: &str) -> Option<String> {
        self.storage()?.get_item(key).ok().flatten()
    }

    /// Stores `value` under `key` (nothing when the browser keeps no storage).
    pub fn set(self, key: &str, value: &str) {
        if let Some(storage) = self.storage() {
            let _ = storage.set_item(key, value);
        }
    }

    /// Removes `key`.
    pub fn remove(self, key: &str) {
        if let Some(storage) = self.storage() {
            let _ = storage.remove_item(key);
        }
    }
}

/// The HTML of the page at `url` (same origin, with the session cookie), parsed; `None`
/// when the request or the parsing failed.
pub async fn fetch_page(url: &str) -> Option<leptos::web_sys::Document> {
    use leptos::wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;
    let response: leptos::web_sys::Response =
        JsFuture::from(leptos::prelude::window().fetch_with_str(url))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    if !response.ok() {
        return None;
    }
    let text: JsValue = JsFuture::from(response.text().ok()?).await.ok()?;
    leptos::web_sys::DomParser::new()
        .ok()?
        .parse_from_string(&text.as_string()?, leptos::web_sys::SupportedType::TextHtml)
        .ok()
}
