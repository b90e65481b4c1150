//! The WorkSpace detail page (`/workspaces/{id}`): every property from the cache, tags,
//! connection status, the state timeline, (live) snapshots and applications, the
//! help-desk and admin actions, and the standby card (its pair in another Region, or
//! the form that creates one).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::actions::CreateStandby;
use crate::api::actions::RunAction;
use crate::api::fleet::get_workspace;
use crate::api::health::get_session_health;
use crate::components::actions::WorkspaceActions;
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::components::props::{row, yes_no};
use crate::components::sent_report::DoneReport;
use crate::components::session_health::SessionHealthCard;
use crate::components::state_badge::StateBadge;
use crate::components::sync_bar::short_time;
use crate::error::AppError;
use crate::islands::follow_state::FollowState;
use crate::model::{
    RelatedWorkspace, Role, SessionHealth, Snapshot, StandbyRegion, StandbyRole, WorkspaceDetail,
};
use crate::pages::applications::{ApplicationsCard, ApplicationsCardData};

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let title = super::id_title(params, "WorkSpace");
    let action = ServerAction::<RunAction>::new();
    let detail = Resource::new(id, get_workspace);
    // Made here, not in the card: see `ApplicationsCardData`.
    let applications = ApplicationsCardData::new(id);
    let query = leptos_router::hooks::use_query_map();
    let window = move || query.with(|q| q.get("window").unwrap_or_default());
    let health = Resource::new(
        move || (id(), window()),
        |(id, window)| get_session_health(id, window),
    );
    view! {
        <Title text=title/>
        <p class="breadcrumb"><a href="/">"Fleet"</a> " / " <span class="mono">{id}</span></p>
        <DoneReport/>
        <Loaded resource=detail render=move |detail| view! { <Detail detail action applications health/> }/>
    }
}

