//! The IP access control groups page (`/ip-groups`): groups with their rules and the
//! directories they are associated with. Admins create and delete groups, add, edit and
//! remove rules (each confirmed on the review page, which shows the rules before and
//! after), and associate groups with directories; every change is audited.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::ip_groups::{ChangeIpGroup, list_ip_groups};
use crate::components::change_form::ChangeForm;
use crate::components::confirm::Confirm;
use crate::components::loaded::Loaded;
use crate::components::place_options::{AccountFilter, PlaceOptions, chosen_account, export_href};
use crate::components::sent_report::ChangeOutcome;
use crate::components::sync_bar::SyncBar;
use crate::model::{IpGroup, IpGroupsView, MAX_RULES_PER_GROUP, encode_query_value};

#[component]
pub fn IpGroupsPage() -> impl IntoView {
    let change = ServerAction::<ChangeIpGroup>::new();
    let groups = Resource::new(move || change.version().get(), |_| list_ip_groups());
    // Set by a rule change confirmed on the review page.
    let query = use_query_map();
    let changed = move || query.with(|p| p.get("changed"));
    view! {
        <Title text="IP groups"/>
        <div class="page-head"><h1>"IP access control groups"</h1><a class="button-secondary" href=export_href("/ip-groups.csv") download="ip-groups.csv">"Export CSV"</a></div>
        <SyncBar/>
        {move || changed().map(|group| view! {
            <div class="card action-report" role="status">
                <strong>{format!("Rules of {group} updated.")}</strong>
                " " <a href=format!("/audit?target={}", encode_query_value(&group))>"See the audit entry"</a>
            </div>
        })}
        <ChangeOutcome error=change.value().get_untracked().and_then(Result::err)/>
        <Loaded resource=groups render=move |view| view! { <IpGroupList view change/> }/>
    }
}

