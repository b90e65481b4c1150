//! What a sent change did, read back from its audit entry: a change form's page comes
//! back with `done=<audit entry>` (see `server::plain_form`), and shows this report
//! above its forms.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::audit::list_audit;
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::model::{ActionKind, AuditEntry, AuditQuery, TargetStatus};

/// The report of the change the page came back from (`done=<audit entry>`), if any.
#[component]
pub fn DoneReport() -> impl IntoView {
    use_query_map()
        .with_untracked(|q| q.get("done"))
        .and_then(|done| done.parse::<i64>().ok())
        .map(|audit_id| view! { <SentReport audit_id/> })
}

/// Above a page's change forms: the report of the change the page came back from
/// (`done=`), or `error`, the error a failed plain form post came back with (which the
/// page's server action holds).
#[component]
pub fn ChangeOutcome(error: Option<AppError>) -> impl IntoView {
    view! {
        <DoneReport/>
        {error.map(|error| view! { <ErrorBox error/> })}
    }
}

/// The per-target outcome of audit entry `audit_id`.
#[component]
pub fn SentReport(audit_id: i64) -> impl IntoView {
    let entry = Resource::new(
        move || audit_id,
        |id| async move {
            let query = AuditQuery {
                entry: id.to_string(),
                ..AuditQuery::default()
            };
            Ok(list_audit(query).await?.entries.into_iter().next())
        },
    );
    let render = move |entry: Option<AuditEntry>| match entry {
        Some(entry) => view! { <Report entry/> }.into_any(),
        // Not visible to this user (another account) or not found: say where it is.
        None => view! {
            <div class="card action-report" role="status">
                <strong>{format!("Sent: audit entry #{audit_id}")}</strong>
                " "
                <a href=format!("/audit?entry={audit_id}")>"What AWS answered"</a>
            </div>
        }
        .into_any(),
    };
    view! { <Loaded resource=entry render/> }
}

#[component]
fn Report(entry: AuditEntry) -> impl IntoView {
    let succeeded = entry
        .targets
        .iter()
        .filter(|t| TargetStatus::parse(&t.outcome) == Some(TargetStatus::Succeeded))
        .count();
    let heading = heading(&entry, succeeded);
    view! {
        <div class="card action-report" role="status">
            <strong>{heading}</strong>
            " "
            <a href=format!("/audit?entry={}", entry.id)>"audit entry #" {entry.id}</a>
            <ul>
                {entry.targets.into_iter().map(|t| {
                    let class = TargetStatus::parse(&t.outcome)
                        .unwrap_or(TargetStatus::Failed)
                        .badge_class();
                    let link = format!("/workspaces/{}", t.target);
                    view! {
                        <li>
                            <a class="mono" href=link>{t.target}</a> " " <span class=class>{t.outcome}</span>
                            " " <span class="muted">{t.error}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(succeeded > 0).then(|| view! {
                <p class="muted small">"Accepted means AWS took the request; each WorkSpace's page shows the state it reaches."</p>
            })}
            <p><a href="/">"Back to the fleet"</a></p>
        </div>
    }
}

/// The report's first line: the sentence the change's plan wrote (its `summary`) and
/// how it ended, or the change's name and how many of its targets AWS accepted.
fn heading(entry: &AuditEntry, succeeded: usize) -> String {
    let params = serde_json::from_str::<serde_json::Value>(&entry.params).ok();
    let described = |key: &str| {
        params
            .as_ref()
            .and_then(|params| params.get(key)?.as_str().map(str::to_string))
    };
    if let Some(summary) = described("summary") {
        return match entry.outcome.as_str() {
            "succeeded" => summary,
            outcome => format!("{summary}: {outcome}"),
        };
    }
    let verb = entry.action.rsplit('.').next().unwrap_or(&entry.action);
    let label = described("label")
        .or_else(|| ActionKind::parse(verb).map(|kind| kind.label().to_string()))
        .unwrap_or_else(|| entry.action.clone());
    if entry.targets.is_empty() {
        format!("{label}: {}", entry.outcome)
    } else {
        format!(
            "{label}: {succeeded} of {} accepted by AWS",
            entry.targets.len()
        )
    }
}
