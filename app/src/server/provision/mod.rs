//! Provisioning new WorkSpaces (admin): the form and its CSV are read into rows, a pure
//! [`review`] decides for each row exactly what will be created or why it is refused
//! (against the cached directories, bundles and WorkSpaces), a pure [`plan`] turns the
//! accepted rows into CreateWorkspaces calls of at most 25, and [`run`] carries the plan
//! out through the shared executor, inserts the new WorkSpaces as PENDING and follows
//! them until they settle.
//!
//! The request is stored as a draft between the form and the review page
//! ([`crate::server::repo::provision`]): a list of 500 users does not fit in a link, and
//! confirming then sends only the draft's number and the reason.
//!
//! `rows` reads the form and its CSV into rows; this file holds the review, the plan and
//! the services.

mod rows;

pub use rows::{Defaults, RowInput, defaults, parse_csv, rows_of, user_name_problem};

use std::collections::HashMap;

use serde_json::json;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{
    Bundle, Directory, FleetQuery, Image, ProvisionForm, ProvisionOptions, ProvisionReport,
    ProvisionResult, ProvisionReview, ProvisionRow, Workspace, WorkspaceDetails, WorkspaceState,
    bundle_image, protocol_problem, tenancy_problem,
};
use crate::server::actions::{FOLLOW_FOR, follow};
use crate::server::aws::{
    API_BATCH_LIMIT, Change, DescribedWorkspace, NewWorkspace, WorkspaceChange,
};
use crate::server::caller::Caller;
use crate::server::changes::{CacheOp, Call, Plan, invalid, skipped};
use crate::server::repo::inventory::{self, ItemKind};
use crate::server::repo::provision as drafts;
use crate::server::resources::visible_items;

use rows::{auto_stop_minutes, running_mode, yes_no};

/// Why `bundle_id` cannot be used in `directory`: unknown, in another Region, or a
/// BYOL bundle (its cached image needs DEDICATED tenancy) in a directory that is not
/// DEDICATED ([`tenancy_problem`], 000_694e23744a3a4a46.txt:3740, :4070).
fn bundle_problem(
    bundle_id: &str,
    directory: &Directory,
    bundles: &[Bundle],
    images: &[Image],
) -> Option<String> {
    match bundles.iter().find(|b| b.id == bundle_id) {
        _ if bundle_id.is_empty() => Some("choose a bundle".into()),
        None => Some(format!("bundle {bundle_id} is not in the inventory")),
        Some(bundle)
            if bundle.region != directory.region || bundle.account != directory.account =>
        {
            Some(format!(
                "bundle {bundle_id} is in {}, the directory in {}",
                bundle.region, directory.region
            ))
        }
        Some(bundle) => tenancy_problem(bundle, bundle_image(bundle, images), directory),
    }
}

