//! The browser entry point: hydrates the islands of the server-rendered page (see
//! `app::islands`); the rest of the page stays as the server sent it.

use wasm_bindgen::prelude::wasm_bindgen;

// The islands are exported by the `app` crate; linking it is all this crate does.
use app as _;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
