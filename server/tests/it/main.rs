//! The server's integration tests, in one binary (each test binary links the whole AWS
//! SDK, so one binary builds and links much faster than one per file).

mod common;

mod accounts;
mod actions;
mod applications;
mod auth;
mod bundles;
mod byol;
mod connection_aliases;
mod cost;
mod cost_usage;
mod demo_seam;
mod directories;
mod faults;
mod fleet_query;
mod http;
mod images;
mod ip_groups;
mod lifecycle;
mod migrations;
mod nodes;
mod oidc_provider;
mod provision;
mod release_layout;
mod sdk_adapter;
mod session_health;
mod snapshots;
mod sso;
mod sync;
mod tag_listing;
mod users;
