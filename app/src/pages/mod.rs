//! One module per route.

pub mod account;
pub mod applications;
pub mod audit;
pub mod bulk;
pub mod connection_aliases;
pub mod connections;
pub mod cost;
pub mod directories;
pub mod fleet;
pub mod health;
pub mod images;
pub mod ip_groups;
pub mod login;
pub mod not_found;
pub mod provision;
pub mod rule_review;
pub mod tags;
pub mod users;
pub mod workspace;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The title of a page about the route's `id` ("WorkSpace ws-…"). The server reads the
/// title after the page has rendered, when the page's signals may already be disposed
/// (a panic under load): then it falls back to the id the page started with.
fn id_title(
    params: Memo<ParamsMap>,
    prefix: &'static str,
) -> impl Fn() -> String + Send + Sync + Clone + 'static {
    let first_id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    move || {
        let id = params.try_with(|p| p.get("id").unwrap_or_default());
        format!("{prefix} {}", id.unwrap_or_else(|| first_id.clone()))
    }
}
