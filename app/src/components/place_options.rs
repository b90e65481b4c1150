//! Menus that name accounts: the options of a "where" menu in forms that create
//! something (one per configured account and Region, valued as
//! [`crate::model::place_value`] and labelled "prod eu-west-1", or just the Region
//! without accounts), and the Account filter of listings.

use leptos::prelude::*;

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
    (!accounts.is_empty()).then(|| {
        view! {
            <label class="filter inline">
                <span>"Account"</span>
                <select name="account">
                    <option value="" selected=chosen.is_empty()>"All"</option>
                    {accounts
                        .into_iter()
                        .map(|account| {
                            let selected = account == chosen;
                            view! { <option value=account.clone() selected=selected>{account.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    })
}
