//! Menus that name accounts: the options of a "where" menu in forms that create
//! something (one per configured account and Region, valued as
//! [`crate::model::place_value`] and labelled "prod eu-west-1", or just the Region
//! without accounts), and the Account filter of listings.

use leptos::prelude::*;

use crate::components::filter_menu::{FilterMenu, plain_options};
use crate::model::{place_name, split_place};

#[component]
pub fn PlaceOptions(places: Vec<String>) -> impl IntoView {
    places
        .into_iter()
        .map(|place| {
            let (account, region) = split_place(&place);
            let label = place_name(account, region);
            view! { <option value=place.clone()>{label}</option> }
        })
        .collect_view()
}

/// The Account filter of a listing's GET form (`account=`), when accounts are
/// configured: nothing when `accounts` is empty.
#[component]
pub fn AccountMenu(accounts: Vec<String>, chosen: String) -> impl IntoView {
    view! { <FilterMenu label="Account" name="account" options=plain_options(accounts) chosen/> }
}

/// The account named in the page's `?account=` (empty: every account).
pub fn chosen_account() -> String {
    leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get("account"))
        .unwrap_or_default()
}

/// The Account filter of a page that lists items (directories, images and bundles, IP
/// groups, aliases): a GET form to `path` whose menu offers the accounts of `places`
/// (see [`crate::model::place_value`]); nothing without accounts.
#[component]
pub fn AccountFilter(places: Vec<String>, path: &'static str) -> impl IntoView {
    let mut accounts: Vec<String> = Vec::new();
    for place in &places {
        let (account, _) = crate::model::split_place(place);
        if !account.is_empty() && !accounts.iter().any(|a| a == account) {
            accounts.push(account.to_string());
        }
    }
    (!accounts.is_empty()).then(|| {
        view! {
            <form method="get" action=path class="filters">
                <div class="filter-row">
                    <AccountMenu accounts chosen=chosen_account()/>
                    <button type="submit" class="button-secondary">"Show"</button>
                </div>
            </form>
        }
    })
}

/// An export link that carries the page's account filter.
pub fn export_href(path: &str) -> String {
    match chosen_account() {
        account if account.is_empty() => path.to_string(),
        account => format!(
            "{path}?account={}",
            crate::model::encode_query_value(&account)
        ),
    }
}
