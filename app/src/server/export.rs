//! CSV exports of the fleet and connections listings (RFC 4180: quoted where needed,
//! CRLF line ends), so admins can take a filtered view into a spreadsheet.

use std::collections::HashMap;

use crate::model::{Access, AuditEntry, BundleSummary, DirectorySummary, ImageSummary, IpGroup};
use crate::server::repo::inventory::{self, EXPORT_COLUMNS, RECORD_FIELD_SEPARATOR};

/// Every field is quoted, inner quotes doubled. A formula character (`=`, `+`, `-`, `@`,
/// tab, carriage return) at the start of the field or after a `,`, `;`, tab or line break
/// gets an apostrophe before it: spreadsheets in locales that split on `;` would
/// otherwise run `csv;=1+1` as a formula, and some importers start a cell at an embedded
/// line break.
fn push_field(out: &mut String, value: &str) {
    out.push('"');
    let mut cell_start = true;
    for c in value.chars() {
        if cell_start && matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
            out.push('\'');
        }
        if c == '"' {
            out.push('"');
        }
        out.push(c);
        cell_start = matches!(c, ',' | ';' | '\t' | '\n' | '\r');
    }
    out.push('"');
}

fn line(fields: &[&str]) -> String {
    line_without(fields, None)
}

/// One CSV line, leaving out the field at `skip` (the account column of a setup without
/// accounts: a one-account fleet exports as it always has).
fn line_without(fields: &[&str], skip: Option<usize>) -> String {
    let mut out = String::with_capacity(fields.iter().map(|f| f.len() + 3).sum::<usize>() + 2);
    for (index, value) in fields.iter().enumerate() {
        if Some(index) == skip {
            continue;
        }
        if !out.is_empty() {
            out.push(',');
        }
        push_field(&mut out, value);
    }
    out.push_str("\r\n");
    out
}

/// Where the account column is: nowhere without accounts.
fn account_column(accounts: bool, at: usize) -> Option<usize> {
    (!accounts).then_some(at)
}

/// The account column's place in the fleet exports (see [`EXPORT_COLUMNS`]).
const FLEET_ACCOUNT_AT: usize = 11;

/// The header line of the fleet and connections exports: [`EXPORT_COLUMNS`] and the
/// WorkSpace's applications; the account column only with `accounts`.
fn fleet_header(accounts: bool) -> String {
    let mut names: Vec<&str> = EXPORT_COLUMNS.iter().map(|(name, _)| *name).collect();
    names.push("applications");
    line_without(&names, account_column(accounts, FLEET_ACCOUNT_AT))
}

/// One export record (the [`EXPORT_COLUMNS`] fields as SQLite joined them) as a CSV
/// line, with the names of the WorkSpace's applications (`;`-separated, by WorkSpace id
/// in `applications`) at the end.
fn record_line(record: &str, applications: &HashMap<String, String>, accounts: bool) -> String {
    let mut fields: Vec<&str> = record.split(RECORD_FIELD_SEPARATOR).collect();
    let id = fields.first().copied().unwrap_or_default();
    fields.push(applications.get(id).map_or("", String::as_str));
    line_without(&fields, account_column(accounts, FLEET_ACCOUNT_AT))
}

/// Rows per chunk of a streamed export, and rows waiting for the client at most:
/// memory stays at a few hundred rows whatever the size of the export.
const ROWS_PER_CHUNK: usize = 500;
const ROWS_IN_FLIGHT: usize = 1000;

