//! The images and bundles page (`/images`): the account's images and custom bundles.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::resources::list_catalog;
use crate::components::loaded::Loaded;
use crate::components::sync_bar::{SyncBar, short_time};
use crate::model::{BundleSummary, Image, encode_query_value};

#[component]
pub fn ImagesPage() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| list_catalog());
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
        <Loaded
            resource=catalog
            render=|catalog| {
                let (images, bundles) = (catalog.images, catalog.bundles);
                view! { <ImageTable images/> <BundleTable bundles/> }
            }
        />
    }
}

#[component]
fn ImageTable(images: Vec<Image>) -> impl IntoView {
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
                                <th>"Operating system"</th><th>"Tenancy"</th><th>"Created"</th><th>"Region"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {images
                                .into_iter()
                                .map(|image| view! {
                                    <tr>
                                        <td class="mono">{image.id}</td>
                                        <td class="strong">{image.name}</td>
                                        <td>{image.description}</td>
                                        <td>{image.state}</td>
                                        <td>{image.operating_system}</td>
                                        <td>{image.required_tenancy}</td>
                                        <td>{image.created.as_deref().map(short_time)}</td>
                                        <td>{image.region}</td>
                                    </tr>
                                })
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
