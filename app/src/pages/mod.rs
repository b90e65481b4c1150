//! One module per route.

pub mod account;
pub mod applications;
pub mod audit;
pub mod bulk;
pub mod connection_aliases;
pub mod connections;
pub mod directories;
pub mod fleet;
pub mod images;
pub mod ip_groups;
pub mod login;
pub mod not_found;
pub mod provision;
pub mod rule_review;
pub mod tags;
pub mod users;
pub mod workspace;
