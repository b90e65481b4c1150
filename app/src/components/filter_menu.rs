//! One filter of a listing's GET form: a labelled menu whose first choice is "All". It
//! works without JavaScript (the form's Apply button sends it); the listings whose
//! filters apply as they change (the fleet) keep their own.

use leptos::prelude::*;

/// A menu named `name` with `options` as (value, text), `chosen` selected; nothing when
/// there is nothing to choose.
#[component]
pub fn FilterMenu(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    (!options.is_empty()).then(|| {
        view! {
            <label class="filter inline">
                <span>{label}</span>
                <select name=name>
                    <option value="" selected=chosen.is_empty()>"All"</option>
                    {options
                        .into_iter()
                        .map(|(value, text)| {
                            let selected = value == chosen;
                            view! { <option value=value selected=selected>{text}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        }
        // One type for every menu, which keeps the pages' view types shallow enough for
        // the compiler's layout queries.
        .into_any()
    })
}

/// Options whose text is their value.
pub fn plain_options(values: Vec<String>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.clone(), v)).collect()
}
