//! The images and bundles page (`/images`): the account's images and custom bundles.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::resources::{ChangeImage, list_catalog};
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::components::sync_bar::{SyncBar, short_time};
use crate::model::{BundleSummary, Image, encode_query_value};

#[component]
pub fn ImagesPage() -> impl IntoView {
    let change = ServerAction::<ChangeImage>::new();
    let catalog = Resource::new(move || change.version().get(), |_| list_catalog());
    view! {
        <Title text="Images and bundles"/>
        <div class="page-head">
            <h1>"Images and bundles"</h1>
            <span>
                <a class="button-secondary" href="/images.csv" download="images.csv">"Images CSV"</a>
                " "
                <a class="button-secondary" href="/bundles.csv" download="bundles.csv">"Bundles CSV"</a>
            </span>
        </div>
        <SyncBar/>
        {move || change.value().get().map(|result| match result {
            Ok(message) => view! { <div class="card action-report" role="status"><strong>{message}</strong></div> }.into_any(),
            Err(error) => view! { <ErrorBox error/> }.into_any(),
        })}
        <Loaded
            resource=catalog
            render=move |catalog| {
                let (images, bundles, can_edit) = (catalog.images, catalog.bundles, catalog.can_edit);
                view! { <ImageTable images can_edit change/> <BundleTable bundles/> }
            }
        />
    }
}

#[component]
fn ImageTable(images: Vec<Image>, can_edit: bool, change: ServerAction<ChangeImage>) -> impl IntoView {
    view! {
        <h2>"Images"</h2>
        {if images.is_empty() {
            view! { <div class="empty"><p>"No custom image in the configured Regions."</p></div> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                <th>"Image"</th><th>"Name"</th><th>"Description"</th><th>"State"</th>
                                <th>"Operating system"</th><th>"Tenancy"</th><th>"Created"</th><th>"Region"</th><th>"Shared with"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {images
                                .into_iter()
                                .map(|image| {
                                    let (sharing_id, shared_with) = (image.id.clone(), image.shared_with.clone());
                                    view! {
                                    <tr>
                                        <td class="mono">{image.id}</td>
                                        <td class="strong">{image.name}</td>
                                        <td>{image.description}</td>
                                        <td>{image.state}</td>
                                        <td>{image.operating_system}</td>
                                        <td>{image.required_tenancy}</td>
                                        <td>{image.created.as_deref().map(short_time)}</td>
                                        <td>{image.region}</td>
                                        <td><ImageSharing image_id=sharing_id shared_with can_edit change/></td>
                                    </tr>
                                }})
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
    }
}

#[component]
fn BundleTable(bundles: Vec<BundleSummary>) -> impl IntoView {
    view! {
        <h2>"Bundles"</h2>
        {if bundles.is_empty() {
            view! { <div class="empty"><p>"No bundle is owned by the account or used by a WorkSpace."</p></div> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                <th>"Bundle"</th><th>"Name"</th><th>"Compute"</th><th>"Root GiB"</th>
                                <th>"User GiB"</th><th>"Image"</th><th>"Owner"</th><th>"WorkSpaces"</th><th>"Region"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {bundles
                                .into_iter()
                                .map(|summary| {
                                    let bundle = summary.bundle;
                                    let fleet = format!("/?bundle={}", encode_query_value(&bundle.id));
                                    view! {
                                    <tr>
                                        <td class="mono">{bundle.id}</td>
                                        <td class="strong">{bundle.name}</td>
                                        <td>{bundle.compute_type}</td>
                                        <td>{bundle.root_storage_gib}</td>
                                        <td>{bundle.user_storage_gib}</td>
                                        <td class="mono">{bundle.image_id}</td>
                                        <td class="mono">{bundle.owner}</td>
                                        <td><a href=fleet>{summary.workspaces}</a></td>
                                        <td>{bundle.region}</td>
                                    </tr>
                                }})
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
    }
}

/// The accounts an image is shared with and, for admins, the share, unshare and delete
/// forms.
#[component]
fn ImageSharing(image_id: String, shared_with: Vec<String>, can_edit: bool, change: ServerAction<ChangeImage>) -> impl IntoView {
    let not_shared = shared_with.is_empty().then(|| view! { <span class="muted">"not shared"</span> });
    let accounts = shared_with
        .into_iter()
        .map(|account| {
            let unshare = can_edit.then(|| {
                let fields = vec![("op", "unshare".to_string()), ("image_id", image_id.clone()), ("account", account.clone())];
                view! { <ImageForm change fields button="Unshare" danger=false/> }
            });
            view! { <div class="inline-form"><span class="mono">{account}</span>{unshare}</div> }
        })
        .collect_view();
    let forms = can_edit.then(|| {
        let label = format!("Account to share {image_id} with");
        let share_id = image_id.clone();
        let delete = vec![("op", "delete".to_string()), ("image_id", image_id.clone())];
        view! {
            <ActionForm action=change attr:class="inline-form">
                <input type="hidden" name="op" value="share"/>
                <input type="hidden" name="image_id" value=share_id/>
                <input type="text" name="account" placeholder="123456789012" aria-label=label required/>
                <button type="submit" class="button-secondary">"Share"</button>
            </ActionForm>
            <ImageForm change fields=delete button="Delete image" danger=true/>
        }
    });
    view! { {not_shared} {accounts} {forms} }
}

/// A one-button form posting an image change with hidden fields.
#[component]
fn ImageForm(change: ServerAction<ChangeImage>, fields: Vec<(&'static str, String)>, button: &'static str, danger: bool) -> impl IntoView {
    view! {
        <ActionForm action=change attr:class="inline-form">
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <button type="submit" class=if danger { "button-danger" } else { "button-secondary" }>{button}</button>
        </ActionForm>
    }
}
