//! The directories page (`/directories`): one card per directory registered with
//! WorkSpaces, with what the console shows for it: registration (with the service
//! account and the IAM role WorkSpaces uses), network, IP groups,
//! self-service permissions, WorkSpace creation properties, access properties (which
//! client platforms may connect), WorkSpaces client settings, and its WorkSpaces (link to
//! the filtered fleet). Admins register and deregister directories and change the four
//! property sets.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::directories::{ChangeDirectory, list_directories};
use crate::components::confirm::Confirm;
use crate::components::loaded::Loaded;
use crate::components::place_options::{AccountFilter, PlaceOptions, chosen_account, export_href};
use crate::components::props::{row, yes_no};
use crate::components::sent_report::ChangeOutcome;
use crate::components::sync_bar::SyncBar;
use crate::model::{
    Access, AccessProperties, ClientProperties, CreationProperties, DirectoriesView,
    DirectorySummary, SelfService, encode_query_value,
};

#[component]
pub fn DirectoriesPage() -> impl IntoView {
    let change = ServerAction::<ChangeDirectory>::new();
    let directories = Resource::new(move || change.version().get(), |_| list_directories());
    view! {
        <Title text="Directories"/>
        <div class="page-head"><h1>"Directories"</h1><a class="button-secondary" href=export_href("/directories.csv") download="directories.csv">"Export CSV"</a></div>
        <SyncBar/>
        <ChangeOutcome error=change.value().get_untracked().and_then(Result::err)/>
        <Loaded resource=directories render=move |view| view! { <Directories view change/> }/>
    }
}

#[component]
fn Directories(view: DirectoriesView, change: ServerAction<ChangeDirectory>) -> impl IntoView {
    let can_edit = view.can_edit;
    let register = can_edit.then(|| {
        let regions = view.regions.clone();
        view! {
            <section class="card">
                <h2>"Register a directory"</h2>
                <ActionForm action=change attr:class="register-form">
                    <input type="hidden" name="op" value="register"/>
                    <label>"Region"
                        <select name="region">
                            <PlaceOptions places=regions/>
                        </select>
                    </label>
                    <label>"Directory id"
                        <input type="text" name="directory_id" placeholder="d-1234567890" required/>
                    </label>
                    <label>"Subnets"
                        <input type="text" name="subnet_ids" placeholder="subnet-0a1b2c3d, subnet-4e5f6a7b"/>
                        <small class="muted">"Two subnets in different Availability Zones; blank uses the directory's."</small>
                    </label>
                    <label>"Tenancy"
                        <select name="tenancy">
                            <option value="">"AWS default"</option>
                            <option value="SHARED">"Shared"</option>
                            <option value="DEDICATED">"Dedicated (BYOL images; BYOL must be enabled first)"</option>
                        </select>
                    </label>
                    <label class="check"><input type="checkbox" name="checked[0]" value="enable_self_service"/>" Enable self-service"</label>
                    <label class="check"><input type="checkbox" name="checked[1]" value="enable_work_docs"/>" Enable WorkDocs"</label>
                    <label>"Tags"
                        <textarea name="tags" rows="2" placeholder="CostCenter=1234"></textarea>
                        <small class="muted">"One Key=Value per line, at most 50."</small>
                    </label>
                    <button type="submit">"Register"</button>
                </ActionForm>
            </section>
        }
    });
    let chosen = chosen_account();
    let mut view = view;
    view.directories
        .retain(|d| chosen.is_empty() || d.directory.account == chosen);
    let filter = view! { <AccountFilter places=view.regions.clone() path="/directories"/> };
    let cards = if view.directories.is_empty() {
        view! { <div class="empty"><p>"No directory is registered with WorkSpaces in the configured Regions."</p></div> }.into_any()
    } else {
        view.directories
            .into_iter()
            .map(|summary| view! { <DirectoryCard summary can_edit change/> })
            .collect_view()
            .into_any()
    };
    view! { {filter} {register} {cards} }
}

