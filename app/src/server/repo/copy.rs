//! Copying what cannot be rebuilt from one database to another (`fleetdesk db copy`,
//! e.g. from the embedded SQLite file to the PostgreSQL several nodes share): the users,
//! the audit log with its chain as it is, the provisioning drafts, cost insight's
//! readings and policy runs, the links of migrated WorkSpaces. The inventory cache is not
//! copied: the next sync rebuilds it. Sessions are not either: users sign in again.
//!
//! Audit entries go in as the application writes them — inserted pending, their targets
//! added, then finished with their original chain place and hash — so the target's
//! triggers stay on and nothing needs more than the application's own permissions.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::Backend;

/// How a column is read and written.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Real,
    Text,
}

use Kind::{Integer, Real, Text};

/// A table copied row by row, in `order`.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    order: &'static str,
    /// Its identity column on PostgreSQL, whose sequence must move past the copied ids.
    identity: Option<&'static str>,
}

const USERS: Table = Table {
    name: "users",
    columns: &[
        ("id", Integer),
        ("name", Text),
        ("password_hash", Text),
        ("role", Text),
        ("disabled", Integer),
        ("created_at", Text),
        ("updated_at", Text),
        ("credential_version", Integer),
        ("source", Text),
        ("oidc_issuer", Text),
        ("oidc_subject", Text),
        ("accounts", Text),
    ],
    order: "id",
    identity: Some("id"),
};

/// Copied after the audit log and the users, which they refer to.
const LATER_TABLES: [Table; 5] = [
    Table {
        name: "provision_requests",
        columns: &[
            ("id", Integer),
            ("user_id", Integer),
            ("created_at", Text),
            ("form_json", Text),
            ("sent_at", Text),
            ("report_json", Text),
        ],
        order: "id",
        identity: Some("id"),
    },
    Table {
        name: "workspace_migrations",
        columns: &[
            ("source_id", Text),
            ("target_id", Text),
            ("audit_id", Integer),
            ("at", Text),
        ],
        order: "source_id, target_id",
        identity: None,
    },
    Table {
        name: "workspace_usage",
        columns: &[
            ("account", Text),
            ("region", Text),
            ("workspace_id", Text),
            ("read_at", Text),
            ("sessions_30d", Integer),
            ("billable_hours_30d", Real),
            ("sessions_mtd", Integer),
            ("billable_hours_mtd", Real),
            ("last_connected_at", Text),
        ],
        order: "account, region, workspace_id",
        identity: None,
    },
    Table {
        name: "usage_reads",
        columns: &[
            ("account", Text),
            ("region", Text),
            ("attempted_at", Text),
            ("succeeded_at", Text),
            ("metrics_requested", Integer),
            ("problem", Text),
        ],
        order: "account, region",
        identity: None,
    },
    Table {
        name: "cost_policy_runs",
        columns: &[("month", Text), ("ran_at", Text), ("mode", Text)],
        order: "month",
        identity: None,
    },
];

const AUDIT_TARGETS: Table = Table {
    name: "audit_targets",
    columns: &[
        ("entry_id", Integer),
        ("target", Text),
        ("region", Text),
        ("outcome", Text),
        ("error_code", Text),
        ("error_message", Text),
        ("request_id", Text),
    ],
    order: "entry_id, target",
    identity: None,
};

/// What a copy moved, table by table.
#[derive(Debug, Default, PartialEq)]
pub struct Copied {
    pub tables: Vec<(&'static str, u64)>,
}

/// Why a copy did not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target already holds {0} (copy into a new, empty database)")]
    TargetNotEmpty(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Copies everything but the cache from `from` into `to`, in one transaction on `to`:
/// a copy that fails leaves `to` as it was.
pub async fn copy(from: &AnyPool, to: &AnyPool) -> Result<Copied, CopyError> {
    for table in ["users", "audit_entries"] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(to)
            .await?;
        if count > 0 {
            return Err(CopyError::TargetNotEmpty(table));
        }
    }
    let backend = Backend::of(to);
    let mut tx = to.begin().await?;
    let mut copied = Copied::default();
    copied.tables.push((
        USERS.name,
        copy_table(from, &mut tx, &USERS, backend).await?,
    ));
    let (entries, targets) = copy_audit(from, &mut tx).await?;
    copied.tables.push(("audit_entries", entries));
    copied.tables.push(("audit_targets", targets));
    for table in &LATER_TABLES {
        copied
            .tables
            .push((table.name, copy_table(from, &mut tx, table, backend).await?));
    }
    if backend == Backend::Postgres {
        move_identity(&mut tx, "audit_entries", "id").await?;
    }
    tx.commit().await?;
    Ok(copied)
}

fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds column `index` of `row`, read as `kind`, to `query`.
fn bind_value<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    row: &AnyRow,
    index: usize,
    kind: Kind,
) -> Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, sqlx::Error> {
    Ok(match kind {
        Integer => query.bind(row.try_get::<Option<i64>, _>(index)?),
        Real => query.bind(row.try_get::<Option<f64>, _>(index)?),
        Text => query.bind(row.try_get::<Option<String>, _>(index)?),
    })
}

