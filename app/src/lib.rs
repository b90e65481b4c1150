//! Fleetdesk's application: pages, components, server functions and shared types.
//!
//! Compiled twice: with `ssr` into the server, with `hydrate` into the browser's wasm.
//! Everything under [`server`] exists only in the server build.

pub mod api;
pub mod app;
pub mod cidr;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