/// Decides every row: what it creates, or why it is refused. `images` are the cached
/// images (a bundle's image tells whether it is BYOL or Windows 7), `existing` the
/// cached WorkSpaces of the directory. Pure: no database, no AWS.
///
/// A user gets no second WorkSpace from the same bundle in the same directory; AWS
/// accepts more than one WorkSpace per user in a directory only from different
/// bundles, so a WorkSpace from another bundle does not refuse the row. A row's bundle
/// must suit the directory's tenancy ([`bundle_problem`]), and a protocol asked for must
/// be one its bundle can take ([`protocol_problem`], 004_989ae404788726c9.txt:1119).
pub fn review(
    rows: Vec<RowInput>,
    defaults: &Defaults,
    bundles: &[Bundle],
    images: &[Image],
    existing: &[Workspace],
) -> Vec<ProvisionRow> {
    let mut first_seen: HashMap<String, String> = HashMap::new();
    rows.into_iter()
        .map(|input| {
            let mut refusals: Vec<String> = Vec::new();
            if let Some(reason) = &input.unreadable {
                refusals.push(reason.clone());
            }
            if let Some(problem) = user_name_problem(&input.user_name) {
                refusals.push(problem);
            } else {
                let key = input.user_name.to_lowercase();
                match first_seen.get(&key) {
                    Some(first) => refusals.push(format!(
                        "{} is listed twice (first on {first})",
                        input.user_name
                    )),
                    None => {
                        first_seen.insert(key, input.source.clone());
                    }
                }
            }
            let bundle_id = input
                .bundle_id
                .clone()
                .unwrap_or_else(|| defaults.bundle_id.clone());
            let bundle = bundles.iter().find(|b| b.id == bundle_id);
            if let Some(problem) = bundle_problem(&bundle_id, &defaults.directory, bundles, images)
            {
                refusals.push(problem);
            }
            if let (Some(bundle), Some(protocol)) = (bundle, &defaults.protocol)
                && let Some(problem) =
                    protocol_problem(bundle, bundle_image(bundle, images), protocol)
            {
                refusals.push(format!("bundle {bundle_id}: {problem}"));
            }
            if let Some(ws) = existing.iter().find(|ws| {
                ws.user_name.eq_ignore_ascii_case(&input.user_name)
                    && ws.bundle_id == bundle_id
                    && ws.removed_at.is_none()
                    && !matches!(
                        ws.state,
                        WorkspaceState::Terminated | WorkspaceState::Terminating
                    )
            }) {
                refusals.push(format!(
                    "{} already has WorkSpace {} from bundle {bundle_id} in this directory",
                    input.user_name, ws.id
                ));
            }
            let mode = match &input.running_mode {
                None => defaults.running_mode.clone(),
                Some(value) => running_mode(value).unwrap_or_else(|| {
                    refusals.push(format!(
                        "unknown running mode {value:?} (AUTO_STOP, ALWAYS_ON or MANUAL)"
                    ));
                    value.clone()
                }),
            };
            let auto_stop_timeout_minutes = match (&input.auto_stop_timeout, mode.as_str()) {
                (None, "AUTO_STOP") => Some(defaults.auto_stop_timeout_minutes),
                (None, _) => None,
                (Some(value), "AUTO_STOP") => match auto_stop_minutes(value) {
                    Ok(minutes) => Some(minutes),
                    Err(problem) => {
                        refusals.push(problem);
                        None
                    }
                },
                (Some(_), _) => {
                    refusals.push(format!(
                        "an auto-stop timeout applies to AUTO_STOP only, not {mode}"
                    ));
                    None
                }
            };
            let mut encryption = |value: &Option<String>, default: bool, volume: &str| match value {
                None => default,
                Some(text) => yes_no(text).unwrap_or_else(|| {
                    refusals.push(format!(
                        "{volume}_volume_encryption {text:?} is not true or false"
                    ));
                    false
                }),
            };
            let root_volume_encrypted = encryption(
                &input.root_volume_encryption,
                defaults.root_volume_encrypted,
                "root",
            );
            let user_volume_encrypted = encryption(
                &input.user_volume_encryption,
                defaults.user_volume_encrypted,
                "user",
            );
            if (root_volume_encrypted || user_volume_encrypted) && defaults.kms_key.is_none() {
                refusals.push("encryption needs a KMS key; enter it in the form".into());
            }
            let mut row_tags = defaults.tags.clone();
            for tag in crate::model::parse_tags(input.tags.as_deref().unwrap_or_default(), ';') {
                row_tags.retain(|t| t.key != tag.key);
                row_tags.push(tag);
            }
            if let Err(problem) = crate::model::check_tags(&row_tags) {
                refusals.push(problem);
            }
            ProvisionRow {
                source: input.source,
                user_name: input.user_name,
                bundle: bundle.cloned(),
                bundle_id,
                running_mode: mode,
                auto_stop_timeout_minutes,
                protocol: defaults.protocol.clone(),
                root_volume_encrypted,
                user_volume_encrypted,
                tags: row_tags,
                refusal: (!refusals.is_empty()).then(|| refusals.join("; ")),
            }
        })
        .collect()
}

/// The target a row is audited under: its user name, or where it was in the request
/// when that name is unusable or already taken by an earlier row.
fn target_of(row: &ProvisionRow, taken: &mut Vec<String>) -> String {
    let name = row.user_name.to_lowercase();
    let target = if user_name_problem(&row.user_name).is_none() && !taken.contains(&name) {
        row.user_name.clone()
    } else {
        row.source.clone()
    };
    taken.push(target.to_lowercase());
    target
}

/// The gibibytes a bundle's storage text (`"80"`) gives.
fn gib(text: Option<&String>) -> Option<i32> {
    text.and_then(|t| t.trim().parse().ok())
}

