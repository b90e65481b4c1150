//! Server functions, one file per area. Each is thin: it fetches the state and calls
//! one service in [`crate::server`].

pub mod account;
pub mod actions;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod connection_aliases;
pub mod connections;
pub mod cost;
pub mod directories;
pub mod fleet;
pub mod health;
pub mod images;
pub mod ip_groups;
pub mod provision;
pub mod tags;
pub mod users;