#[component]
fn DirectoryCard(
    summary: DirectorySummary,
    can_edit: bool,
    change: ServerAction<ChangeDirectory>,
) -> impl IntoView {
    let dir = summary.directory;
    let fleet = format!("/?directory={}", encode_query_value(&dir.id));
    let title = dir.name.clone().unwrap_or_else(|| dir.id.clone());
    let deregister_id = dir.id.clone();
    let deregister = can_edit.then(|| {
        let warning = format!(
            "Deregister {}? WorkSpaces can no longer be launched in it; Fleetdesk refuses while WorkSpaces still use it.",
            dir.id
        );
        view! {
            <Confirm label="Deregister" warning>
                <ActionForm action=change attr:class="inline-form">
                    <input type="hidden" name="op" value="deregister"/>
                    <input type="hidden" name="directory_id" value=deregister_id/>
                    <button type="submit" class="danger">"Yes, deregister"</button>
                </ActionForm>
            </Confirm>
        }
    });
    let ip_groups = if dir.ip_group_ids.is_empty() {
        "none".to_string()
    } else {
        dir.ip_group_ids.join(", ")
    };
    view! {
        <section class="card directory-card" data-directory=dir.id.clone()>
            <div class="card-head">
                <h2>{title}</h2>
                <span class="mono">{dir.id.clone()}</span>
                <span class="badge badge-off">{dir.state.clone()}</span>
                <span class="muted">{crate::model::place_name(&dir.account, &dir.region)}</span>
                <a href=fleet>{format!("{} WorkSpaces", summary.workspaces)}</a>
                <a href=format!("/tags/{}", dir.id)>"Tags"</a>
                <span class="card-head-end">{deregister}</span>
            </div>
            <div class="detail-grid">
                <div>
                    <h3>"Directory"</h3>
                    <table class="props"><tbody>
                        {row("Alias", dir.alias.clone())}
                        {row("Type", dir.directory_type.clone())}
                        {row("Registration code", dir.registration_code.clone())}
                        {row("Tenancy", dir.tenancy.clone())}
                        {row("Service account", dir.customer_user_name.clone())}
                        {row("WorkSpaces IAM role", dir.iam_role_id.clone())}
                        {row("DNS addresses", Some(dir.dns_ip_addresses.join(", ")))}
                        {row("Subnets", Some(dir.subnet_ids.join(", ")))}
                        {row("Security group", dir.security_group_id.clone())}
                        {row("IP access control groups", Some(ip_groups))}
                    </tbody></table>
                    <p class="small"><a href="/ip-groups">"Manage IP groups and associations"</a></p>
                </div>
                <SwitchSection
                    title="Self-service permissions" op="self_service" change_label="Change self-service"
                    save_label="Save self-service" on_off=("yes", "no") directory_id=dir.id.clone()
                    switches=dir.self_service.map(|p| p.labelled().to_vec())
                    defaults=SelfService::default().labelled().to_vec() can_edit change
                />
                <CreationSection directory_id=dir.id.clone() current=dir.creation.clone() can_edit change/>
                <AccessSection directory_id=dir.id.clone() current=dir.access can_edit change/>
                <ClientSection directory_id=dir.id.clone() current=dir.client can_edit change/>
            </div>
        </section>
    }
}

/// A setting AWS may leave out, in words: enabled, disabled or not reported.
fn switch_word(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "enabled",
        Some(false) => "disabled",
        None => "not reported",
    }
}

/// What `not reported` means on this page: AWS did not return the property set.
fn not_reported() -> impl IntoView {
    view! { <p class="muted">"Not reported by AWS for this directory."</p> }
}

