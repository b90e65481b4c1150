//! Server-only code: state, the AWS boundary and the services behind the server
//! functions. Never compiled to wasm.

pub mod account;
pub mod actions;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod aws;
pub mod bundles;
pub mod caller;
pub mod changes;
pub mod chart;
pub mod cloudwatch;
pub mod connection_aliases;
pub mod connections;
pub mod cost;
pub mod csp;
pub mod directories;
pub mod export;
pub mod fleet;
pub mod form_token;
pub mod health;
pub mod images;
pub mod ip_groups;
pub mod metrics;
pub mod oidc;
pub mod plain_form;
pub mod provision;
pub mod rate_limit;
pub mod repo;
pub mod resources;
pub mod standby;
pub mod state;
pub mod sync;
pub mod tags;
pub mod users;
