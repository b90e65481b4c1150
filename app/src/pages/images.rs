//! The images and bundles page (`/images`): the account's images (with the bundles that
//! use them and the accounts they are shared with) and bundles. Admins share, copy and
//! delete images, and create, update and delete custom bundles. Each image and custom
//! bundle lists its applications (from the cache, folded under its name).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::ImportImage;
use crate::api::applications::get_image_applications;
use crate::api::images::{ChangeBundle, ChangeImage, list_catalog};
use crate::components::confirm::Confirm;
use crate::components::error_box::ErrorBox;
use crate::components::place_options::{AccountFilter, PlaceOptions, chosen_account, export_href};
use crate::components::sent_report::ChangeOutcome;
use crate::components::sync_bar::{SyncBar, short_time};
use crate::model::{
    BYOL_APPLICATIONS, BundleSummary, INGESTION_PROCESSES, ImageSummary, NamedAssociation,
    encode_query_value,
};
use crate::pages::applications::AssociationList;

#[component]
pub fn ImagesPage() -> impl IntoView {
    let change = ServerAction::<ChangeImage>::new();
    let bundle_change = ServerAction::<ChangeBundle>::new();
    let import = ServerAction::<ImportImage>::new();
    let catalog = Resource::new(
        move || {
            (
                change.version().get(),
                bundle_change.version().get(),
                import.version().get(),
            )
        },
        |_| list_catalog(),
    );
    let applications = Resource::new(|| (), |_| get_image_applications());
    view! {
        <Title text="Images and bundles"/>
        <div class="page-head">
            <h1>"Images and bundles"</h1>
            <span>
                <a class="button-secondary" href=export_href("/images.csv") download="images.csv">"Images CSV"</a>
                " "
                <a class="button-secondary" href=export_href("/bundles.csv") download="bundles.csv">"Bundles CSV"</a>
            </span>
        </div>
        <SyncBar/>
        <ChangeOutcome error=import.value().get_untracked().or_else(|| bundle_change.value().get_untracked()).or_else(|| change.value().get_untracked()).and_then(Result::err)/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let chosen = chosen_account();
                Suspend::new(async move {
                let catalog = match catalog.await {
                    Ok(catalog) => catalog,
                    Err(error) => return view! { <ErrorBox error/> }.into_any(),
                };
                // From the cache (the sync reads them); the images and bundles show
                // without them if that read fails.
                let apps = applications.await.unwrap_or_default();
                let (mut images, mut bundles, regions, can_edit) = (catalog.images, catalog.bundles, catalog.regions, catalog.can_edit);
                images.retain(|s| chosen.is_empty() || s.image.account == chosen);
                bundles.retain(|s| chosen.is_empty() || s.bundle.account == chosen);
                let filter_places = regions.clone();
                let available: Vec<(String, String)> = images
                    .iter()
                    .map(|summary| &summary.image)
                    .filter(|i| i.state.as_deref() == Some("AVAILABLE"))
                    .map(|i| (i.id.clone(), format!("{} ({}, {})", i.name, i.id, i.region)))
                    .collect();
                let byol_images: Vec<String> = images
                    .iter()
                    .filter(|s| s.image.is_byol())
                    .map(|s| s.image.id.clone())
                    .collect();
                let import_regions = regions.clone();
                let bundle_apps = apps.clone();
                view! {
                    <AccountFilter places=filter_places path="/images"/>
                    <ImageTable images regions can_edit change apps/>
                    {can_edit.then(|| view! { <ImportByolImage regions=import_regions import/> })}
                    <BundleTable bundles can_edit available=available.clone() byol_images change=bundle_change apps=bundle_apps/>
                    {can_edit.then(|| view! { <NewBundle available change=bundle_change/> })}
                }
                .into_any()
            })
            }}
        </Transition>
    }
}