#[component]
fn CreationSection(
    directory_id: String,
    current: Option<CreationProperties>,
    can_edit: bool,
    change: ServerAction<ChangeDirectory>,
) -> impl IntoView {
    let shown = match current.clone() {
        None => not_reported().into_any(),
        Some(p) => view! {
            <table class="props"><tbody>
                {row("Internet access", yes_no(p.enable_internet_access))}
                {row("Users are local administrators", yes_no(p.user_enabled_as_local_administrator))}
                {row("Maintenance mode", yes_no(p.enable_maintenance_mode))}
                {row("Default OU", p.default_ou)}
                {row("Extra security group", p.custom_security_group_id)}
                {row("Instance IAM role", p.instance_iam_role_arn)}
                {row("WorkDocs", Some(switch_word(p.enable_work_docs).to_string()))}
            </tbody></table>
        }
        .into_any(),
    };
    let form = can_edit.then(|| {
        let p = current.unwrap_or_default();
        let boxes = vec![
            ("enable_internet_access", "Internet access", p.enable_internet_access),
            ("user_enabled_as_local_administrator", "Users are local administrators", p.user_enabled_as_local_administrator),
            ("enable_maintenance_mode", "Maintenance mode", p.enable_maintenance_mode),
        ];
        let keep = |value: Option<String>| value.unwrap_or_else(|| "not set".into());
        let work_docs_now = format!("unchanged ({})", switch_word(p.enable_work_docs));
        view! {
            <details class="manage"><summary class="button-secondary">"Change creation properties"</summary>
                <ActionForm action=change attr:class="stack">
                    <input type="hidden" name="op" value="creation"/>
                    <input type="hidden" name="directory_id" value=directory_id/>
                    <Checkboxes boxes/>
                    <label>"Default OU"<input type="text" name="default_ou" placeholder=keep(p.default_ou)/></label>
                    <label>"Extra security group"<input type="text" name="security_group" placeholder=keep(p.custom_security_group_id)/></label>
                    <label>"Instance IAM role ARN"<input type="text" name="iam_role" placeholder=keep(p.instance_iam_role_arn)/></label>
                    <label>"WorkDocs"
                        <select name="work_docs" aria-label="WorkDocs">
                            <option value="" selected=true>{work_docs_now}</option>
                            <option value="ENABLED">"enabled"</option>
                            <option value="DISABLED">"disabled"</option>
                        </select>
                    </label>
                    <p class="small muted">"A blank text field keeps its current value, and so does WorkDocs left unchanged. Enabling WorkDocs reaches the directory's existing WorkSpaces too; disabling it, only new ones."</p>
                    <button type="submit" class="button-secondary">"Save creation properties"</button>
                </ActionForm>
            </details>
        }
    });
    view! { <div><h3>"WorkSpace creation"</h3>{shown}{form}</div> }
}

/// Which client platforms may connect: each allowed, denied or (Windows, macOS only)
/// limited to trusted devices. Admins change them through one select per platform,
/// posted as `access[key]` = API word, starting from the current values, so a platform
/// the admin leaves alone is sent back as it was (TRUST stays TRUST).
#[component]
fn AccessSection(
    directory_id: String,
    /// `None` when AWS did not report the access properties.
    current: Option<AccessProperties>,
    can_edit: bool,
    change: ServerAction<ChangeDirectory>,
) -> impl IntoView {
    let shown = match current {
        None => not_reported().into_any(),
        Some(access) => view! {
            <table class="props"><tbody>
                {access.labelled().into_iter().map(|(platform, value)| row(platform.label, Some(value.label().to_string()))).collect_view()}
            </tbody></table>
        }
        .into_any(),
    };
    let form = can_edit.then(|| {
        let selects = current
            .unwrap_or_default()
            .labelled()
            .into_iter()
            .map(|(platform, value)| {
                let options = platform
                    .choices()
                    .iter()
                    .map(|choice| view! { <option value=choice.as_api() selected=*choice == value>{choice.label()}</option> })
                    .collect_view();
                view! { <label class="access-choice">{platform.label}<select name=format!("access[{}]", platform.key) aria-label=platform.label>{options}</select></label> }
            })
            .collect_view();
        view! {
            <details class="manage"><summary class="button-secondary">"Change access"</summary>
                <ActionForm action=change attr:class="stack">
                    <input type="hidden" name="op" value="access"/>
                    <input type="hidden" name="directory_id" value=directory_id/>
                    {selects}
                    <p class="small muted">{format!("\"{}\" admits only managed devices with valid certificates (Windows and macOS).", Access::Trust.label())}</p>
                    <button type="submit" class="button-secondary">"Save access"</button>
                </ActionForm>
            </details>
        }
    });
    view! { <div><h3>"Access (client platforms)"</h3>{shown}{form}</div> }
}