/// A CSV body streamed from `read`, a task that sends rows into the channel it is given
/// as it reads them: `header`, then the rows' lines in chunks. A read failure ends the
/// body early (logged); a client that goes away closes the channel and stops the read.
fn csv_stream<T, R, Read, L>(header: String, read: R, to_line: L) -> axum::body::Body
where
    T: Send + 'static,
    R: FnOnce(tokio::sync::mpsc::Sender<T>) -> Read + Send + 'static,
    Read: std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'static,
    L: Fn(&T) -> String + Clone + Send + Sync + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(ROWS_IN_FLIGHT);
    tokio::spawn(async move {
        if let Err(error) = read(tx).await {
            tracing::error!("a CSV export stopped early: {error}");
        }
    });
    let header = futures_util::stream::once(async { Ok::<_, std::io::Error>(header) });
    let chunks = futures_util::stream::unfold(rx, move |mut rx| {
        let to_line = to_line.clone();
        async move {
            let mut rows = Vec::with_capacity(ROWS_PER_CHUNK);
            if rx.recv_many(&mut rows, ROWS_PER_CHUNK).await == 0 {
                return None;
            }
            Some((Ok(rows.iter().map(&to_line).collect::<String>()), rx))
        }
    });
    axum::body::Body::from_stream(futures_util::StreamExt::chain(header, chunks))
}

/// WorkSpace export records from `read` as a streamed CSV body with the fleet's columns:
/// rows go from SQLite to the client in chunks as they are read, never all in memory
/// (only the application names of the WorkSpaces that have applications are loaded
/// first).
async fn records_csv<R, Read>(
    pool: &sqlx::AnyPool,
    accounts: bool,
    read: R,
) -> Result<axum::body::Body, crate::error::AppError>
where
    R: FnOnce(tokio::sync::mpsc::Sender<String>) -> Read + Send + 'static,
    Read: std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'static,
{
    let applications = std::sync::Arc::new(inventory::application_names(pool).await?);
    Ok(csv_stream(
        fleet_header(accounts),
        read,
        move |record: &String| record_line(record, &applications, accounts),
    ))
}

/// The fleet matching `query` as a streamed CSV body.
pub async fn fleet_csv_stream(
    pool: sqlx::AnyPool,
    query: crate::model::FleetQuery,
    accounts: bool,
) -> Result<axum::body::Body, crate::error::AppError> {
    crate::model::check_search(&query.q)?;
    let reader = pool.clone();
    records_csv(&pool, accounts, move |tx| async move {
        inventory::send_fleet_records(&reader, &query, tx).await
    })
    .await
}

/// The WorkSpaces of a connections view as a streamed CSV body, with the fleet's columns.
pub async fn connections_csv_stream(
    pool: sqlx::AnyPool,
    query: crate::model::ConnectionsQuery,
    accounts: bool,
) -> Result<axum::body::Body, crate::error::AppError> {
    crate::model::check_search(&query.q)?;
    let reader = pool.clone();
    records_csv(&pool, accounts, move |tx| async move {
        inventory::send_connection_records(&reader, &query, tx).await
    })
    .await
}

/// The audit entries matching `query` as a streamed CSV body, each as `role` may read
/// it (see [`AuditEntry::as_seen_by`]).
pub fn audit_csv_stream(
    pool: sqlx::AnyPool,
    query: crate::model::AuditQuery,
    role: crate::model::Role,
) -> axum::body::Body {
    csv_stream(
        audit_header(),
        move |tx| async move { crate::server::repo::audit::send_entries(&pool, &query, tx).await },
        move |entry: &AuditEntry| audit_line(&entry.clone().as_seen_by(role)),
    )
}