#[component]
fn ImageTable(
    images: Vec<ImageSummary>,
    regions: Vec<String>,
    can_edit: bool,
    change: ServerAction<ChangeImage>,
    apps: Vec<(String, Vec<NamedAssociation>)>,
) -> impl IntoView {
    view! {
        <h2>"Images"</h2>
        {if images.is_empty() {
            view! { <div class="empty"><p>"No custom image in the configured Regions."</p></div> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data wrap">
                        <thead>
                            <tr>
                                <th>"Image"</th><th>"Name"</th><th>"State"</th><th>"Platform"</th>
                                <th>"Owner"</th><th>"Created"</th><th>"Region"</th><th>"Bundles using it"</th><th>"Shared with"</th>
                                {can_edit.then(|| view! { <th></th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {images
                                .into_iter()
                                .map(|summary| {
                                    let image = summary.image;
                                    let manage = can_edit.then(|| {
                                        // The image's own account, its own Region
                                        // included (000_694e23744a3a4a46.txt:7113).
                                        let destinations: Vec<String> = regions
                                            .iter()
                                            .filter(|place| crate::model::split_place(place).0 == image.account)
                                            .cloned()
                                            .collect();
                                        view! { <td><ImageControls image_id=image.id.clone() name=image.name.clone() destinations change/></td> }
                                    });
                                    let shared_with = image.shared_with.clone();
                                    let sharing_id = image.id.clone();
                                    let byol = image.is_byol();
                                    view! {
                                    <tr>
                                        <td class="mono">
                                            {image.id.clone()}
                                            {image.owned.then(|| view! { <div><a class="small" href=format!("/tags/{}", image.id)>"Tags"</a></div> })}
                                        </td>
                                        <td>
                                            <div class="strong">{image.name}</div>
                                            <div class="small muted desc">{image.description}</div>
                                            <AssociationList associations=applications_of(&apps, &sharing_id)/>
                                        </td>
                                        <td>
                                            {image.state}
                                            {image.error.map(|error| view! { <div class="small error-text">{error}</div> })}
                                        </td>
                                        <td>
                                            {image.operating_system.clone()}
                                            {byol.then(|| view! { " " <span class="badge badge-pair" title="Bring your own license: runs on dedicated tenancy">"BYOL"</span> })}
                                            <div class="small muted">{image.required_tenancy.clone().map(|t| format!("{} tenancy", t.to_lowercase()))}</div>
                                        </td>
                                        <td class="mono">{image.owner_account_id}</td>
                                        <td>{image.created.as_deref().map(short_time)}</td>
                                        <td class="nowrap">{crate::model::place_name(&image.account, &image.region)}</td>
                                        <td>{if summary.bundles.is_empty() {
                                            view! { <span class="muted">"none"</span> }.into_any()
                                        } else {
                                            summary.bundles.into_iter().map(|b| view! { <div>{b}</div> }).collect_view().into_any()
                                        }}</td>
                                        <td><SharedWith image_id=sharing_id shared_with can_edit change/></td>
                                        {manage}
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
fn BundleTable(
    bundles: Vec<BundleSummary>,
    can_edit: bool,
    available: Vec<(String, String)>,
    /// Images that need dedicated tenancy: bundles made from them are BYOL bundles.
    byol_images: Vec<String>,
    change: ServerAction<ChangeBundle>,
    /// The applications associated with each bundle.
    apps: Vec<(String, Vec<NamedAssociation>)>,
) -> impl IntoView {
    view! {
        <h2>"Bundles"</h2>
        {if bundles.is_empty() {
            view! { <div class="empty"><p>"No bundle is owned by the account or used by a WorkSpace."</p></div> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data wrap">
                        <thead>
                            <tr>
                                <th>"Bundle"</th><th>"Name"</th><th>"State"</th><th>"Compute"</th><th>"Root / user GiB"</th><th>"Image"</th><th>"Owner"</th><th>"Updated"</th><th>"WorkSpaces"</th><th>"Region"</th>{can_edit.then(|| view! { <th></th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {bundles
                                .into_iter()
                                .map(|summary| {
                                    let bundle = summary.bundle;
                                    let fleet = format!("/?bundle={}", encode_query_value(&bundle.id));
                                    let custom = bundle.owner.as_deref() != Some("AMAZON");
                                    let controls = (can_edit && custom).then(|| view! {
                                        <td><BundleControls bundle_id=bundle.id.clone() available=available.clone() change/></td>
                                    });
                                    view! {
                                    <tr>
                                        <td class="mono">
                                            {bundle.id.clone()}
                                            {custom.then(|| view! { <div><a class="small" href=format!("/tags/{}", bundle.id)>"Tags"</a></div> })}
                                        </td>
                                        <td>
                                            <div class="strong">{bundle.name}</div>
                                            <div class="small muted desc">{bundle.description}</div>
                                            <AssociationList associations=applications_of(&apps, &bundle.id)/>
                                        </td>
                                        <td>
                                            {bundle.state}
                                            {(bundle.bundle_type.as_deref() == Some("STANDBY")).then(|| view! { <div><span class="badge badge-pair">"standby"</span></div> })}
                                            {bundle.image_id.as_ref().is_some_and(|id| byol_images.contains(id)).then(|| view! { <div><span class="badge badge-pair">"BYOL"</span></div> })}
                                        </td>
                                        <td>{bundle.compute_type}</td>
                                        <td class="nowrap">{format!(
                                            "{} / {}",
                                            bundle.root_storage_gib.unwrap_or_else(|| "?".into()),
                                            bundle.user_storage_gib.unwrap_or_else(|| "?".into()),
                                        )}</td>
                                        <td class="mono">{bundle.image_id}</td>
                                        <td class="mono">{bundle.owner}</td>
                                        <td class="nowrap" title=bundle.created.as_deref().map(|c| format!("created {}", short_time(c)))>
                                            {bundle.last_updated.clone().or(bundle.created.clone()).as_deref().map(short_time)}
                                        </td>
                                        <td><a href=fleet>{summary.workspaces}</a></td>
                                        <td>{crate::model::place_name(&bundle.account, &bundle.region)}</td>
                                        {controls}
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

/// The accounts an image is shared with, each with an Unshare button for admins.
#[component]
fn SharedWith(
    image_id: String,
    shared_with: Vec<String>,
    can_edit: bool,
    change: ServerAction<ChangeImage>,
) -> impl IntoView {
    let not_shared = shared_with
        .is_empty()
        .then(|| view! { <span class="muted">"not shared"</span> });
    let accounts = shared_with
        .into_iter()
        .map(|account| {
            let unshare = can_edit.then(|| {
                let fields = vec![
                    ("op", "unshare".to_string()),
                    ("image_id", image_id.clone()),
                    ("account", account.clone()),
                ];
                view! { <ImageForm change fields button="Unshare" danger=false/> }
            });
            view! { <div class="inline-form"><span class="mono">{account}</span>{unshare}</div> }
        })
        .collect_view();
    view! { {not_shared} {accounts} }
}

/// An admin's share, copy and delete forms for one image.
#[component]
fn ImageControls(
    image_id: String,
    name: String,
    destinations: Vec<String>,
    change: ServerAction<ChangeImage>,
) -> impl IntoView {
    let share_label = format!("Account to share {image_id} with");
    let name_for_delete = name.clone();
    let copy = (!destinations.is_empty()).then(|| {
        let copy_id = image_id.clone();
        let label = format!("Region to copy {image_id} to");
        view! {
            <ActionForm action=change attr:class="stack copy-form">
                <input type="hidden" name="op" value="copy"/>
                <input type="hidden" name="image_id" value=copy_id/>
                <select name="destination" aria-label=label>
                    <PlaceOptions places=destinations/>
                </select>
                <input type="text" name="name" value=name aria-label="Name of the copy" required/>
                <input type="text" name="description" placeholder="Description of the copy" aria-label="Description of the copy"/>
                <button type="submit" class="button-secondary">"Copy to Region"</button>
            </ActionForm>
        }
    });
    let delete = vec![("op", "delete".to_string()), ("image_id", image_id.clone())];
    let image_id_for_delete = image_id.clone();
    view! {
        <details class="manage"><summary class="button-secondary">"Manage"</summary>
            <ActionForm action=change attr:class="inline-form">
                <input type="hidden" name="op" value="share"/>
                <input type="hidden" name="image_id" value=image_id/>
                <input type="text" name="account" placeholder="123456789012" aria-label=share_label required/>
                <button type="submit" class="button-secondary">"Share"</button>
            </ActionForm>
            {copy}
            <Confirm label="Delete image" warning=format!("Delete {name_for_delete} ({image_id_for_delete})? This cannot be undone; copies in other Regions stay.")>
                <ImageForm change fields=delete button="Yes, delete image" danger=true/>
            </Confirm>
        </details>
    }
}

/// A one-button form posting an image change with hidden fields.
#[component]
fn ImageForm(
    change: ServerAction<ChangeImage>,
    fields: Vec<(&'static str, String)>,
    button: &'static str,
    danger: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=change attr:class="inline-form">
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <button type="submit" class=if danger { "danger" } else { "button-secondary" }>{button}</button>
        </ActionForm>
    }
}

/// Update (new image) and delete forms of one custom bundle. The update form says that
/// WorkSpaces already launched from the bundle keep their image
/// (000_694e23744a3a4a46.txt:7034).
#[component]
fn BundleControls(
    bundle_id: String,
    available: Vec<(String, String)>,
    change: ServerAction<ChangeBundle>,
) -> impl IntoView {
    let (update_id, delete_id) = (bundle_id.clone(), bundle_id.clone());
    let label = format!("New image for {bundle_id}");
    view! {
        <details class="manage"><summary class="button-secondary">"Manage"</summary>
        <ActionForm action=change attr:class="inline-form">
            <input type="hidden" name="op" value="update"/>
            <input type="hidden" name="bundle_id" value=update_id/>
            <select name="image_id" aria-label=label>
                {available.into_iter().map(|(id, text)| view! { <option value=id>{text}</option> }).collect_view()}
            </select>
            <button type="submit" class="button-secondary">"Update image"</button>
        </ActionForm>
        <p class="small muted">{crate::model::BUNDLE_UPDATE_WARNING}</p>
        <Confirm label="Delete bundle" warning=format!("Delete {bundle_id}? New WorkSpaces can no longer be launched from it; Fleetdesk refuses while WorkSpaces use it.")>
            <ActionForm action=change attr:class="inline-form">
                <input type="hidden" name="op" value="delete"/>
                <input type="hidden" name="bundle_id" value=delete_id/>
                <button type="submit" class="danger">"Yes, delete bundle"</button>
            </ActionForm>
        </Confirm>
        </details>
    }
}

/// The form that creates a custom bundle from an available image.
#[component]
fn NewBundle(
    available: Vec<(String, String)>,
    change: ServerAction<ChangeBundle>,
) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"New bundle"</h2>
            <ActionForm action=change attr:class="inline-form wrap">
                <input type="hidden" name="op" value="create"/>
                <label class="field">"Name"<input type="text" name="name" placeholder="Bundle name" aria-label="Bundle name" required/></label>
                <label class="field">"Description"<input type="text" name="description" placeholder="Description" aria-label="Bundle description"/></label>
                <label class="field">"Image"<select name="image_id" aria-label="Bundle image">
                    {available.into_iter().map(|(id, text)| view! { <option value=id>{text}</option> }).collect_view()}
                </select></label>
                <label class="field">"Compute"<select name="compute_type" aria-label="Bundle compute type">
                    {crate::model::BUNDLE_COMPUTE_TYPES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                </select></label>
                <label class="field">"Root GiB"<input type="number" name="root_gib" value="80" min="80" aria-label="Root volume GiB"/></label>
                <label class="field">"User GiB"<input type="number" name="user_gib" value="50" min="10" aria-label="User volume GiB"/></label>
                <button type="submit">"Create bundle"</button>
            </ActionForm>
        </section>
    }
}

/// The admin's form importing a licensed EC2 image as a BYOL image (ImportWorkspaceImage).
#[component]
fn ImportByolImage(regions: Vec<String>, import: ServerAction<ImportImage>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Import a BYOL image"</h2>
            <p class="small muted">"Imports a licensed Windows EC2 image that this account owns. The Region must have BYOL enabled (see the Account page). AWS takes hours; the image stays PENDING until it is done and is followed here."</p>
            <ActionForm action=import attr:class="inline-form wrap">
                <label class="field"><span>"Region"</span>
                    <select name="region"><PlaceOptions places=regions/></select>
                </label>
                <label class="field"><span>"EC2 image id"</span><input type="text" name="ec2_image_id" required placeholder="ami-0123456789abcdef0"/></label>
                <label class="field"><span>"Ingestion process"</span>
                    <select name="ingestion_process">
                        {INGESTION_PROCESSES.iter().map(|(value, meaning)| view! { <option value=*value>{format!("{value}: {meaning}")}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Image name"</span><input type="text" name="name" required maxlength="64" placeholder="Win10-BYOL-2026-12"/></label>
                <label class="field"><span>"Description"</span><input type="text" name="description" required maxlength="256" placeholder="Windows 10 22H2, December patches"/></label>
                <label class="field"><span>"Microsoft Office"</span>
                    <select name="application">
                        <option value="">"none"</option>
                        {BYOL_APPLICATIONS.iter().map(|a| view! { <option value=*a>{a.replace('_', " ")}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Tags (Key=Value lines)"</span><textarea name="tags" rows="1"></textarea></label>
                <label class="field"><span>"Reason or ticket"</span><input type="text" name="reason" required placeholder="CHG-88"/></label>
                <button type="submit">"Import image"</button>
            </ActionForm>
        </section>
    }
}

/// The applications of one image or bundle.
fn applications_of(apps: &[(String, Vec<NamedAssociation>)], id: &str) -> Vec<NamedAssociation> {
    apps.iter()
        .find(|(resource, _)| resource == id)
        .map(|(_, list)| list.clone())
        .unwrap_or_default()
}
