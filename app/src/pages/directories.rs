//! The directories page (`/directories`): every directory registered with WorkSpaces.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::resources::list_directories;
use crate::components::loaded::Loaded;
use crate::components::sync_bar::SyncBar;
use crate::model::{DirectorySummary, encode_query_value};

#[component]
pub fn DirectoriesPage() -> impl IntoView {
    let directories = Resource::new(|| (), |_| list_directories());
    view! {
        <Title text="Directories"/>
        <div class="page-head"><h1>"Directories"</h1><a class="button-secondary" href="/directories.csv" download="directories.csv">"Export CSV"</a></div>
        <SyncBar/>
        <Loaded resource=directories render=|rows| view! { <DirectoryTable rows/> }/>
    }
}

#[component]
fn DirectoryTable(rows: Vec<DirectorySummary>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <div class="empty"><p>"No directory is registered with WorkSpaces in the configured Regions."</p></div>
        }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th>"Directory"</th><th>"Name"</th><th>"Alias"</th><th>"Type"</th>
                        <th>"State"</th><th>"Registration code"</th><th>"DNS"</th>
                        <th>"IP groups"</th><th>"WorkSpaces"</th><th>"Region"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|summary| {
                            let dir = summary.directory;
                            let fleet = format!("/?directory={}", encode_query_value(&dir.id));
                            view! {
                                <tr>
                                    <td class="mono">{dir.id}</td>
                                    <td class="strong">{dir.name}</td>
                                    <td>{dir.alias}</td>
                                    <td>{dir.directory_type}</td>
                                    <td>{dir.state}</td>
                                    <td class="mono">{dir.registration_code}</td>
                                    <td class="mono">{dir.dns_ip_addresses.join(", ")}</td>
                                    <td class="mono">{dir.ip_group_ids.join(", ")}</td>
                                    <td><a href=fleet>{summary.workspaces}</a></td>
                                    <td>{dir.region}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
        .into_any()
}