/// Directories with their WorkSpace counts.
pub fn directories_csv(rows: &[DirectorySummary], accounts: bool) -> String {
    let skip = account_column(accounts, 1);
    let mut out = line_without(
        &[
            "directory_id",
            "account",
            "region",
            "name",
            "alias",
            "type",
            "state",
            "registration_code",
            "dns_ip_addresses",
            "subnet_ids",
            "ip_group_ids",
            "tenancy",
            "internet_access",
            "local_administrator",
            "maintenance_mode",
            "default_ou",
            "custom_security_group_id",
            "instance_iam_role_arn",
            "allowed_platforms",
            "trusted_devices_only_platforms",
            "denied_platforms",
            "client_reconnect",
            "client_log_upload",
            "workspaces",
        ],
        skip,
    );
    let yes_no = |value: Option<bool>| match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    for row in rows {
        let d = &row.directory;
        let creation = d.creation.as_ref();
        out.push_str(&line_without(
            &[
                &d.id,
                &d.account,
                &d.region,
                d.name.as_deref().unwrap_or(""),
                d.alias.as_deref().unwrap_or(""),
                d.directory_type.as_deref().unwrap_or(""),
                d.state.as_deref().unwrap_or(""),
                d.registration_code.as_deref().unwrap_or(""),
                &d.dns_ip_addresses.join(" "),
                &d.subnet_ids.join(" "),
                &d.ip_group_ids.join(" "),
                d.tenancy.as_deref().unwrap_or(""),
                yes_no(creation.map(|c| c.enable_internet_access)),
                yes_no(creation.map(|c| c.user_enabled_as_local_administrator)),
                yes_no(creation.map(|c| c.enable_maintenance_mode)),
                creation.and_then(|c| c.default_ou.as_deref()).unwrap_or(""),
                creation
                    .and_then(|c| c.custom_security_group_id.as_deref())
                    .unwrap_or(""),
                creation
                    .and_then(|c| c.instance_iam_role_arn.as_deref())
                    .unwrap_or(""),
                &d.access
                    .map(|a| a.text_for(Access::Allow))
                    .unwrap_or_default(),
                &d.access
                    .map(|a| a.text_for(Access::Trust))
                    .unwrap_or_default(),
                &d.access
                    .map(|a| a.text_for(Access::Deny))
                    .unwrap_or_default(),
                yes_no(d.client.and_then(|c| c.reconnect)),
                yes_no(d.client.and_then(|c| c.log_upload)),
                &row.workspaces.to_string(),
            ],
            skip,
        ));
    }
    out
}

/// Images with the accounts they are shared with and the bundles that use them.
pub fn images_csv(rows: &[ImageSummary], accounts: bool) -> String {
    let skip = account_column(accounts, 1);
    let mut out = line_without(
        &[
            "image_id",
            "account",
            "region",
            "name",
            "description",
            "state",
            "operating_system",
            "owner",
            "required_tenancy",
            "created",
            "error",
            "shared_with",
            "bundles",
        ],
        skip,
    );
    for row in rows {
        let i = &row.image;
        out.push_str(&line_without(
            &[
                &i.id,
                &i.account,
                &i.region,
                &i.name,
                i.description.as_deref().unwrap_or(""),
                i.state.as_deref().unwrap_or(""),
                i.operating_system.as_deref().unwrap_or(""),
                i.owner_account_id.as_deref().unwrap_or(""),
                i.required_tenancy.as_deref().unwrap_or(""),
                i.created.as_deref().unwrap_or(""),
                i.error.as_deref().unwrap_or(""),
                &i.shared_with.join(" "),
                &row.bundles.join("; "),
            ],
            skip,
        ));
    }
    out
}

/// Bundles with the number of WorkSpaces using each.
pub fn bundles_csv(rows: &[BundleSummary], accounts: bool) -> String {
    let skip = account_column(accounts, 1);
    let mut out = line_without(
        &[
            "bundle_id",
            "account",
            "region",
            "name",
            "state",
            "bundle_type",
            "owner",
            "compute_type",
            "root_gib",
            "user_gib",
            "image_id",
            "last_updated",
            "created",
            "workspaces",
        ],
        skip,
    );
    for row in rows {
        let b = &row.bundle;
        out.push_str(&line_without(
            &[
                &b.id,
                &b.account,
                &b.region,
                &b.name,
                b.state.as_deref().unwrap_or(""),
                b.bundle_type.as_deref().unwrap_or(""),
                b.owner.as_deref().unwrap_or(""),
                b.compute_type.as_deref().unwrap_or(""),
                b.root_storage_gib.as_deref().unwrap_or(""),
                b.user_storage_gib.as_deref().unwrap_or(""),
                b.image_id.as_deref().unwrap_or(""),
                b.last_updated.as_deref().unwrap_or(""),
                b.created.as_deref().unwrap_or(""),
                &row.workspaces.to_string(),
            ],
            skip,
        ));
    }
    out
}

