//! The interactive parts of the pages: the only components shipped to the browser.
//!
//! Fleetdesk runs in Leptos' islands mode. The server renders every page, and every page
//! works as plain HTML: links, GET forms for filters, form posts for changes (the no-JS
//! Playwright project proves it). The components here (`#[island]`) are the exceptions:
//! only they are compiled into the wasm and hydrated in the browser, where they add what
//! plain HTML cannot do. Most of them work on the server-rendered HTML they wrap (their
//! `children`) through the DOM, so the pages' views stay out of the wasm and the first
//! load stays small (docs/performance.md).
//!
//! Their effects and event handlers run only in the browser; so do the helpers in
//! [`dom`], which the server build compiles but never calls.

pub mod columns;
pub mod dom;
pub mod fleet_live;
pub mod follow_byol;
pub mod follow_state;
pub mod hydrated_mark;
pub mod provision_form;
pub mod selection;
pub mod send_once;
pub mod sync_progress;
