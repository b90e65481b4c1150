//! One module per route.

pub mod audit;
pub mod connections;
pub mod directories;
pub mod fleet;
pub mod images;
pub mod ip_groups;
pub mod not_found;
pub mod workspace;
