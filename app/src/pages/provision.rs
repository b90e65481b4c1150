//! The "New WorkSpaces" pages (admin). `/workspaces/new` is the form: directory, bundle,
//! running mode, protocol, encryption, tags and the users (pasted, or a CSV pasted or,
//! with JavaScript, read from a file). Posting it stores a draft and opens
//! `/workspaces/new/review?draft=N`, which lists every row with exactly what will be
//! created or why it is refused, asks for the reason and creates the WorkSpaces; after
//! that it shows AWS's answer per user. Both are plain forms, so they work without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::provision::{
    CreateWorkspaces, SaveProvisionDraft, get_provision_options, review_provision,
};
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::islands::provision_form::ProvisionForm;
use crate::islands::send_once::SendOnce;
use crate::model::{
    Bundle, CSV_COLUMNS, MANUAL_RUNNING_MODE_NOTE, MAX_PROVISION_ROWS, PROTOCOLS, ProvisionOptions,
    ProvisionReport, ProvisionReview, ProvisionRow, RUNNING_MODES, TargetStatus,
    encode_query_value, running_mode_label,
};

/// A bundle as the form and the review name it: name, compute type and storage.
fn bundle_label(bundle: &Bundle) -> String {
    format!(
        "{} · {} · root {} GiB, user {} GiB",
        bundle.name,
        bundle.compute_type.as_deref().unwrap_or("compute unknown"),
        bundle.root_storage_gib.as_deref().unwrap_or("?"),
        bundle.user_storage_gib.as_deref().unwrap_or("?"),
    )
}

/// The `draft` number in the page's query string, if any.
fn draft_param() -> Memo<Option<i64>> {
    let params = use_query_map();
    Memo::new(move |_| params.with(|p| p.get("draft").and_then(|d| d.parse().ok())))
}

#[component]
pub fn NewWorkspacesPage() -> impl IntoView {
    let draft = draft_param();
    let options = Resource::new(move || draft.get(), get_provision_options);
    let save = ServerAction::<SaveProvisionDraft>::new();
    view! {
        <Title text="New WorkSpaces"/>
        <p class="breadcrumb"><a href="/">"Fleet"</a> " / new WorkSpaces"</p>
        <div class="page-head"><h1>"New WorkSpaces"</h1></div>
        {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error/> })}
        <Loaded resource=options render=move |options| view! { <ProvisionFormView options save/> }/>
    }
}

