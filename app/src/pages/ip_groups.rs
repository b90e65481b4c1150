//! The IP access control groups page (`/ip-groups`): groups and their rules.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::resources::list_ip_groups;
use crate::components::loaded::Loaded;
use crate::components::sync_bar::SyncBar;
use crate::model::IpGroup;

#[component]
pub fn IpGroupsPage() -> impl IntoView {
    let groups = Resource::new(|| (), |_| list_ip_groups());
    view! {
        <Title text="IP groups"/>
        <div class="page-head"><h1>"IP access control groups"</h1></div>
        <SyncBar/>
        <Loaded resource=groups render=|groups| view! { <IpGroupList groups/> }/>
    }
}

#[component]
fn IpGroupList(groups: Vec<IpGroup>) -> impl IntoView {
    if groups.is_empty() {
        return view! { <div class="empty"><p>"No IP access control group in the configured Regions."</p></div> }
            .into_any();
    }
    groups
        .into_iter()
        .map(|group| {
            view! {
                <section class="card">
                    <h2>{group.name} " " <span class="mono muted">{group.id}</span></h2>
                    <p class="muted">{group.description} " · " {group.region}</p>
                    <table class="data compact">
                        <thead><tr><th>"Source (CIDR)"</th><th>"Description"</th></tr></thead>
                        <tbody>
                            {group
                                .rules
                                .into_iter()
                                .map(|rule| view! {
                                    <tr><td class="mono">{rule.cidr}</td><td>{rule.description}</td></tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
        .collect_view()
        .into_any()
}
