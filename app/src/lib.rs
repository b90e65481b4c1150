//! Fleetdesk's application: pages, components, server functions and shared types.
//!
//! Compiled twice: with `ssr` into the server, with `hydrate` into the browser's wasm.
//! Everything under [`server`] exists only in the server build.

// Leptos views are deeply nested types; the release wasm build of the images page needs
// more than the default query depth of 128.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod cidr;
pub mod components;
pub mod error;
pub mod islands;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod session;
