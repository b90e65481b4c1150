//! The browser entry point: hydrates the server-rendered page with the wasm build of
//! the `app` crate.

// The hydrate build of the pages' view types is monomorphised in this crate, and the
// release profile's layout queries go deeper than the default limit of 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::app::App);
}