/// Turns reviewed rows into the plan: CreateWorkspaces calls of at most
/// [`API_BATCH_LIMIT`] users (000_694e23744a3a4a46.txt:1370), refused rows audited as
/// skipped, and a PENDING cache row for each WorkSpace AWS accepts. Pure.
pub fn plan(rows: &[ProvisionRow], defaults: &Defaults, reason: &str) -> Result<Plan, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "give a reason or ticket number"));
    }
    if reason.chars().count() > 500 {
        return Err(invalid("reason", "keep the reason under 500 characters"));
    }
    let directory = &defaults.directory;
    let encrypting = |row: &ProvisionRow| row.root_volume_encrypted || row.user_volume_encrypted;
    let mut taken = Vec::new();
    let mut skipped_rows = Vec::new();
    let mut accepted: Vec<(String, NewWorkspace)> = Vec::new();
    let mut cache = Vec::new();
    for row in rows {
        let target = target_of(row, &mut taken);
        if let Some(reason) = &row.refusal {
            skipped_rows.push(skipped(&target, Some(&directory.region), reason.clone()));
            continue;
        }
        let workspace = Workspace {
            account: directory.account.clone(),
            region: directory.region.clone(),
            directory_id: directory.id.clone(),
            user_name: row.user_name.clone(),
            bundle_id: row.bundle_id.clone(),
            compute_type: row.bundle.as_ref().and_then(|b| b.compute_type.clone()),
            running_mode: Some(row.running_mode.clone()),
            auto_stop_timeout_minutes: row.auto_stop_timeout_minutes,
            root_volume_gib: gib(row
                .bundle
                .as_ref()
                .and_then(|b| b.root_storage_gib.as_ref())),
            user_volume_gib: gib(row
                .bundle
                .as_ref()
                .and_then(|b| b.user_storage_gib.as_ref())),
            root_volume_encrypted: row.root_volume_encrypted,
            user_volume_encrypted: row.user_volume_encrypted,
            protocols: row.protocol.iter().cloned().collect(),
            ..Workspace::default()
        };
        let details = WorkspaceDetails::default();
        cache.push((
            target.clone(),
            CacheOp::NewWorkspace(Box::new(DescribedWorkspace { workspace, details })),
        ));
        accepted.push((
            target,
            NewWorkspace {
                directory_id: directory.id.clone(),
                user_name: row.user_name.clone(),
                bundle_id: row.bundle_id.clone(),
                running_mode: row.running_mode.clone(),
                auto_stop_timeout_minutes: row.auto_stop_timeout_minutes,
                protocols: row.protocol.iter().cloned().collect(),
                root_volume_encrypted: row.root_volume_encrypted,
                user_volume_encrypted: row.user_volume_encrypted,
                volume_encryption_key: encrypting(row).then(|| defaults.kms_key.clone()).flatten(),
                tags: row.tags.clone(),
            },
        ));
    }
    let calls = accepted
        .chunks(API_BATCH_LIMIT)
        .map(|chunk| Call {
            account: directory.account.clone(),
            region: directory.region.clone(),
            change: Change::Workspace(WorkspaceChange::Create(
                chunk.iter().map(|(_, ws)| ws.clone()).collect(),
            )),
            targets: chunk.iter().map(|(target, _)| target.clone()).collect(),
        })
        .collect();
    let requests: Vec<_> = rows
        .iter()
        .filter(|row| row.refusal.is_none())
        .map(|row| {
            json!({
                "user_name": row.user_name, "bundle_id": row.bundle_id,
                "running_mode": row.running_mode, "auto_stop_timeout_minutes": row.auto_stop_timeout_minutes,
                "protocol": row.protocol, "root_volume_encrypted": row.root_volume_encrypted,
                "user_volume_encrypted": row.user_volume_encrypted,
                "tags": row.tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Plan {
        action: "workspace.create".into(),
        params: json!({
            "directory_id": directory.id,
            "region": directory.region,
            "kms_key": rows.iter().any(encrypting).then(|| defaults.kms_key.clone()).flatten(),
            "requests": requests,
        }),
        reason: Some(reason.to_string()),
        calls,
        skipped: skipped_rows,
        cache,
    })
}

/// The cached state a review is decided against: directories, bundles, images, and
/// the WorkSpaces of the form's directory.
async fn reviewed(
    pool: &AnyPool,
    form: &ProvisionForm,
) -> Result<(Defaults, Vec<ProvisionRow>), AppError> {
    let directories: Vec<Directory> = inventory::items(pool, ItemKind::Directory).await?;
    let bundles: Vec<Bundle> = inventory::items(pool, ItemKind::Bundle).await?;
    let images: Vec<Image> = inventory::items(pool, ItemKind::Image).await?;
    let defaults = defaults(form, &directories, &bundles, &images)?;
    let rows = rows_of(form)?;
    let query = FleetQuery {
        directory: defaults.directory.id.clone(),
        ..FleetQuery::default()
    };
    let existing = inventory::fleet_rows(pool, &query, None).await?;
    let reviewed = review(rows, &defaults, &bundles, &images, &existing);
    Ok((defaults, reviewed))
}

/// Checks a form and stores it as a draft of `user`; returns the draft's number for
/// the review page.
pub async fn save_draft(caller: &Caller, form: &ProvisionForm) -> Result<i64, AppError> {
    caller.require_admin()?;
    reviewed(caller.pool(), form).await?;
    Ok(drafts::save(caller.pool(), caller.user.id, form).await?)
}

/// The stored form of `user`'s draft, for editing it again.
pub async fn draft_form(caller: &Caller, draft: i64) -> Result<ProvisionForm, AppError> {
    caller.require_admin()?;
    let found = drafts::load(caller.pool(), draft, caller.user.id).await?;
    Ok(found
        .ok_or_else(|| AppError::NotFound(format!("provisioning request {draft}")))?
        .form)
}

/// The review of `user`'s draft against the cache as it is now, with AWS's answer once
/// the draft has run.
pub async fn review_draft(caller: &Caller, draft: i64) -> Result<ProvisionReview, AppError> {
    caller.require_admin()?;
    let found = drafts::load(caller.pool(), draft, caller.user.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("provisioning request {draft}")))?;
    if found.sent {
        // What was sent is in the report and the audit log; a review against today's
        // cache would only find the new WorkSpaces in the way of themselves.
        let directories: Vec<Directory> =
            inventory::items(caller.pool(), ItemKind::Directory).await?;
        let directory = directories.iter().find(|d| d.id == found.form.directory_id);
        return Ok(ProvisionReview {
            draft,
            directory_id: found.form.directory_id.clone(),
            directory_name: directory.and_then(|d| d.alias.clone().or(d.name.clone())),
            region: directory.map(|d| d.region.clone()).unwrap_or_default(),
            kms_key: None,
            rows: Vec::new(),
            sent: true,
            report: found.report,
        });
    }
    let (defaults, rows) = reviewed(caller.pool(), &found.form).await?;
    Ok(ProvisionReview {
        draft,
        directory_id: defaults.directory.id.clone(),
        directory_name: defaults
            .directory
            .alias
            .clone()
            .or(defaults.directory.name.clone()),
        region: defaults.directory.region.clone(),
        kms_key: defaults.kms_key.clone(),
        rows,
        sent: false,
        report: None,
    })
}

/// Creates the WorkSpaces of `user`'s draft: reviewed again against the cache, audited
/// as one entry with one outcome per row, the new WorkSpaces inserted as PENDING and
/// followed until they settle. A draft runs once.
pub async fn run(caller: &Caller, draft: i64, reason: &str) -> Result<ProvisionReport, AppError> {
    caller.require_admin()?;
    let found = drafts::load(caller.pool(), draft, caller.user.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("provisioning request {draft}")))?;
    let already_sent = || {
        invalid(
            "draft",
            "this request has already been sent; its results are on the review page",
        )
    };
    if found.sent {
        return Err(already_sent());
    }
    let (defaults, rows) = reviewed(caller.pool(), &found.form).await?;
    let plan = plan(&rows, &defaults, reason)?;
    if !drafts::claim(caller.pool(), draft).await? {
        return Err(already_sent());
    }
    let executed = caller.execute(plan).await?;
    let directory = &defaults.directory;
    let followed: Vec<(String, String, String)> = executed
        .created
        .values()
        .map(|id| {
            (
                directory.account.clone(),
                directory.region.clone(),
                id.clone(),
            )
        })
        .collect();
    if !followed.is_empty() {
        tokio::spawn(follow(
            caller.pool().clone(),
            caller.workspaces.clone(),
            followed,
            FOLLOW_FOR,
        ));
    }
    let report = ProvisionReport {
        audit_id: executed.audit_id,
        results: executed
            .targets
            .iter()
            .map(|t| ProvisionResult {
                target: t.target.clone(),
                outcome: t.outcome,
                workspace_id: executed.created.get(&t.target).cloned(),
                message: match (&t.error_code, &t.error_message) {
                    (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                    (code, message) => code.clone().or(message.clone()),
                },
            })
            .collect(),
    };
    drafts::finish(caller.pool(), draft, &report).await?;
    Ok(report)
}

/// The cached directories and bundles to choose from, and the form of draft `draft`
/// when the admin goes back to edit it (empty otherwise).
pub async fn options(caller: &Caller, draft: Option<i64>) -> Result<ProvisionOptions, AppError> {
    let form = match draft {
        Some(draft) => draft_form(caller, draft).await?,
        None => ProvisionForm::default(),
    };
    // Only the accounts the admin may use (issue 20, finding 7: registration codes of
    // other accounts were listed).
    Ok(ProvisionOptions {
        directories: visible_items(caller, ItemKind::Directory).await?,
        bundles: visible_items(caller, ItemKind::Bundle).await?,
        form,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MAX_PROVISION_ROWS;

    /// Issue 20, finding 8: a CSV of only blank records (`""`, blank lines before it)
    /// panicked the request; it is a 400 naming the field.
    #[test]
    fn a_csv_without_a_header_line_is_refused() {
        for csv in ["\"\"", "\n\n\"\"\n", "\"\",\"\""] {
            let form = ProvisionForm {
                csv: csv.into(),
                ..ProvisionForm::default()
            };
            match rows_of(&form) {
                Err(AppError::Validation { field, .. }) => assert_eq!(field, "csv", "{csv:?}"),
                other => panic!("{csv:?}: {other:?}"),
            }
        }
    }
    use crate::model::TargetStatus;

    fn directory(id: &str, region: &str) -> Directory {
        Directory {
            alias: Some("corp".into()),
            ..crate::server::standby::tests::directory(id, region, "REGISTERED")
        }
    }

    fn bundle(id: &str, region: &str) -> Bundle {
        Bundle {
            name: format!("{id} name"),
            compute_type: Some("STANDARD".into()),
            root_storage_gib: Some("80".into()),
            user_storage_gib: Some("50".into()),
            state: Some("AVAILABLE".into()),
            ..crate::server::actions::tests::bundle(id, region)
        }
    }

    fn existing(user: &str, bundle_id: &str) -> Workspace {
        Workspace {
            user_name: user.into(),
            directory_id: "d-1234567890".into(),
            bundle_id: bundle_id.into(),
            running_mode: None,
            ..crate::server::actions::tests::workspace(
                &format!("ws-{user}"),
                WorkspaceState::Available,
                "AUTO_STOP",
            )
        }
    }

    fn directories() -> Vec<Directory> {
        vec![directory("d-1234567890", "eu-west-1")]
    }

    /// The test cache's bundles: two plain ones, one of another Region, a BYOL one
    /// (image `wsi-byol` needs DEDICATED tenancy), a GPU one and a Windows 7 one.
    fn bundles() -> Vec<Bundle> {
        vec![
            bundle("wsb-a", "eu-west-1"),
            bundle("wsb-b", "eu-west-1"),
            bundle("wsb-us", "us-east-1"),
            Bundle {
                image_id: Some("wsi-byol".into()),
                ..bundle("wsb-byol", "eu-west-1")
            },
            Bundle {
                compute_type: Some("GRAPHICS_G4DN".into()),
                ..bundle("wsb-gpu", "eu-west-1")
            },
            Bundle {
                name: "Standard with Windows 7".into(),
                ..bundle("wsb-win7", "eu-west-1")
            },
        ]
    }

    /// The test cache's images: `wsi-byol`, a BYOL image (RequiredTenancy DEDICATED,
    /// 000_694e23744a3a4a46.txt:4070).
    fn images() -> Vec<Image> {
        let image = serde_json::json!({
            "id": "wsi-byol", "region": "eu-west-1", "name": "Win10-BYOL",
            "operating_system": "WINDOWS", "required_tenancy": "DEDICATED",
        });
        vec![serde_json::from_value(image).expect("image")]
    }

    fn form(users: &str) -> ProvisionForm {
        ProvisionForm {
            directory_id: "d-1234567890".into(),
            bundle_id: "wsb-a".into(),
            running_mode: "AUTO_STOP".into(),
            auto_stop_timeout: "120".into(),
            users: users.into(),
            ..ProvisionForm::default()
        }
    }

    fn field_of(result: Result<Defaults, AppError>) -> String {
        match result {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    /// Reviews `form` against the test cache and `existing` WorkSpaces.
    fn reviewed(form: &ProvisionForm, existing: &[Workspace]) -> (Defaults, Vec<ProvisionRow>) {
        let defaults = defaults(form, &directories(), &bundles(), &images()).expect("defaults");
        let rows = rows_of(form).expect("rows");
        let rows = review(rows, &defaults, &bundles(), &images(), existing);
        (defaults, rows)
    }

    fn refusal(rows: &[ProvisionRow], user: &str) -> String {
        rows.iter()
            .find(|r| r.user_name == user)
            .and_then(|r| r.refusal.clone())
            .unwrap_or_default()
    }

    #[test]
    fn csv_fields_may_be_quoted_with_commas_quotes_and_new_lines() {
        let text =
            "user_name,tags\r\nalice,\"a=1;b=\"\"x,y\"\"\"\n\n\"bob\",\"multi\nline\"\ncarol,";
        let records = parse_csv(text).expect("csv");
        assert_eq!(
            records[0],
            (1, vec!["user_name".to_string(), "tags".to_string()])
        );
        assert_eq!(
            records[1],
            (2, vec!["alice".to_string(), "a=1;b=\"x,y\"".to_string()])
        );
        assert_eq!(
            records[2],
            (4, vec!["bob".to_string(), "multi\nline".to_string()])
        );
        assert_eq!(records[3], (6, vec!["carol".to_string(), String::new()]));
        assert!(
            parse_csv("user_name\n\"alice")
                .unwrap_err()
                .contains("line 2")
        );
    }

    #[test]
    fn csv_rows_override_the_form_per_row() {
        let mut f = form("");
        f.kms_key = "alias/workspaces".into();
        f.tags = "CostCenter=1234".into();
        f.csv = "user_name,bundle_id,running_mode,auto_stop_timeout_minutes,root_volume_encryption,user_volume_encryption,tags\n\
                 alice,,,,,,\n\
                 bob,wsb-b,ALWAYS_ON,,yes,true,CostCenter=99;Team=sales\n\
                 carol,,auto_stop,180,,,\n"
            .into();
        let (_, rows) = reviewed(&f, &[]);
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.refusal.is_none()), "{rows:?}");
        let (alice, bob, carol) = (&rows[0], &rows[1], &rows[2]);
        assert_eq!(
            (alice.bundle_id.as_str(), alice.running_mode.as_str()),
            ("wsb-a", "AUTO_STOP")
        );
        assert_eq!(alice.auto_stop_timeout_minutes, Some(120));
        assert_eq!(alice.source, "CSV line 2");
        assert_eq!(
            (bob.bundle_id.as_str(), bob.running_mode.as_str()),
            ("wsb-b", "ALWAYS_ON")
        );
        assert_eq!(
            bob.auto_stop_timeout_minutes, None,
            "only AUTO_STOP sends a timeout"
        );
        assert!(bob.root_volume_encrypted && bob.user_volume_encrypted);
        let bob_tags: Vec<_> = bob
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        assert_eq!(bob_tags, vec!["CostCenter=99", "Team=sales"]);
        assert_eq!(carol.running_mode, "AUTO_STOP");
        assert_eq!(carol.auto_stop_timeout_minutes, Some(180));
    }

    #[test]
    fn csv_header_problems_refuse_the_request_and_row_problems_the_row() {
        let mut f = form("");
        f.csv = "name\nalice".into();
        assert!(matches!(rows_of(&f), Err(AppError::Validation { field, .. }) if field == "csv"));
        f.csv = "bundle_id\nwsb-a".into();
        assert!(matches!(rows_of(&f), Err(AppError::Validation { field, .. }) if field == "csv"));
        f.csv =
            "user_name,running_mode,auto_stop_timeout_minutes,root_volume_encryption,bundle_id\n\
                 alice,SOMETIMES,,,\n\
                 bob,AUTO_STOP,90,,\n\
                 carol,ALWAYS_ON,60,,\n\
                 dave,,,maybe,\n\
                 erin,,,,wsb-us\n\
                 frank,too,many,fields,here,now\n"
                .into();
        let (_, rows) = reviewed(&f, &[]);
        assert!(refusal(&rows, "alice").contains("unknown running mode"));
        assert!(refusal(&rows, "bob").contains("multiple of 60"));
        assert!(refusal(&rows, "carol").contains("AUTO_STOP only"));
        assert!(refusal(&rows, "dave").contains("not true or false"));
        assert!(refusal(&rows, "erin").contains("us-east-1"));
        assert!(refusal(&rows, "frank").contains("6 fields, the header 5"));
    }

    #[test]
    fn the_form_refuses_unknown_directories_and_bundles_bad_timeouts_and_keyless_encryption() {
        let (dirs, bundles) = (directories(), bundles());
        let mut f = form("alice");
        f.directory_id = "d-0000000000".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "directory_id"
        );
        let mut f = form("alice");
        f.bundle_id = "wsb-nope".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "bundle_id"
        );
        f.bundle_id = "wsb-us".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "bundle_id"
        );
        let mut f = form("alice");
        f.auto_stop_timeout = "90".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "auto_stop_timeout"
        );
        f.auto_stop_timeout = "0".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "auto_stop_timeout"
        );
        f.auto_stop_timeout = String::new();
        assert_eq!(
            defaults(&f, &dirs, &bundles, &images())
                .expect("default")
                .auto_stop_timeout_minutes,
            60
        );
        let mut f = form("alice");
        f.running_mode = "SOMETIMES".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "running_mode"
        );
        f.running_mode = "manual".into();
        assert_eq!(
            defaults(&f, &dirs, &bundles, &images())
                .expect("MANUAL")
                .running_mode,
            "MANUAL"
        );
        let mut f = form("alice");
        f.root_volume_encryption = true;
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "kms_key"
        );
        f.kms_key = "alias/workspaces".into();
        assert!(defaults(&f, &dirs, &bundles, &images()).is_ok());
        let mut f = form("alice");
        f.protocol = "RDP".into();
        assert_eq!(
            field_of(defaults(&f, &dirs, &bundles, &images())),
            "protocol"
        );
        let mut f = form("alice");
        f.tags = "aws:owner=me".into();
        assert_eq!(field_of(defaults(&f, &dirs, &bundles, &images())), "tags");
    }

    #[test]
    fn rows_are_refused_for_bad_names_duplicates_and_existing_workspaces() {
        let f = form("alice\nbad name\nAlice\nbob\ncarol\nx,y\n");
        let cached = [existing("bob", "wsb-a"), existing("carol", "wsb-b")];
        let (_, rows) = reviewed(&f, &cached);
        assert_eq!(refusal(&rows, "alice"), "");
        assert!(refusal(&rows, "bad name").contains("may not contain ' '"));
        assert!(refusal(&rows, "Alice").contains("listed twice (first on users line 1)"));
        assert!(refusal(&rows, "bob").contains("already has WorkSpace ws-bob"));
        assert_eq!(
            refusal(&rows, "carol"),
            "",
            "a WorkSpace from another bundle does not refuse"
        );
        assert!(refusal(&rows, "x,y").contains("','"));
        assert!(user_name_problem(&"a".repeat(64)).is_some());
        assert!(user_name_problem(&"a".repeat(63)).is_none());
        assert!(user_name_problem("jane.doe@corp.example").is_none());
    }

    #[test]
    fn too_many_rows_or_none_refuse_the_request() {
        let many: Vec<String> = (0..=MAX_PROVISION_ROWS)
            .map(|n| format!("user{n}"))
            .collect();
        assert!(
            matches!(rows_of(&form(&many.join("\n"))), Err(AppError::Validation { field, .. }) if field == "users")
        );
        assert_eq!(
            rows_of(&form(&many[..MAX_PROVISION_ROWS].join("\n")))
                .expect("500")
                .len(),
            500
        );
        assert!(rows_of(&form("  \n")).is_err());
    }

    #[test]
    fn thirty_users_go_in_calls_of_25_and_5_with_refusals_skipped() {
        let users: Vec<String> = (0..30).map(|n| format!("user{n:02}")).collect();
        let mut f = form(&format!("{}\nuser00\n", users.join("\n")));
        f.protocol = "WSP".into();
        f.tags = "Team=it".into();
        let (defaults, rows) = reviewed(&f, &[]);
        let plan = plan(&rows, &defaults, "  CHG-7  ").expect("plan");
        assert_eq!(plan.calls.len(), 2);
        let sizes: Vec<usize> = plan
            .calls
            .iter()
            .map(|call| match &call.change {
                Change::Workspace(WorkspaceChange::Create(list)) => {
                    assert_eq!(list.len(), call.targets.len());
                    list.len()
                }
                other => panic!("not a create: {other:?}"),
            })
            .collect();
        assert_eq!(sizes, vec![25, 5]);
        let Change::Workspace(WorkspaceChange::Create(first)) = &plan.calls[0].change else {
            panic!("not a create");
        };
        assert_eq!(first[0].user_name, "user00");
        assert_eq!(first[0].auto_stop_timeout_minutes, Some(120));
        assert_eq!(first[0].protocols, vec!["WSP"]);
        assert_eq!(first[0].volume_encryption_key, None);
        assert_eq!(first[0].tags[0].key, "Team");
        assert_eq!(plan.skipped.len(), 1);
        assert_eq!(
            plan.skipped[0].target, "users line 31",
            "the duplicate gets its own target"
        );
        assert_eq!(plan.skipped[0].outcome, TargetStatus::Skipped);
        assert_eq!(plan.cache.len(), 30);
        assert!(matches!(&plan.cache[0].1, CacheOp::NewWorkspace(ws)
            if ws.workspace.state == WorkspaceState::Pending
            && ws.workspace.compute_type.as_deref() == Some("STANDARD")
            && ws.workspace.root_volume_gib == Some(80)));
        assert_eq!(plan.reason.as_deref(), Some("CHG-7"));
        assert_eq!(plan.action, "workspace.create");
    }

    #[test]
    fn the_plan_needs_a_reason_and_sends_the_key_only_for_encrypted_rows() {
        let mut f = form("alice");
        f.kms_key = "alias/ws".into();
        f.csv = "user_name,user_volume_encryption\nbob,true\n".into();
        let (defaults, rows) = reviewed(&f, &[]);
        assert!(
            matches!(plan(&rows, &defaults, " "), Err(AppError::Validation { field, .. }) if field == "reason")
        );
        let plan = plan(&rows, &defaults, "INC-1").expect("plan");
        let Change::Workspace(WorkspaceChange::Create(list)) = &plan.calls[0].change else {
            panic!("not a create");
        };
        assert_eq!(
            list[0].volume_encryption_key, None,
            "alice encrypts nothing"
        );
        assert_eq!(list[1].volume_encryption_key.as_deref(), Some("alias/ws"));
        assert!(list[1].user_volume_encrypted && !list[1].root_volume_encrypted);
    }

    /// 000_694e23744a3a4a46.txt:3740 and :4070: a BYOL bundle (its image's
    /// RequiredTenancy is DEDICATED) needs a DEDICATED directory. As the form's bundle it
    /// refuses the field; named by a CSV row it refuses that row; in a DEDICATED
    /// directory it is accepted.
    #[test]
    fn a_byol_bundle_is_refused_in_a_shared_directory() {
        let shared = vec![Directory {
            tenancy: Some("SHARED".into()),
            ..directory("d-1234567890", "eu-west-1")
        }];
        let mut f = form("alice");
        f.bundle_id = "wsb-byol".into();
        let refused = defaults(&f, &shared, &bundles(), &images());
        match &refused {
            Err(AppError::Validation { field, message }) => {
                assert_eq!(field, "bundle_id");
                assert!(
                    message.contains("DEDICATED") && message.contains("SHARED"),
                    "{message}"
                );
            }
            other => panic!("expected a refused bundle, got {other:?}"),
        }
        let mut f = form("alice");
        f.csv = "user_name,bundle_id\nbob,wsb-byol\n".into();
        let defaults_shared = defaults(&f, &shared, &bundles(), &images()).expect("defaults");
        let rows = review(
            rows_of(&f).expect("rows"),
            &defaults_shared,
            &bundles(),
            &images(),
            &[],
        );
        assert_eq!(refusal(&rows, "alice"), "");
        assert!(
            refusal(&rows, "bob").contains("needs a directory with DEDICATED tenancy"),
            "{rows:?}"
        );
        let plan = plan(&rows, &defaults_shared, "CHG-1").expect("plan");
        assert_eq!(plan.skipped.len(), 1, "bob is not sent to AWS");
        let dedicated = vec![Directory {
            tenancy: Some("DEDICATED".into()),
            ..directory("d-1234567890", "eu-west-1")
        }];
        let defaults_dedicated = defaults(&f, &dedicated, &bundles(), &images()).expect("defaults");
        let rows = review(
            rows_of(&f).expect("rows"),
            &defaults_dedicated,
            &bundles(),
            &images(),
            &[],
        );
        assert!(rows.iter().all(|r| r.refusal.is_none()), "{rows:?}");
    }

    /// 004_989ae404788726c9.txt:1119: the protocol cannot be chosen for Windows 7 or
    /// GPU-based bundles; a row of such a bundle asking for one is refused, a row
    /// leaving it at the bundle's default is not.
    #[test]
    fn a_protocol_is_refused_on_windows_7_and_gpu_bundles() {
        let mut f = form("alice");
        f.protocol = "WSP".into();
        f.csv = "user_name,bundle_id\nbob,wsb-gpu\ncarol,wsb-win7\n".into();
        let (defaults, rows) = reviewed(&f, &[]);
        assert_eq!(refusal(&rows, "alice"), "");
        assert!(
            refusal(&rows, "bob").contains("GPU-based bundles (GRAPHICS_G4DN)"),
            "{rows:?}"
        );
        assert!(refusal(&rows, "carol").contains("Windows 7"), "{rows:?}");
        let plan = plan(&rows, &defaults, "CHG-2").expect("plan");
        let Change::Workspace(WorkspaceChange::Create(list)) = &plan.calls[0].change else {
            panic!("not a create");
        };
        assert_eq!(list.len(), 1, "only alice is sent");
        assert_eq!(list[0].protocols, vec!["WSP"]);
        let mut f = form("alice");
        f.csv = "user_name,bundle_id\nbob,wsb-gpu\ncarol,wsb-win7\n".into();
        let (_, rows) = reviewed(&f, &[]);
        assert!(rows.iter().all(|r| r.refusal.is_none()), "{rows:?}");
    }
}
