//! The connection aliases page (`/connection-aliases`): the FQDNs used for cross-Region
//! redirection, per Region, with their associations with directories and the accounts
//! they are shared with. Admins create and delete aliases, associate them with a
//! directory of their Region and share them with other AWS accounts; every change is
//! audited.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::connection_aliases::{ChangeConnectionAlias, list_connection_aliases};
use crate::components::change_form::ChangeForm;
use crate::components::confirm::Confirm;
use crate::components::loaded::Loaded;
use crate::components::place_options::{AccountFilter, PlaceOptions, chosen_account};
use crate::components::sent_report::ChangeOutcome;
use crate::components::sync_bar::SyncBar;
use crate::model::{ConnectionAlias, ConnectionAliasesView, Directory};

/// What the reference warns about deleting an alias (000_694e23744a3a4a46.txt:686,
/// :1941, :1951), shown before the admin confirms.
const DELETE_WARNING: &str = "The connection string stays reserved for this AWS account: no other account can create it, even after it is deleted. If users stop using this FQDN as their registration code, remove or repoint its DNS records, or someone else's directory could receive their logins. AWS deletes an alias only when no directory uses it and it is shared with nobody.";

/// What disassociating does (000_694e23744a3a4a46.txt:4696).
const DISASSOCIATE_WARNING: &str = "Cross-Region redirection between this directory and the other Regions stops: users entering this FQDN no longer reach WorkSpaces in this directory.";

#[component]
pub fn ConnectionAliasesPage() -> impl IntoView {
    let change = ServerAction::<ChangeConnectionAlias>::new();
    let aliases = Resource::new(
        move || change.version().get(),
        |_| list_connection_aliases(),
    );
    view! {
        <Title text="Connection aliases"/>
        <div class="page-head"><h1>"Connection aliases"</h1></div>
        <p class="muted">"A connection alias is a domain name (FQDN) that users enter as their registration code. Associated with a directory in each Region and routed by DNS, it sends users to the Region that serves them (cross-Region redirection)."</p>
        <SyncBar/>
        <ChangeOutcome error=change.value().get_untracked().and_then(Result::err)/>
        <Loaded resource=aliases render=move |view| view! { <AliasList view change/> }/>
    }
}

#[component]
fn AliasList(
    view: ConnectionAliasesView,
    change: ServerAction<ChangeConnectionAlias>,
) -> impl IntoView {
    let can_edit = view.can_edit;
    let create = can_edit.then(|| {
        let regions = view.regions.clone();
        view! {
            <section class="card">
                <h2>"New alias"</h2>
                <ActionForm action=change attr:class="register-form">
                    <input type="hidden" name="op" value="create"/>
                    <label>"Region"
                        <select name="region">
                            <PlaceOptions places=regions/>
                        </select>
                    </label>
                    <label>"Connection string"
                        <input type="text" name="connection_string" placeholder="desktop.example.com" maxlength="255" required/>
                        <small class="muted">"A fully qualified domain name. Once created it stays reserved for this AWS account, even after it is deleted."</small>
                    </label>
                    <label>"Tags"
                        <textarea name="tags" rows="2" placeholder="CostCenter=1234"></textarea>
                        <small class="muted">"One Key=Value per line, at most 50."</small>
                    </label>
                    <button type="submit">"Create alias"</button>
                </ActionForm>
            </section>
        }
    });
    let chosen = chosen_account();
    let mut view = view;
    view.aliases
        .retain(|alias| chosen.is_empty() || alias.account == chosen);
    let filter = view! { <AccountFilter places=view.regions.clone() path="/connection-aliases"/> };
    let list = if view.aliases.is_empty() {
        view! { <div class="empty"><p>"No connection alias in the configured Regions."</p></div> }
            .into_any()
    } else {
        view.aliases
            .into_iter()
            .map(|alias| {
                let directories: Vec<Directory> = view
                    .directories
                    .iter()
                    .filter(|d| d.account == alias.account && d.region == alias.region)
                    .cloned()
                    .collect();
                view! { <AliasCard alias directories can_edit change/> }
            })
            .collect_view()
            .into_any()
    };
    view! { {filter} {create} {list} }
}