async fn copy_table(
    from: &AnyPool,
    to: &mut AnyConnection,
    table: &Table,
    backend: Backend,
) -> Result<u64, sqlx::Error> {
    let columns = column_list(table);
    let rows: Vec<AnyRow> = sqlx::query(&format!(
        "SELECT {columns} FROM {} ORDER BY {}",
        table.name, table.order
    ))
    .fetch_all(from)
    .await?;
    let insert = format!(
        "INSERT INTO {} ({columns}) VALUES ({})",
        table.name,
        placeholders(table.columns.len())
    );
    for row in &rows {
        let mut query = sqlx::query(&insert);
        for (index, (_, kind)) in table.columns.iter().enumerate() {
            query = bind_value(query, row, index, *kind)?;
        }
        query.execute(&mut *to).await?;
    }
    if let (Backend::Postgres, Some(column)) = (backend, table.identity) {
        move_identity(to, table.name, column).await?;
    }
    Ok(rows.len() as u64)
}

/// Moves the identity sequence of `table` past its largest copied id, so that new rows
/// get new ids.
async fn move_identity(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
         COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// The audit entries with their targets: each inserted pending (as written), its
/// targets added, then finished with its original outcome, chain place and hash.
async fn copy_audit(from: &AnyPool, to: &mut AnyConnection) -> Result<(u64, u64), sqlx::Error> {
    const PENDING_COLUMNS: &[(&str, Kind)] = &[
        ("id", Integer),
        ("at", Text),
        ("actor_id", Integer),
        ("actor_name", Text),
        ("actor_role", Text),
        ("client_addr", Text),
        ("user_agent", Text),
        ("action", Text),
        ("params", Text),
        ("reason", Text),
        ("pending_mac", Text),
    ];
    const FINISH_COLUMNS: &[(&str, Kind)] = &[
        ("outcome", Text),
        ("detail", Text),
        ("finished_at", Text),
        ("chain_seq", Integer),
        ("prev_hash", Text),
        ("hash", Text),
    ];
    let all: Vec<&(&str, Kind)> = PENDING_COLUMNS.iter().chain(FINISH_COLUMNS).collect();
    let select = all
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let entries: Vec<AnyRow> =
        sqlx::query(&format!("SELECT {select} FROM audit_entries ORDER BY id"))
            .fetch_all(from)
            .await?;
    let insert = format!(
        "INSERT INTO audit_entries ({}, outcome) VALUES ({}, 'pending')",
        PENDING_COLUMNS
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", "),
        placeholders(PENDING_COLUMNS.len())
    );
    let finish = format!(
        "UPDATE audit_entries SET {} WHERE id = ${}",
        FINISH_COLUMNS
            .iter()
            .enumerate()
            .map(|(n, (name, _))| format!("{name} = ${}", n + 1))
            .collect::<Vec<_>>()
            .join(", "),
        FINISH_COLUMNS.len() + 1
    );
    let target_columns = column_list(&AUDIT_TARGETS);
    let insert_target = format!(
        "INSERT INTO audit_targets ({target_columns}) VALUES ({})",
        placeholders(AUDIT_TARGETS.columns.len())
    );
    let mut targets_copied = 0;
    for entry in &entries {
        let id: i64 = entry.try_get(0)?;
        let mut query = sqlx::query(&insert);
        for (index, (_, kind)) in PENDING_COLUMNS.iter().enumerate() {
            query = bind_value(query, entry, index, *kind)?;
        }
        query.execute(&mut *to).await?;
        let targets: Vec<AnyRow> = sqlx::query(&format!(
            "SELECT {target_columns} FROM audit_targets WHERE entry_id = $1 ORDER BY target"
        ))
        .bind(id)
        .fetch_all(from)
        .await?;
        for target in &targets {
            let mut query = sqlx::query(&insert_target);
            for (index, (_, kind)) in AUDIT_TARGETS.columns.iter().enumerate() {
                query = bind_value(query, target, index, *kind)?;
            }
            query.execute(&mut *to).await?;
        }
        targets_copied += targets.len() as u64;
        let outcome: String = entry.try_get(PENDING_COLUMNS.len())?;
        if outcome != "pending" {
            let mut query = sqlx::query(&finish);
            for (index, (_, kind)) in FINISH_COLUMNS.iter().enumerate() {
                query = bind_value(query, entry, PENDING_COLUMNS.len() + index, *kind)?;
            }
            query.bind(id).execute(&mut *to).await?;
        }
    }
    Ok((entries.len() as u64, targets_copied))
}
