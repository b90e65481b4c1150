//! SQL only, one file per table group. Services call these; nothing else writes SQL.

pub mod audit;
pub mod inventory;
pub mod provision;
pub mod usage;
pub mod users;