/// IP groups, one row per rule (a group without rules gets one row with an empty rule).
pub fn ip_groups_csv(rows: &[IpGroup], accounts: bool) -> String {
    let skip = account_column(accounts, 1);
    let mut out = line_without(
        &[
            "group_id",
            "account",
            "region",
            "name",
            "description",
            "rule",
            "rule_description",
        ],
        skip,
    );
    for g in rows {
        let description = g.description.as_deref().unwrap_or("");
        if g.rules.is_empty() {
            out.push_str(&line_without(
                &[&g.id, &g.account, &g.region, &g.name, description, "", ""],
                skip,
            ));
        }
        for rule in &g.rules {
            out.push_str(&line_without(
                &[
                    &g.id,
                    &g.account,
                    &g.region,
                    &g.name,
                    description,
                    &rule.cidr,
                    rule.description.as_deref().unwrap_or(""),
                ],
                skip,
            ));
        }
    }
    out
}

/// The fleet-wide session health: a `workspace_id` column and one column per metric,
/// named with its unit (`in_session_latency_ms`); an empty cell where CloudWatch had no
/// value.
pub fn health_csv(rows: &[crate::model::HealthRow]) -> String {
    use crate::model::FLEET_HEALTH_METRICS;
    let mut header = vec![
        "workspace_id".to_string(),
        "account".into(),
        "region".into(),
        "user_name".into(),
    ];
    header.extend(FLEET_HEALTH_METRICS.iter().map(|m| m.csv_column()));
    let mut out = line(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for row in rows {
        let mut fields = vec![
            row.workspace_id.clone(),
            row.account.clone(),
            row.region.clone(),
            row.user_name.clone(),
        ];
        fields.extend(FLEET_HEALTH_METRICS.iter().map(|m| {
            row.value(*m)
                .map(|value| format!("{value:.1}"))
                .unwrap_or_default()
        }));
        out.push_str(&line(
            &fields.iter().map(String::as_str).collect::<Vec<_>>(),
        ));
    }
    out
}

/// Cost insight's dry-run report: one line per WorkSpace of `/cost`'s view. Hours have
/// one decimal; `recommended_mode` is empty when nothing should change, `unused` is
/// `true`/`false`; `monthly_saving` (in `currency`) only with a prices file.
pub fn cost_csv(rows: &[crate::model::CostRow], currency: Option<&str>) -> String {
    let saving_column = currency.map(|c| format!("monthly_saving_{}", c.to_lowercase()));
    let mut header = vec![
        "workspace_id",
        "account",
        "region",
        "user_name",
        "running_mode",
        "compute_type",
        "billable_hours",
        "month_to_date_hours",
        "limit_hours",
        "recommended_mode",
        "reason",
        "unused",
        "last_connection",
        "read_at",
    ];
    if let Some(column) = &saving_column {
        header.push(column);
    }
    let mut out = line(&header);
    let hours = |value: Option<f64>| value.map(|h| format!("{h:.1}")).unwrap_or_default();
    for row in rows {
        let usage = row.usage.as_ref();
        let mut fields = vec![
            row.workspace_id.clone(),
            row.account.clone(),
            row.region.clone(),
            row.user_name.clone(),
            row.running_mode.clone(),
            row.compute_type.clone(),
            hours(usage.map(|u| u.billable_hours_30d)),
            hours(usage.map(|u| u.billable_hours_mtd)),
            hours(row.limit_hours),
            row.verdict.recommended_mode.clone().unwrap_or_default(),
            row.verdict.reason.clone(),
            row.unused.is_some().to_string(),
            row.last_connection.clone().unwrap_or_default(),
            usage.map(|u| u.read_at.clone()).unwrap_or_default(),
        ];
        if saving_column.is_some() {
            fields.push(
                row.monthly_saving
                    .map(|s| format!("{s:.2}"))
                    .unwrap_or_default(),
            );
        }
        out.push_str(&line(
            &fields.iter().map(String::as_str).collect::<Vec<_>>(),
        ));
    }
    out
}

fn audit_header() -> String {
    line(&[
        "id",
        "at",
        "actor",
        "role",
        "client_addr",
        "user_agent",
        "action",
        "params",
        "reason",
        "outcome",
        "detail",
        "finished_at",
        "targets",
    ])
}

/// One audit entry as a line of the audit CSV, its targets as `target:outcome[:error]`.
fn audit_line(entry: &AuditEntry) -> String {
    let targets = entry
        .targets
        .iter()
        .map(|t| match &t.error {
            Some(error) => format!("{}:{}:{error}", t.target, t.outcome),
            None => format!("{}:{}", t.target, t.outcome),
        })
        .collect::<Vec<_>>()
        .join("; ");
    line(&[
        &entry.id.to_string(),
        &entry.at,
        &entry.actor_name,
        entry.actor_role.as_deref().unwrap_or(""),
        entry.client_addr.as_deref().unwrap_or(""),
        entry.user_agent.as_deref().unwrap_or(""),
        &entry.action,
        &entry.params,
        entry.reason.as_deref().unwrap_or(""),
        &entry.outcome,
        entry.detail.as_deref().unwrap_or(""),
        entry.finished_at.as_deref().unwrap_or(""),
        &targets,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted form of one field.
    fn field(value: &str) -> String {
        let mut out = String::new();
        push_field(&mut out, value);
        out
    }

    #[test]
    fn fields_are_quoted_and_formulas_are_defused() {
        assert_eq!(field("plain"), "\"plain\"");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(line(&["x", "y,z"]), "\"x\",\"y,z\"\r\n");
        // Issue 16, finding 7: a `;`-separated locale splits here and would run `=1+1`.
        assert_eq!(field("csv;=1+1"), "\"csv;'=1+1\"");
        assert_eq!(field("a\t@cmd"), "\"a\t'@cmd\"");
        assert_eq!(field("x,-2"), "\"x,'-2\"");
        // Issue 20, finding 13: after an embedded line break too.
        assert_eq!(field("note\n=HYPERLINK(1)"), "\"note\n'=HYPERLINK(1)\"");
        assert_eq!(field("a\r\n+1"), "\"a\r\n'+1\"");
    }

    #[test]
    fn the_fleet_export_ends_with_each_workspace_s_applications() {
        assert_eq!(EXPORT_COLUMNS[FLEET_ACCOUNT_AT].0, "account");
        let record = |id: &str| {
            let mut fields = vec![id; EXPORT_COLUMNS.len()];
            fields[FLEET_ACCOUNT_AT] = "prod";
            fields.join(&RECORD_FIELD_SEPARATOR.to_string())
        };
        let names = HashMap::from([(
            "ws-1".to_string(),
            "Microsoft Visio 2021;Notepad++".to_string(),
        )]);
        let header = fleet_header(false);
        assert!(header.starts_with("\"workspace_id\",\"user_name\","));
        assert!(header.ends_with(",\"applications\"\r\n"));
        assert!(
            !header.contains("account"),
            "one account: no account column"
        );
        let with_apps = record_line(&record("ws-1"), &names, false);
        assert!(
            with_apps.ends_with(",\"Microsoft Visio 2021;Notepad++\"\r\n"),
            "{with_apps}"
        );
        assert!(!with_apps.contains("prod"));
        assert!(
            record_line(&record("ws-2"), &names, false).ends_with(",\"\"\r\n"),
            "no applications: an empty field"
        );
        assert!(fleet_header(true).contains(",\"account\",\"region\","));
        assert!(record_line(&record("ws-1"), &names, true).contains(",\"prod\","));
    }
}
