//! The account page (`/account`): per configured Region, whether bring your own license
//! (BYOL, dedicated tenancy) is on and with which management range, every modification
//! of it with its state and error, and a search for the management ranges AWS offers.
//! Admins enable BYOL with an offered range; a pending modification is followed until it
//! settles. Everything is read from AWS when the page loads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::account::{EnableByol, get_account};
use crate::components::loaded::Loaded;
use crate::components::sent_report::ChangeOutcome;
use crate::components::sync_bar::short_time;
use crate::islands::follow_byol::FollowByol;
use crate::model::{AccountView, CidrSearch, RegionAccount};

#[component]
pub fn AccountPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        query.with(|q| {
            (
                q.get("region").unwrap_or_default(),
                q.get("cidr").unwrap_or_default(),
            )
        })
    };
    let enable = ServerAction::<EnableByol>::new();
    let account = Resource::new(
        move || (search(), enable.version().get()),
        |((region, cidr), _)| get_account(region, cidr),
    );
    view! {
        <Title text="Account"/>
        <div class="page-head"><h1>"Account: bring your own license"</h1></div>
        <p class="muted">"BYOL runs WorkSpaces from your own Windows licences on hardware dedicated to this account. It needs a /16 management network range that AWS offers and that does not overlap your network."</p>
        <ChangeOutcome error=enable.value().get_untracked().and_then(Result::err)/>
        <Loaded resource=account render=move |view| view! { <Regions view enable/> }/>
    }
}

#[component]
fn Regions(view: AccountView, enable: ServerAction<EnableByol>) -> impl IntoView {
    let can_edit = view.can_edit;
    // Follow a pending modification until AWS completes or fails it.
    let pending = view.regions.iter().any(RegionAccount::has_pending);
    view! {
        {pending.then(|| view! { <FollowByol/> })}
        {view.regions
            .into_iter()
            .map(|region| view! { <RegionCard region can_edit enable/> })
            .collect_view()}
    }
}

#[component]
fn RegionCard(
    region: RegionAccount,
    can_edit: bool,
    enable: ServerAction<EnableByol>,
) -> impl IntoView {
    // Forms name the card's account and Region as one value (see `place_value`).
    let name = crate::model::place_value(&region.aws_account, &region.region);
    let title = crate::model::place_name(&region.aws_account, &region.region);
    let status = match &region.account {
        Some(account) => {
            let on = account.dedicated_tenancy_support.as_deref() == Some("ENABLED");
            view! {
                <span class=if on { "badge badge-ok" } else { "badge badge-off" }>
                    {if on { "BYOL enabled" } else { "BYOL disabled" }}
                </span>
                {account.management_cidr.clone().map(|cidr| view! { " " <span class="muted">"management range "</span> <span class="mono">{cidr}</span> })}
            }
            .into_any()
        }
        None => view! { <span class="error-text">{region.account_error.clone()}</span> }.into_any(),
    };
    let searched = region
        .cidr_search
        .as_ref()
        .map(|s| s.constraint.clone())
        .unwrap_or_default();
    view! {
        <section class="card" data-region=name.clone()>
            <div class="card-head">
                <h2>{title.clone()}</h2>
                {status}
            </div>
            <h3>"Modifications"</h3>
            <Modifications region=region.clone()/>
            <h3>"Management ranges"</h3>
            <form method="get" action="/account" class="inline-form">
                <input type="hidden" name="region" value=name.clone()/>
                <label class="filter">
                    <span>"Search within"</span>
                    <input type="text" name="cidr" value=searched placeholder="10.0.0.0/8" aria-label=format!("Range to search in {title}")/>
                </label>
                <button type="submit" class="button-secondary">"Find available /16 ranges"</button>
            </form>
            {region.cidr_search.map(|search| view! { <Ranges region=name.clone() search can_edit enable/> })}
        </section>
    }
}

#[component]
fn Modifications(region: RegionAccount) -> impl IntoView {
    if let Some(error) = region.modifications_error {
        return view! { <p class="error-text">{error}</p> }.into_any();
    }
    if region.modifications.is_empty() {
        return view! { <p class="muted">"No BYOL modification in this Region."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
        <table class="data compact">
            <thead><tr><th>"Started"</th><th>"State"</th><th>"BYOL"</th><th>"Management range"</th><th>"Error"</th></tr></thead>
            <tbody>
                {region.modifications.into_iter().map(|m| {
                    let tone = match m.state.as_deref() {
                        Some("COMPLETED") => "badge badge-ok",
                        Some("FAILED") => "badge badge-bad",
                        _ => "badge badge-busy",
                    };
                    let error = match (m.error_code, m.error_message) {
                        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                        (code, message) => code.or(message),
                    };
                    view! {
                        <tr>
                            <td class="nowrap">{m.start_time.as_deref().map(short_time)}</td>
                            <td><span class=tone>{m.state}</span></td>
                            <td>{m.dedicated_tenancy_support}</td>
                            <td class="mono">{m.management_cidr}</td>
                            <td class="wrap-cell">{error}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

/// The ranges a search found; admins pick one to enable BYOL with.
#[component]
fn Ranges(
    region: String,
    search: CidrSearch,
    can_edit: bool,
    enable: ServerAction<EnableByol>,
) -> impl IntoView {
    if let Some(error) = search.error {
        return view! {
            <div class="error-box" role="alert">
                <strong>"AWS did not list management ranges"</strong>
                <p>{error}</p>
                <p>"AWS answers AccessDenied until it has enabled the account for BYOL; ask AWS Support first."</p>
            </div>
        }
        .into_any();
    }
    if search.ranges.is_empty() {
        return view! { <p class="muted">{format!("AWS offers no /16 within {}.", search.constraint)}</p> }.into_any();
    }
    let note = format!(
        "{} ranges within {}{}",
        search.ranges.len(),
        search.constraint,
        if search.truncated {
            " (the first ones; search a smaller range for others)"
        } else {
            ""
        }
    );
    if !can_edit {
        return view! {
            <p class="small muted">{note}</p>
            <ul class="range-list mono">{search.ranges.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
        }
        .into_any();
    }
    view! {
        <ActionForm action=enable attr:class="stack">
            <input type="hidden" name="region" value=region/>
            <p class="small muted">{note}</p>
            <div class="range-list">
                {search.ranges.into_iter().map(|range| view! {
                    <label class="check mono"><input type="radio" name="management_cidr" value=range.clone() required/>{range.clone()}</label>
                }).collect_view()}
            </div>
            <label>
                <span>"Reason or ticket"</span>
                <input type="text" name="reason" required placeholder="CHG-2024: BYOL for Windows 10 images"/>
            </label>
            <button type="submit">"Enable BYOL with this range"</button>
        </ActionForm>
    }
    .into_any()
}