#[component]
fn ProvisionFormView(
    options: ProvisionOptions,
    save: ServerAction<SaveProvisionDraft>,
) -> impl IntoView {
    let form = options.form;
    let directories = options.directories;
    let bundles = options.bundles;
    if directories.is_empty() {
        return view! {
            <div class="empty"><p>"No directory is registered with WorkSpaces in the configured Regions. "<a href="/directories">"Register one"</a></p></div>
        }
        .into_any();
    }
    // The bundles of every Region, under their Region; the server checks that the
    // bundle is in the directory's Region.
    let mut regions: Vec<String> = bundles.iter().map(|b| b.region.clone()).collect();
    regions.dedup();
    let columns = CSV_COLUMNS.join(",");
    view! {
        <section class="card">
            <ProvisionForm>
            <ActionForm action=save attr:class="register-form provision-form">
                <div class="field-box">
                    <label for="new-directory">"Directory"</label>
                    <select id="new-directory" name="form[directory_id]" required>
                        <option value="">"Choose a directory"</option>
                        {directories.iter().map(|d| {
                            let label = format!("{} ({}, {})", d.alias.clone().or(d.name.clone()).unwrap_or_else(|| d.id.clone()), d.id, d.region);
                            view! { <option value=d.id.clone() data-region=d.region.clone() selected=d.id == form.directory_id>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field-box">
                    <label for="new-bundle">"Bundle"</label>
                    <select id="new-bundle" name="form[bundle_id]" required>
                        <option value="">"Choose a bundle of the directory's Region"</option>
                        {regions.into_iter().map(|region| {
                            let options = bundles.iter().filter(|b| b.region == region).map(|b| {
                                view! { <option value=b.id.clone() selected=b.id == form.bundle_id>{bundle_label(b)}</option> }
                            }).collect_view();
                            view! { <optgroup label=region>{options}</optgroup> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field-box">
                    <label for="new-running-mode">"Running mode"</label>
                    <select id="new-running-mode" name="form[running_mode]">
                        // MANUAL is only for allow-listed WorkSpaces Core accounts
                        // (004_989ae404788726c9.txt:1008): its label says so.
                        {RUNNING_MODES.into_iter().map(|mode| view! { <option value=mode selected=mode == form.running_mode>{running_mode_label(mode)}</option> }).collect_view()}
                    </select>
                    <small class="muted">{MANUAL_RUNNING_MODE_NOTE}</small>
                </div>
                <div class="field-box">
                    <label for="new-auto-stop">"Auto-stop after (minutes)"</label>
                    <input id="new-auto-stop" type="number" name="form[auto_stop_timeout]" min="60" step="60" placeholder="60" value=form.auto_stop_timeout.clone()/>
                    <small class="muted">"AUTO_STOP only; in steps of 60."</small>
                </div>
                <div class="field-box">
                    <label for="new-protocol">"Protocol"</label>
                    <select id="new-protocol" name="form[protocol]">
                        <option value="">"Bundle default"</option>
                        {PROTOCOLS.into_iter().map(|p| view! { <option value=p selected=p == form.protocol>{p}</option> }).collect_view()}
                    </select>
                    // 004_989ae404788726c9.txt:1119.
                    <small class="muted">"Windows 7 and GPU bundles (Graphics, GraphicsPro, Graphics.g4dn, GraphicsPro.g4dn) keep their default: rows of those bundles asking for a protocol are refused."</small>
                </div>
                <div class="field-box">
                    <label for="new-kms-key">"KMS key"</label>
                    <input id="new-kms-key" type="text" name="form[kms_key]" placeholder="alias/workspaces or key ARN" value=form.kms_key.clone()/>
                    <small class="muted">"Required to encrypt a volume."</small>
                </div>
                <label class="check"><input type="checkbox" name="form[root_volume_encryption]" value="true" checked=form.root_volume_encryption/>" Encrypt the root volume"</label>
                <label class="check"><input type="checkbox" name="form[user_volume_encryption]" value="true" checked=form.user_volume_encryption/>" Encrypt the user volume"</label>
                <div class="field-box wide">
                    <label for="new-tags">"Tags"</label>
                    <textarea id="new-tags" name="form[tags]" rows="2" placeholder="CostCenter=1234">{form.tags.clone()}</textarea>
                    <small class="muted">"One Key=Value per line; at most 50, keys of 1–127 characters not starting with aws:, values up to 255."</small>
                </div>
                <div class="field-box wide">
                    <label for="new-users">"User names"</label>
                    <textarea id="new-users" name="form[users]" rows="6" placeholder="jdoe\nasmith">{form.users.clone()}</textarea>
                    <small class="muted">{format!("One directory user name per line; up to {MAX_PROVISION_ROWS} rows with the CSV.")}</small>
                </div>
                <div class="field-box wide">
                    <label for="new-csv">"CSV"</label>
                    <textarea id="new-csv" name="form[csv]" rows="6" placeholder=format!("{columns}\njdoe,,,,,,\nasmith,,ALWAYS_ON,,true,true,Team=sales")>{form.csv.clone()}</textarea>
                    <small class="muted">
                        "A header row, then one row per WorkSpace. Columns: " <code>"user_name"</code> " (required), and to override the form for that row: "
                        <code>"bundle_id"</code> ", " <code>"running_mode"</code> " (MANUAL: allow-listed WorkSpaces Core accounts only), " <code>"auto_stop_timeout_minutes"</code> ", "
                        <code>"root_volume_encryption"</code> " and " <code>"user_volume_encryption"</code> " (true or false), "
                        <code>"tags"</code> " (Key=Value;Key=Value, added to the form's tags). Empty cells keep the form's value."
                    </small>
                </div>
                <div class="field-box wide csv-file" hidden>
                    <label for="new-csv-file">"Or read a CSV file into the box above"</label>
                    <input id="new-csv-file" type="file" accept=".csv,text/csv"/>
                </div>
                <button type="submit">"Review…"</button>
            </ActionForm>
            </ProvisionForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn ProvisionReviewPage() -> impl IntoView {
    let draft = draft_param();
    let create = ServerAction::<CreateWorkspaces>::new();
    let review = Resource::new(
        move || (draft.get(), create.version().get()),
        |(draft, _)| async move {
            match draft {
                Some(draft) => review_provision(draft).await,
                None => Err(crate::error::AppError::Validation {
                    field: "draft".into(),
                    message: "the link names no provisioning request; start from New WorkSpaces"
                        .into(),
                }),
            }
        },
    );
    view! {
        <Title text="Review new WorkSpaces"/>
        <p class="breadcrumb"><a href="/">"Fleet"</a> " / " <a href="/workspaces/new">"new WorkSpaces"</a> " / review"</p>
        {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error/> })}
        <Loaded resource=review render=move |review| view! { <Review review create/> }/>
    }
}

#[component]
fn Review(review: ProvisionReview, create: ServerAction<CreateWorkspaces>) -> impl IntoView {
    let accepted = review.accepted();
    let total = review.rows.len();
    let directory = review.directory_name.clone().map_or_else(
        || review.directory_id.clone(),
        |name| format!("{name} ({})", review.directory_id),
    );
    let fleet = format!("/?directory={}", encode_query_value(&review.directory_id));
    let heading = if review.sent {
        "New WorkSpaces sent to AWS".to_string()
    } else {
        format!(
            "Create {accepted} of {}",
            crate::model::workspaces_count(total)
        )
    };
    let confirm = match (&review.report, review.sent) {
        (Some(report), _) => view! { <ReportView report=report.clone() fleet=fleet.clone()/> }.into_any(),
        (None, true) => view! {
            <div class="notice">"This request has been sent to AWS; its outcome is in the " <a href="/audit?action=workspace.create">"audit log"</a> "."</div>
        }.into_any(),
        (None, false) if accepted == 0 => view! {
            <div class="notice">"Every row is refused; nothing would be created. " <a href=format!("/workspaces/new?draft={}", review.draft)>"Edit the request"</a></div>
        }.into_any(),
        (None, false) => view! {
            <SendOnce>
            <section class="card bulk-confirm">
                <ActionForm action=create attr:class="stack">
                    <input type="hidden" name="draft" value=review.draft/>
                    <p class="confirm-text">{format!("AWS creates {accepted} WorkSpaces in {}, at most 25 per call; each stays PENDING until AWS has built it. Refused rows are not sent.", review.directory_id)}</p>
                    <label>
                        <span>"Reason or ticket"</span>
                        <input type="text" name="reason" required placeholder="CHG-12345: new starters"/>
                    </label>
                    <div class="inline-form">
                        <button type="submit">{format!("Create {}", crate::model::workspaces_count(accepted))}</button>
                        <a class="button-secondary" href=format!("/workspaces/new?draft={}", review.draft)>"Edit"</a>
                    </div>
                </ActionForm>
            </section>
            </SendOnce>
        }.into_any(),
    };
    view! {
        <div class="page-head"><h1>{heading}</h1></div>
        <p class="muted">{format!("{directory} · {}", review.region)}{review.kms_key.clone().map(|key| format!(" · KMS key {key}"))}</p>
        {(!review.rows.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="data provision-review">
                    <thead><tr>
                        <th>"Row"</th><th>"User"</th><th>"Bundle"</th><th>"Compute"</th><th>"Storage"</th>
                        <th>"Running mode"</th><th>"Encryption"</th><th>"Tags"</th><th>"What happens"</th>
                    </tr></thead>
                    <tbody>{review.rows.into_iter().map(|row| view! { <RowView row/> }).collect_view()}</tbody>
                </table>
            </div>
        })}
        {confirm}
    }
}

#[component]
fn RowView(row: ProvisionRow) -> impl IntoView {
    let (compute, storage, name) = match &row.bundle {
        Some(b) => (
            b.compute_type.clone().unwrap_or_default(),
            format!(
                "root {} GiB, user {} GiB",
                b.root_storage_gib.as_deref().unwrap_or("?"),
                b.user_storage_gib.as_deref().unwrap_or("?")
            ),
            b.name.clone(),
        ),
        None => (String::new(), String::new(), String::new()),
    };
    let mode = match (row.running_mode.as_str(), row.auto_stop_timeout_minutes) {
        ("AUTO_STOP", Some(minutes)) => format!("AUTO_STOP after {minutes} min"),
        (mode, _) => running_mode_label(mode),
    };
    let mode = match &row.protocol {
        Some(protocol) => format!("{mode} · {protocol}"),
        None => mode,
    };
    let encryption = match (row.root_volume_encrypted, row.user_volume_encrypted) {
        (true, true) => "root and user",
        (true, false) => "root",
        (false, true) => "user",
        (false, false) => "none",
    };
    let tags = row
        .tags
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect::<Vec<_>>()
        .join(", ");
    let (class, what) = match &row.refusal {
        None => ("", view! { <span class="badge badge-ok">"will be created"</span> }.into_any()),
        Some(reason) => ("refused", view! { <span class="badge badge-bad">"refused"</span> " " <span>{reason.clone()}</span> }.into_any()),
    };
    view! {
        <tr class=class>
            <td class="muted small">{row.source}</td>
            <td class="strong">{row.user_name}</td>
            <td><span class="mono">{row.bundle_id}</span><br/><span class="muted small">{name}</span></td>
            <td>{compute}</td>
            <td>{storage}</td>
            <td>{mode}</td>
            <td>{encryption}</td>
            <td class="small">{tags}</td>
            <td>{what}</td>
        </tr>
    }
}

#[component]
fn ReportView(report: ProvisionReport, fleet: String) -> impl IntoView {
    let created = report
        .results
        .iter()
        .filter(|r| r.outcome == TargetStatus::Succeeded)
        .count();
    view! {
        <div class="card action-report" role="status">
            <strong>{format!("{created} of {} WorkSpaces accepted by AWS", report.results.len())}</strong>
            " " <a href="/audit?action=workspace.create">"audit entry #" {report.audit_id}</a>
            " · " <a href=fleet>"see them in the fleet"</a>
            <ul>
                {report.results.into_iter().map(|r| {
                    let class = r.outcome.badge_class();
                    let created = r.workspace_id.map(|id| view! {
                        " → " <a class="mono" href=format!("/workspaces/{id}")>{id.clone()}</a>
                    });
                    view! {
                        <li><span class="strong">{r.target}</span> " " <span class=class>{r.outcome.as_str()}</span> {created} " " <span class="muted">{r.message}</span></li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
