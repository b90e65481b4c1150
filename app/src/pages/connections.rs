//! The connections page (`/connections`): connection state per WorkSpace.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::resources::list_connections;
use crate::components::loaded::Loaded;
use crate::model::ConnectionStatus;

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let connections = Resource::new(|| (), |_| list_connections());
    view! {
        <Title text="Connections"/>
        <div class="page-head"><h1>"Connections"</h1></div>
        <Loaded resource=connections render=|rows| view! { <ConnectionTable rows/> }/>
    }
}

#[component]
fn ConnectionTable(rows: Vec<ConnectionStatus>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <div class="empty"><p>"No WorkSpace in the configured Regions."</p></div> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th>"WorkSpace"</th><th>"Connection"</th><th>"Checked"</th>
                        <th>"Last user connection"</th><th>"Region"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let class = match row.connection_state.as_deref() {
                                Some("CONNECTED") => "badge badge-ok",
                                _ => "badge badge-off",
                            };
                            view! {
                                <tr>
                                    <td class="mono">{row.workspace_id}</td>
                                    <td><span class=class>{row.connection_state.unwrap_or_else(|| "UNKNOWN".into())}</span></td>
                                    <td>{row.connection_state_checked}</td>
                                    <td>{row.last_known_user_connection.unwrap_or_else(|| "never".into())}</td>
                                    <td>{row.region}</td>
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
