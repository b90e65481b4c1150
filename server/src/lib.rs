//! The Fleetdesk server: configuration, database, the AWS SDK adapter, demo mode and
//! the HTTP router. `main.rs` is only the command line on top of this library, so tests
//! can build the same router without a socket.

pub mod accounts;
pub mod allocator;
pub mod audit_anchor;
pub mod audit_key;
pub mod aws_sdk;
pub mod cloudwatch_sdk;
pub mod commands;
pub mod config;
pub mod db;
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
pub mod listener;
pub mod router;
pub mod sdk_error;
pub mod sso;
pub mod static_files;