/// A form opening the confirmation of a rule change, with its fields as hidden inputs
/// plus `children`.
#[component]
fn RuleForm(fields: Vec<(&'static str, String)>, children: Children) -> impl IntoView {
    view! {
        <form method="get" action="/ip-groups/review" class="inline-form">
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            {children()}
        </form>
    }
}

#[component]
fn IpGroupList(view: IpGroupsView, change: ServerAction<ChangeIpGroup>) -> impl IntoView {
    let can_edit = view.can_edit;
    let create = can_edit.then(|| {
        let regions = view.regions.clone();
        view! {
            <section class="card">
                <h2>"New group"</h2>
                <ChangeForm change fields=vec![("op", "create".to_string())]>
                    <select name="region" aria-label="Region">
                        <PlaceOptions places=regions/>
                    </select>
                    <input type="text" name="name" placeholder="Group name" aria-label="Group name" required/>
                    <input type="text" name="description" placeholder="Description" aria-label="Group description"/>
                    <button type="submit">"Create group"</button>
                </ChangeForm>
            </section>
        }
    });
    let chosen = chosen_account();
    let mut view = view;
    view.groups
        .retain(|group| chosen.is_empty() || group.account == chosen);
    let filter = view! { <AccountFilter places=view.regions.clone() path="/ip-groups"/> };
    let list = if view.groups.is_empty() {
        view! { <div class="empty"><p>"No IP access control group in the configured Regions."</p></div> }.into_any()
    } else {
        view.groups
            .into_iter()
            .map(|group| {
                let directories = view.directories.clone();
                view! { <GroupCard group directories can_edit change/> }
            })
            .collect_view()
            .into_any()
    };
    view! { {filter} {create} {list} }
}

#[component]
fn GroupCard(
    group: IpGroup,
    directories: Vec<crate::model::Directory>,
    can_edit: bool,
    change: ServerAction<ChangeIpGroup>,
) -> impl IntoView {
    let associated: Vec<String> = directories
        .iter()
        .filter(|d| d.ip_group_ids.contains(&group.id))
        .map(|d| d.id.clone())
        .collect();
    let candidates: Vec<String> = directories
        .iter()
        .filter(|d| {
            d.account == group.account
                && d.region == group.region
                && !d.ip_group_ids.contains(&group.id)
        })
        .map(|d| d.id.clone())
        .collect();
    let id = group.id.clone();
    let rules = group.rules.clone();
    let card_label = format!("IP group {}", group.name);
    let rule_label = format!("New rule for {}", group.name);
    let rule_description_label = format!("New rule description for {}", group.name);
    let directory_label = format!("Directory for {}", group.name);
    view! {
        <section class="card" aria-label=card_label>
            <h2>{group.name.clone()} " " <span class="mono muted">{group.id.clone()}</span> " " <a class="small" href=format!("/tags/{}", group.id)>"Tags"</a></h2>
            <p class="muted">{group.description.clone()} " · " {crate::model::place_name(&group.account, &group.region)} " · "
                {format!("{} of {MAX_RULES_PER_GROUP} rules", rules.len())}</p>
            <table class="data compact">
                <thead><tr><th>"Source (CIDR)"</th><th>"Description"</th>{can_edit.then(|| view! { <th></th> })}</tr></thead>
                <tbody>
                    {rules.into_iter().map(|rule| {
                        let edit_label = format!("New CIDR for {}", rule.cidr);
                        let edit_description_label = format!("New description for {}", rule.cidr);
                        let (cidr, description) = (rule.cidr.clone(), rule.description.clone().unwrap_or_default());
                        let edit_fields = vec![("op", "edit_rule".into()), ("group_id", id.clone()), ("old_cidr", cidr.clone())];
                        let remove_fields = vec![("op", "remove_rule".into()), ("group_id", id.clone()), ("cidr", cidr.clone())];
                        let controls = can_edit.then(|| view! {
                            <td>
                                <details class="manage rule-edit"><summary class="button-secondary">"Edit"</summary>
                                    <RuleForm fields=edit_fields>
                                        <input type="text" name="cidr" value=cidr aria-label=edit_label required/>
                                        <input type="text" name="description" value=description aria-label=edit_description_label/>
                                        <button type="submit" class="button-secondary">"Review"</button>
                                    </RuleForm>
                                </details>
                                " "
                                <RuleForm fields=remove_fields>
                                    <button type="submit" class="button-secondary">"Remove"</button>
                                </RuleForm>
                            </td>
                        });
                        view! { <tr><td class="mono">{rule.cidr.clone()}</td><td>{rule.description.clone()}</td>{controls}</tr> }
                    }).collect_view()}
                </tbody>
            </table>
            <p>"Associated directories: " {if associated.is_empty() { "none".to_string() } else { associated.join(", ") }}</p>
            {can_edit.then(|| view! {
                <div class="group-edit">
                    <RuleForm fields=vec![("op", "add_rule".into()), ("group_id", id.clone())]>
                        <input type="text" name="cidr" placeholder="203.0.113.0/24" aria-label=rule_label required/>
                        <input type="text" name="description" placeholder="Description" aria-label=rule_description_label/>
                        <button type="submit">"Add rule"</button>
                    </RuleForm>
                    <ChangeForm change fields=vec![("op", "associate".into()), ("group_id", id.clone())]>
                        <select name="directory_id" aria-label=directory_label>
                            {candidates.into_iter().map(|d| view! { <option value=d.clone()>{d.clone()}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button-secondary">"Associate"</button>
                    </ChangeForm>
                    {associated.into_iter().map(|d| view! {
                        <ChangeForm change fields=vec![("op", "disassociate".into()), ("group_id", id.clone()), ("directory_id", d.clone())]>
                            <button type="submit" class="button-secondary">{format!("Disassociate {d}")}</button>
                        </ChangeForm>
                    }).collect_view()}
                    <Confirm label="Delete group" warning=format!("Delete {}? Its rules go with it; Fleetdesk refuses while a directory uses it.", group.name)>
                        <ChangeForm change fields=vec![("op", "delete".into()), ("group_id", id.clone())]>
                            <button type="submit" class="danger">"Yes, delete group"</button>
                        </ChangeForm>
                    </Confirm>
                </div>
            })}
        </section>
    }
}