/// The WorkSpaces client settings (ReconnectEnabled, LogUploadEnabled). Each select
/// starts at "unchanged", which is not sent: the cache may be minutes old, and sending a
/// value nobody chose would undo a change made elsewhere since. A change needs a reason.
#[component]
fn ClientSection(
    directory_id: String,
    /// `None` when AWS did not report the client properties.
    current: Option<ClientProperties>,
    can_edit: bool,
    change: ServerAction<ChangeDirectory>,
) -> impl IntoView {
    let word = switch_word;
    let shown = match current {
        None => not_reported().into_any(),
        Some(client) => view! {
            <table class="props"><tbody>
                {client.labelled().into_iter().map(|(_, label, value)| row(label, Some(word(value).to_string()))).collect_view()}
            </tbody></table>
        }
        .into_any(),
    };
    let form = can_edit.then(|| {
        let selects = current
            .unwrap_or_default()
            .labelled()
            .into_iter()
            .map(|(key, label, value)| {
                let keep = format!("unchanged ({})", word(value));
                view! {
                    <label>{label}
                        <select name=key aria-label=label>
                            <option value="" selected=true>{keep}</option>
                            <option value="ENABLED">"enabled"</option>
                            <option value="DISABLED">"disabled"</option>
                        </select>
                    </label>
                }
            })
            .collect_view();
        view! {
            <details class="manage"><summary class="button-secondary">"Change client settings"</summary>
                <ActionForm action=change attr:class="stack">
                    <input type="hidden" name="op" value="client"/>
                    <input type="hidden" name="directory_id" value=directory_id/>
                    {selects}
                    <label>"Reason"<input type="text" name="reason" placeholder="Ticket or reason" required/></label>
                    <p class="small muted">"Only the settings you set to enabled or disabled are sent."</p>
                    <button type="submit" class="button-secondary">"Save client settings"</button>
                </ActionForm>
            </details>
        }
    });
    view! { <div><h3>"WorkSpaces client"</h3>{shown}{form}</div> }
}

/// A property set made of on/off switches (self-service permissions): shown as a
/// table, changed by admins through checkboxes.
#[component]
fn SwitchSection(
    title: &'static str,
    /// The change's `op` and the label of its summary and submit buttons.
    op: &'static str,
    change_label: &'static str,
    save_label: &'static str,
    /// Words for a switch that is on and off.
    on_off: (&'static str, &'static str),
    directory_id: String,
    /// Key, label and state of each switch; `None` when AWS did not report them.
    switches: Option<Vec<(&'static str, &'static str, bool)>>,
    /// What the form starts from when AWS did not report the switches.
    defaults: Vec<(&'static str, &'static str, bool)>,
    can_edit: bool,
    change: ServerAction<ChangeDirectory>,
) -> impl IntoView {
    let shown = match switches.clone() {
        None => not_reported().into_any(),
        Some(switches) => view! {
            <table class="props"><tbody>
                {switches.into_iter().map(|(_, label, on)| row(label, Some(if on { on_off.0 } else { on_off.1 }.to_string()))).collect_view()}
            </tbody></table>
        }
        .into_any(),
    };
    let form = can_edit.then(|| {
        let boxes = switches.unwrap_or(defaults);
        view! {
            <details class="manage"><summary class="button-secondary">{change_label}</summary>
                <ActionForm action=change attr:class="stack">
                    <input type="hidden" name="op" value=op/>
                    <input type="hidden" name="directory_id" value=directory_id/>
                    <Checkboxes boxes/>
                    <button type="submit" class="button-secondary">{save_label}</button>
                </ActionForm>
            </details>
        }
    });
    view! { <div><h3>{title}</h3>{shown}{form}</div> }
}

/// Checkboxes posted as `checked[i]` = key; the server reads the checked keys.
#[component]
fn Checkboxes(boxes: Vec<(&'static str, &'static str, bool)>) -> impl IntoView {
    boxes
        .into_iter()
        .enumerate()
        .map(|(i, (key, label, on))| {
            view! { <label class="check"><input type="checkbox" name=format!("checked[{i}]") value=key checked=on/>{label}</label> }
        })
        .collect_view()
}