#[component]
fn AliasCard(
    alias: ConnectionAlias,
    /// The cached directories of the alias's Region.
    directories: Vec<Directory>,
    can_edit: bool,
    change: ServerAction<ChangeConnectionAlias>,
) -> impl IntoView {
    // The forms name the alias by account and id: the cache has a copy per account.
    let id = alias.key();
    let name = alias.connection_string.clone();
    let state = alias.state.clone().unwrap_or_else(|| "unknown".into());
    let badge = if alias.state.as_deref() == Some(ConnectionAlias::READY) {
        "badge badge-ok"
    } else {
        "badge badge-busy"
    };
    // Only an association with a directory of the alias's own account and Region
    // (`directories`) is this account's to disassociate; one of an account the alias is
    // shared with is that account's (000_694e23744a3a4a46.txt:1951).
    let own = alias
        .active_associations()
        .find(|a| {
            directories.iter().any(|d| {
                d.account == alias.account
                    && d.region == alias.region
                    && Some(&d.id) == a.resource_id.as_ref()
            })
        })
        .and_then(|a| a.resource_id.clone());
    // A new alias is CREATING until AWS has made it (000_694e23744a3a4a46.txt:2806).
    let not_ready = (alias.state.as_deref() == Some(ConnectionAlias::CREATING)).then(|| {
        view! { <p class="muted">{format!("AWS is still creating this alias: it can be associated, shared or deleted once it is {}.", ConnectionAlias::READY)}</p> }
    });
    let associations = if alias.associations.is_empty() {
        view! { <p>"Not associated with any directory."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
            <table class="data compact">
                <thead><tr><th>"Directory"</th><th>"Associated by account"</th><th>"Connection identifier"</th><th>"Status"</th></tr></thead>
                <tbody>
                    {alias.associations.iter().map(|a| view! {
                        <tr>
                            <td class="mono">{a.resource_id.clone().unwrap_or_else(|| "—".into())}</td>
                            <td class="mono">{a.associated_account_id.clone().unwrap_or_else(|| "—".into())}</td>
                            <td class="mono">{a.connection_identifier.clone().unwrap_or_else(|| "— (after the next sync)".into())}</td>
                            <td>{a.status.clone().unwrap_or_else(|| "not reported".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }
        .into_any()
    };
    let shared: Vec<String> = alias
        .shared_with()
        .into_iter()
        .map(str::to_string)
        .collect();
    let sharing = match (&alias.permissions_error, shared.is_empty()) {
        (Some(error), _) => {
            view! { <p class="error-text">{format!("Sharing could not be read: {error}")}</p> }
                .into_any()
        }
        (None, true) => view! { <p>"Shared with: nobody"</p> }.into_any(),
        (None, false) => {
            let accounts = shared.join(", ");
            view! { <p>"Shared with: " <span class="mono">{accounts}</span></p> }.into_any()
        }
    };
    let controls = can_edit.then(move || {
        let candidates: Vec<String> = directories.iter().map(|d| d.id.clone()).collect();
        let disassociate_fields = vec![("op", "disassociate".into()), ("alias_id", id.clone())];
        let associate_fields = vec![("op", "associate".into()), ("alias_id", id.clone())];
        let share_fields = vec![("op", "share".into()), ("alias_id", id.clone())];
        let delete_fields = vec![("op", "delete".into()), ("alias_id", id.clone())];
        let directory_label = format!("Directory for {name}");
        let account_label = format!("Account to share {name} with");
        let delete_warning = format!("Delete {name}? {DELETE_WARNING}");
        let associate = match own {
            Some(directory) => {
                let warning = format!("Disassociate {name} from {directory}? {DISASSOCIATE_WARNING}");
                view! {
                    <Confirm label="Disassociate" warning>
                        <ChangeForm change fields=disassociate_fields>
                            <button type="submit" class="danger">"Yes, disassociate"</button>
                        </ChangeForm>
                    </Confirm>
                }
                .into_any()
            }
            None if candidates.is_empty() => view! { <span class="muted">"No directory of this Region to associate."</span> }.into_any(),
            None => view! {
                <ChangeForm change fields=associate_fields>
                    <select name="directory_id" aria-label=directory_label>
                        {candidates.into_iter().map(|d| view! { <option value=d.clone()>{d.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button-secondary">"Associate"</button>
                </ChangeForm>
            }
            .into_any(),
        };
        let unshare = shared
            .into_iter()
            .map(|account| {
                let fields = vec![("op", "unshare".into()), ("alias_id", id.clone()), ("account", account.clone())];
                view! {
                    <ChangeForm change fields>
                        <button type="submit" class="button-secondary">{format!("Unshare from {account}")}</button>
                    </ChangeForm>
                }
            })
            .collect_view();
        view! {
            <div class="group-edit">
                {associate}
                <ChangeForm change fields=share_fields>
                    <input type="text" name="account" placeholder="123456789012" inputmode="numeric" pattern="[0-9]{12}" aria-label=account_label required/>
                    <button type="submit" class="button-secondary">"Share"</button>
                </ChangeForm>
                {unshare}
                <Confirm label="Delete alias" warning=delete_warning>
                    <ChangeForm change fields=delete_fields>
                        <button type="submit" class="danger">"Yes, delete alias"</button>
                    </ChangeForm>
                </Confirm>
            </div>
        }
    });
    view! {
        <section class="card" aria-label=format!("Connection alias {}", alias.connection_string)>
            <h2>{alias.connection_string.clone()} " " <span class="mono muted">{alias.id.clone()}</span> " " <a class="small" href=format!("/tags/{}", alias.id)>"Tags"</a></h2>
            <p class="muted">
                {crate::model::place_name(&alias.account, &alias.region)} " · " <span class=badge>{state}</span> " · owner "
                <span class="mono">{alias.owner_account_id.clone().unwrap_or_else(|| "not reported".into())}</span>
            </p>
            {associations}
            {sharing}
            {not_ready}
            {controls}
        </section>
    }
}
