//! The directories page (`/directories`): every directory registered with WorkSpaces,
//! its WorkSpaces (link to the filtered fleet), IP groups and self-service permissions.
//! Admins register and deregister directories and change self-service permissions.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::resources::{ChangeDirectory, list_directories};
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::components::sync_bar::SyncBar;
use crate::model::{DirectoriesView, DirectorySummary, SelfService, encode_query_value};

#[component]
pub fn DirectoriesPage() -> impl IntoView {
    let change = ServerAction::<ChangeDirectory>::new();
    let directories = Resource::new(move || change.version().get(), |_| list_directories());
    view! {
        <Title text="Directories"/>
        <div class="page-head"><h1>"Directories"</h1><a class="button-secondary" href="/directories.csv" download="directories.csv">"Export CSV"</a></div>
        <SyncBar/>
        {move || change.value().get().map(|result| match result {
            Ok(message) => view! { <div class="card action-report" role="status"><strong>{message}</strong></div> }.into_any(),
            Err(error) => view! { <ErrorBox error/> }.into_any(),
        })}
        <Loaded resource=directories render=move |view| view! { <DirectoryTable view change/> }/>
    }
}

fn self_service_text(permissions: Option<SelfService>) -> String {
    match permissions {
        None => "not reported".into(),
        Some(p) => {
            let on: Vec<&str> = p
                .labelled()
                .iter()
                .filter(|(_, _, on)| *on)
                .map(|(_, label, _)| *label)
                .collect();
            if on.is_empty() {
                "none".into()
            } else {
                on.join(", ")
            }
        }
    }
}

#[component]
fn DirectoryTable(view: DirectoriesView, change: ServerAction<ChangeDirectory>) -> impl IntoView {
    let can_edit = view.can_edit;
    let register = can_edit.then(|| {
        let regions = view.regions.clone();
        view! {
            <section class="card">
                <h2>"Register a directory"</h2>
                <ActionForm action=change attr:class="inline-form">
                    <input type="hidden" name="op" value="register"/>
                    <select name="region" aria-label="Region">
                        {regions.into_iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                    </select>
                    <input type="text" name="directory_id" placeholder="d-1234567890" aria-label="Directory id" required/>
                    <button type="submit">"Register"</button>
                </ActionForm>
            </section>
        }
    });
    let rows = view.directories;
    let table = if rows.is_empty() {
        view! { <div class="empty"><p>"No directory is registered with WorkSpaces in the configured Regions."</p></div> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th>"Directory"</th><th>"Name"</th><th>"Alias"</th><th>"Type"</th>
                            <th>"State"</th><th>"Registration code"</th><th>"DNS"</th>
                            <th>"IP groups"</th><th>"Self-service"</th><th>"WorkSpaces"</th><th>"Region"</th>
                            {can_edit.then(|| view! { <th></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|summary| view! { <DirectoryRow summary can_edit change/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { {register} {table} }
}

#[component]
fn DirectoryRow(
    summary: DirectorySummary,
    can_edit: bool,
    change: ServerAction<ChangeDirectory>,
) -> impl IntoView {
    let dir = summary.directory;
    let fleet = format!("/?directory={}", encode_query_value(&dir.id));
    let manage = can_edit.then(|| {
        let (self_id, deregister_id) = (dir.id.clone(), dir.id.clone());
        let current = dir.self_service.unwrap_or_default();
        view! {
            <td>
                <details class="manage"><summary class="button-secondary">"Manage"</summary>
                    <ActionForm action=change attr:class="stack">
                        <input type="hidden" name="op" value="self_service"/>
                        <input type="hidden" name="directory_id" value=self_id/>
                        {current.labelled().into_iter().enumerate().map(|(i, (key, label, on))| view! {
                            <label class="check"><input type="checkbox" name=format!("permissions[{i}]") value=key checked=on/>{label}</label>
                        }).collect_view()}
                        <button type="submit" class="button-secondary">"Save self-service"</button>
                    </ActionForm>
                    <ActionForm action=change attr:class="inline-form">
                        <input type="hidden" name="op" value="deregister"/>
                        <input type="hidden" name="directory_id" value=deregister_id/>
                        <button type="submit" class="button-danger">"Deregister"</button>
                    </ActionForm>
                </details>
            </td>
        }
    });
    view! {
        <tr>
            <td class="mono">{dir.id.clone()}</td>
            <td class="strong">{dir.name}</td>
            <td>{dir.alias}</td>
            <td>{dir.directory_type}</td>
            <td>{dir.state}</td>
            <td class="mono">{dir.registration_code}</td>
            <td class="mono">{dir.dns_ip_addresses.join(", ")}</td>
            <td class="mono">{dir.ip_group_ids.join(", ")}</td>
            <td>{self_service_text(dir.self_service)}</td>
            <td><a href=fleet>{summary.workspaces}</a></td>
            <td>{dir.region}</td>
            {manage}
        </tr>
    }
}
