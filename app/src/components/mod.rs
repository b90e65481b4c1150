//! Reusable views shared by the pages.

pub mod actions;
pub mod change_form;
pub mod confirm;
pub mod error_box;
pub mod filter_menu;
pub mod loaded;
pub mod pager;
pub mod place_options;
pub mod props;
pub mod sent_report;
pub mod session_health;
pub mod state_badge;
pub mod sync_bar;