/// A label and a value, or a dash when the API did not say.
#[component]
fn Detail(
    detail: WorkspaceDetail,
    action: ServerAction<RunAction>,
    applications: ApplicationsCardData,
    /// Made in the page, not here (see `ApplicationsCardData`).
    health: Resource<Result<SessionHealth, AppError>>,
) -> impl IntoView {
    let ws = detail.workspace;
    let audit_link = format!("/audit?target={}", ws.id);
    let for_actions = ws.clone();
    let snapshots_for_actions = detail
        .snapshots_error
        .is_none()
        .then(|| detail.snapshots.clone());
    let bundles_for_actions = detail.migration_bundles.clone();
    let migrations = detail.migrations.clone();
    let this_id = ws.id.clone();
    let form_token = detail.form_token.clone();
    let d = detail.details;
    let gib = |v: Option<i32>| v.map(|v| format!("{v} GiB"));
    view! {
        <div class="page-head">
            <h1>{ws.user_name.clone()} " " <span class="muted mono">{ws.id.clone()}</span></h1>
            <StateBadge state=ws.state.clone()/>
        </div>
        // A WorkSpace in a transitional state (REBOOTING, …) is followed until it settles.
        {ws.state.is_transitional().then(|| view! { <FollowState id=ws.id.clone() state=ws.state.clone()/> })}
        // State (the badge above), connection and session health in one screen.
        <p class="connection-line">
            "Connection: " {ws.connection_state.clone().unwrap_or_else(|| "not reported".into())}
            " · last user connection " {ws.last_user_connection.as_deref().map(short_time).unwrap_or_else(|| "never".into())}
        </p>
        {ws.removed_at.clone().map(|at| view! {
            <div class="notice">"This WorkSpace is no longer returned by AWS (removed " {short_time(&at)} "). Kept for history."</div>
        })}
        {ws.error_code.clone().map(|code| view! {
            <div class="error-box"><strong>{code}</strong><p>{ws.error_message.clone()}</p></div>
        })}
        <Transition fallback=|| ()>
            {move || {
                let workspace = for_actions.clone();
                let snapshots = snapshots_for_actions.clone();
                let bundles = bundles_for_actions.clone();
                let form_token = form_token.clone();
                Suspend::new(async move {
                    let role = crate::session::current_role().await;
                    view! { <WorkspaceActions action workspace role snapshots bundles form_token/> }
                })
            }}
        </Transition>
        {migrations.into_iter().map(|m| {
            let (text, other) = if m.source_id == this_id {
                ("Migrated to", m.target_id)
            } else {
                ("Migrated from", m.source_id)
            };
            view! {
                <div class="notice">{text} " " <a class="mono" href=format!("/workspaces/{other}")>{other.clone()}</a> " (" {short_time(&m.at)} ")"</div>
            }
        }).collect_view()}
        <p><a href=audit_link>"Audit history of this WorkSpace"</a></p>
        <Loaded resource=health render=move |health| view! { <SessionHealthCard health/> }/>
        <div class="detail-grid">
            <section class="card">
                <h2>"WorkSpace"</h2>
                <table class="props"><tbody>
                    {row("User", Some(ws.user_name.clone()))}
                    {row("Name", d.workspace_name.clone())}
                    {row("Computer name", ws.computer_name.clone())}
                    {row("IP address", ws.ip_address.clone())}
                    {(!ws.account.is_empty()).then(|| row("Account", Some(ws.account.clone())))}
                    {row("Region", Some(ws.region.clone()))}
                    {row("Directory", Some(ws.directory_id.clone()))}
                    {row("Subnet", ws.subnet_id.clone())}
                    {row("Bundle", Some(ws.bundle_id.clone()))}
                    {row("Operating system", ws.operating_system.clone())}
                    {row("Protocols", Some(ws.protocols.join(", ")))}
                </tbody></table>
            </section>
            <section class="card">
                <h2>"Compute and storage"</h2>
                <table class="props"><tbody>
                    {row("Compute type", ws.compute_type.clone())}
                    {row("Running mode", ws.running_mode.clone())}
                    {row("Auto-stop after", ws.auto_stop_timeout_minutes.filter(|m| *m > 0).map(|m| format!("{m} minutes")))}
                    {row("Root volume", gib(ws.root_volume_gib))}
                    {row("User volume", gib(ws.user_volume_gib))}
                    {row("Root volume encrypted", yes_no(ws.root_volume_encrypted))}
                    {row("User volume encrypted", yes_no(ws.user_volume_encrypted))}
                    {row(
                        "Pending modifications",
                        Some(d.modification_states.iter().map(|(r, s)| format!("{r}: {s}")).collect::<Vec<_>>().join(", ")),
                    )}
                </tbody></table>
            </section>
            <section class="card">
                <h2>"Connection"</h2>
                <table class="props"><tbody>
                    {row("Connection state", ws.connection_state.clone())}
                    {row("Last user connection", Some(ws.last_user_connection.as_deref().map(short_time).unwrap_or_else(|| "never".into())))}
                </tbody></table>
            </section>
            <ApplicationsCard data=applications/>
            <StandbyCard
                id=ws.id.clone()
                role=ws.standby_role
                related=d.related_workspaces.clone()
                configured=detail.configured_regions.clone()
                regions=detail.standby_regions.clone()
            />
            <section class="card">
                <h2>"Tags " <a class="small" href=format!("/tags/{}", this_id)>"View and edit"</a></h2>
                {match (detail.tags, detail.tags_error) {
                    (Some(tags), _) if tags.is_empty() => view! { <p class="muted">"No tags."</p> }.into_any(),
                    (Some(tags), _) => view! {
                        <table class="props"><tbody>
                            {tags.into_iter().map(|t| row(t.key, Some(t.value))).collect_view()}
                        </tbody></table>
                    }.into_any(),
                    (None, error) => view! {
                        <p class="muted">"Tags not loaded yet" {error.map(|e| format!(": {e}"))}</p>
                    }.into_any(),
                }}
            </section>
            <section class="card">
                <h2>"State timeline"</h2>
                {if detail.timeline.is_empty() {
                    view! { <p class="muted">"No state change recorded yet."</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline">
                            {detail.timeline.into_iter().map(|change| view! {
                                <li>
                                    <span class="mono">{short_time(&change.observed_at)}</span>
                                    " "
                                    {match change.from_state {
                                        Some(from) => format!("{from} → {}", change.to_state),
                                        None => format!("first seen as {}", change.to_state),
                                    }}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>"Snapshots"</h2>
                {match detail.snapshots_error {
                    Some(error) => view! { <p class="muted">"Snapshots could not be fetched: " {error}</p> }.into_any(),
                    None if detail.snapshots.is_empty() => view! { <p class="muted">"No snapshots."</p> }.into_any(),
                    None => {
                        let mut snapshots = detail.snapshots;
                        snapshots.sort_by(|a, b| b.time.cmp(&a.time));
                        view! {
                        <p class="small muted">"Rebuild recreates the WorkSpace from its bundle's image and brings back the user volume from a rebuild snapshot; restore brings back both volumes from a restore snapshot."</p>
                        <table class="props"><tbody>
                            {["restore", "rebuild"].into_iter().map(|kind| {
                                let times: Vec<String> = snapshots.iter().filter(|s| s.kind == kind).map(|s| short_time(&s.time)).collect();
                                let label = format!("{} snapshots: {}", if kind == "restore" { "Restore" } else { "Rebuild" }, Snapshot::contents(kind));
                                let value = if times.is_empty() { "none reported".to_string() } else { times.join(", ") };
                                view! { <tr data-snapshot-kind=kind><th>{label}</th><td class="mono">{value}</td></tr> }
                            }).collect_view()}
                        </tbody></table>
                    }.into_any()},
                }}
            </section>
        </div>
    }
}

/// The WorkSpace's multi-Region pair: its primary or standby with Region, type and state
/// (linked when that Region is configured), and for admins the form creating a standby.
#[component]
fn StandbyCard(
    id: String,
    role: Option<StandbyRole>,
    related: Vec<RelatedWorkspace>,
    configured: Vec<String>,
    regions: Vec<StandbyRegion>,
) -> impl IntoView {
    let create = ServerAction::<CreateStandby>::new();
    let summary = match role {
        Some(StandbyRole::Primary) => {
            "This is a primary WorkSpace with a standby in another Region."
        }
        Some(StandbyRole::Standby) => "This is a standby WorkSpace of a primary in another Region.",
        None => "This WorkSpace has no standby.",
    };
    let table = (!related.is_empty()).then(|| view! {
        <table class="data compact">
            <thead><tr><th>"WorkSpace"</th><th>"Region"</th><th>"Type"</th><th>"State"</th></tr></thead>
            <tbody>
                {related.into_iter().map(|r| {
                    let linked = r.region.as_ref().is_some_and(|region| configured.contains(region));
                    view! {
                        <tr>
                            <td class="mono">{if linked {
                                view! { <a href=format!("/workspaces/{}", r.id)>{r.id.clone()}</a> }.into_any()
                            } else {
                                view! { <span title="Region not configured in Fleetdesk">{r.id.clone()}</span> }.into_any()
                            }}</td>
                            <td>{r.region.clone()}</td>
                            <td>{r.relation.clone()}</td>
                            <td>{r.state.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    });
    let form = move || {
        let regions = regions.clone();
        let id = id.clone();
        Suspend::new(async move {
            let admin = crate::session::current_role().await >= Some(Role::Admin);
            (admin && !regions.is_empty()).then(|| view! { <StandbyForm id regions create/> })
        })
    };
    view! {
        <section class="card">
            <h2>"Standby (multi-Region)"</h2>
            <p class="small">{summary}</p>
            {table}
            <Transition fallback=|| ()>{form}</Transition>
            {create.value().get_untracked().and_then(Result::err).map(|error| view! { <ErrorBox error/> })}
        </section>
    }
}

/// The admin's form creating a standby: Region and directory there, KMS key, tags, reason.
#[component]
fn StandbyForm(
    id: String,
    regions: Vec<StandbyRegion>,
    create: ServerAction<CreateStandby>,
) -> impl IntoView {
    view! {
        <details class="action-confirm">
            <summary class="button-secondary">"Create standby…"</summary>
            <ActionForm action=create attr:class="stack">
                <input type="hidden" name="id" value=id/>
                <p class="confirm-text">"AWS creates a standby WorkSpace for the same user in the chosen Region and directory; the user can switch to it when this Region is impaired. The standby is billed as a WorkSpace of its own."</p>
                <label><span>"Standby Region and directory"</span>
                    <select name="directory_id" required>
                        {regions.iter().flat_map(|r| r.directories.iter().map(move |(dir, name)| {
                            let text = format!("{} — {name} ({dir})", r.region);
                            view! { <option value=dir.clone()>{text}</option> }
                        })).collect_view()}
                    </select>
                </label>
                <label><span>"KMS key for volume encryption (optional)"</span>
                    <input type="text" name="volume_encryption_key" placeholder="arn:aws:kms:…:key/…"/>
                </label>
                <label><span>"Tags, one Key=Value per line (optional)"</span>
                    <textarea name="tags" rows="2" class="mono"></textarea>
                </label>
                <label><span>"Reason or ticket"</span>
                    <input type="text" name="reason" required placeholder="DR-42: business continuity"/>
                </label>
                <button type="submit">"Create standby"</button>
            </ActionForm>
        </details>
    }
}
