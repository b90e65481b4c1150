//! WorkSpaces rows: storing what a sync or an action describes, the state timeline,
//! migration links and the rows marked removed.

use std::collections::{HashMap, HashSet};

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::server::repo::sql::{Backend, Flag, Sql};

use crate::model::{StandbyRole, StateChange, Tag, Workspace, WorkspaceDetails, WorkspaceState};
use crate::server::aws::DescribedWorkspace;

use super::items::to_json;
use super::write;

pub(super) const WORKSPACE_COLUMNS: &str = "id, account, region, directory_id, user_name, computer_name, \
    ip_address, state, bundle_id, subnet_id, compute_type, running_mode, \
    auto_stop_timeout_minutes, root_volume_gib, user_volume_gib, root_volume_encrypted, \
    user_volume_encrypted, error_code, error_message, connection_state, \
    last_user_connection_at, removed_at, protocols, operating_system, standby_role";

/// A `workspaces` row as SQLite returns it.
#[derive(FromRow)]
pub(super) struct WorkspaceRow {
    id: String,
    account: String,
    region: String,
    directory_id: String,
    user_name: String,
    computer_name: Option<String>,
    ip_address: Option<String>,
    state: String,
    bundle_id: String,
    subnet_id: Option<String>,
    compute_type: Option<String>,
    running_mode: Option<String>,
    auto_stop_timeout_minutes: Option<i64>,
    root_volume_gib: Option<i64>,
    user_volume_gib: Option<i64>,
    #[sqlx(try_from = "Flag")]
    root_volume_encrypted: bool,
    #[sqlx(try_from = "Flag")]
    user_volume_encrypted: bool,
    error_code: Option<String>,
    error_message: Option<String>,
    connection_state: Option<String>,
    last_user_connection_at: Option<String>,
    removed_at: Option<String>,
    protocols: Option<String>,
    operating_system: Option<String>,
    standby_role: Option<String>,
}

impl From<WorkspaceRow> for Workspace {
    fn from(row: WorkspaceRow) -> Self {
        let int = |value: Option<i64>| value.and_then(|v| i32::try_from(v).ok());
        Workspace {
            id: row.id,
            account: row.account,
            region: row.region,
            directory_id: row.directory_id,
            user_name: row.user_name,
            computer_name: row.computer_name,
            ip_address: row.ip_address,
            state: WorkspaceState::from_api(&row.state),
            bundle_id: row.bundle_id,
            subnet_id: row.subnet_id,
            compute_type: row.compute_type,
            running_mode: row.running_mode,
            auto_stop_timeout_minutes: int(row.auto_stop_timeout_minutes),
            root_volume_gib: int(row.root_volume_gib),
            user_volume_gib: int(row.user_volume_gib),
            root_volume_encrypted: row.root_volume_encrypted,
            user_volume_encrypted: row.user_volume_encrypted,
            error_code: row.error_code,
            error_message: row.error_message,
            connection_state: row.connection_state,
            last_user_connection: row.last_user_connection_at,
            removed_at: row.removed_at,
            protocols: row
                .protocols
                .map(|p| p.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            operating_system: row.operating_system,
            standby_role: row.standby_role.as_deref().and_then(StandbyRole::parse),
        }
    }
}

/// Zero-pads an IPv4 address so that text order is numeric order.
pub(super) fn ip_sort_key(ip: Option<&str>) -> Option<String> {
    let ip = ip?;
    let parts: Option<Vec<u8>> = ip.split('.').map(|part| part.parse().ok()).collect();
    match parts {
        Some(octets) if octets.len() == 4 => Some(
            octets
                .iter()
                .map(|o| format!("{o:03}"))
                .collect::<Vec<_>>()
                .join("."),
        ),
        _ => Some(ip.to_string()),
    }
}

/// Lets SQLite refresh its query planner statistics where the data changed a lot (after
/// a sync). With them the filter menus' DISTINCT queries skip through their indexes
/// instead of reading every entry (50,000 WorkSpaces: 1.4 ms to 0.02 ms each).
/// PostgreSQL's autovacuum keeps its statistics in time; after a sync the WorkSpaces get
/// a `VACUUM (ANALYZE)` at once (the first sync fills an empty table), which also marks
/// their pages all-visible, so the counts by state come from the index alone.
pub async fn refresh_statistics(pool: &AnyPool) -> Result<(), sqlx::Error> {
    if Backend::of(pool) == Backend::Postgres {
        sqlx::query("VACUUM (ANALYZE) workspaces")
            .execute(pool)
            .await?;
        return Ok(());
    }
    // 0x10002: look at every table, not just those this connection has queried;
    // analysis_limit (a setting of the connection) keeps ANALYZE to a sample.
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA analysis_limit = 1000")
        .execute(&mut *conn)
        .await?;
    sqlx::query("PRAGMA optimize = 0x10002")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Stores one page of DescribeWorkspaces in one transaction, recording state changes.
/// `compute_by_bundle` fills the compute type where the API leaves it out.
pub async fn store_workspaces(
    pool: &AnyPool,
    items: &[DescribedWorkspace],
    compute_by_bundle: &HashMap<String, String>,
    seen_at: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    for item in items {
        upsert_workspace(&mut tx, item, compute_by_bundle, seen_at).await?;
    }
    tx.commit().await
}

/// Stores one WorkSpace as DescribeWorkspaces (or CreateWorkspaces' plan) describes it,
/// recording a state change when its state is new.
pub async fn upsert_workspace(
    conn: &mut AnyConnection,
    item: &DescribedWorkspace,
    compute_by_bundle: &HashMap<String, String>,
    seen_at: &str,
) -> Result<(), sqlx::Error> {
    let ws = &item.workspace;
    let previous: Option<(String, Option<String>, String)> =
        sqlx::query_as("SELECT state, removed_at, account FROM workspaces WHERE id = $1")
            .bind(&ws.id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((_, _, account)) = previous.as_ref().filter(|(_, _, a)| *a != ws.account) {
        // AWS ids are unique, so this means two account entries reach the same account.
        tracing::warn!(
            id = %ws.id,
            kept = %account,
            skipped = %ws.account,
            "a WorkSpace seen in two configured accounts: kept under the first"
        );
        return Ok(());
    }
    let compute = ws
        .compute_type
        .clone()
        .or_else(|| compute_by_bundle.get(&ws.bundle_id).cloned());
    sqlx::query(
        "INSERT INTO workspaces (id, account, region, directory_id, user_name, computer_name, \
         ip_address, ip_sort, state, bundle_id, subnet_id, compute_type, running_mode, \
         auto_stop_timeout_minutes, root_volume_gib, user_volume_gib, root_volume_encrypted, \
         user_volume_encrypted, error_code, error_message, protocols, operating_system, \
         standby_role, detail_json, first_seen_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) \
         ON CONFLICT (id) DO UPDATE SET region = excluded.region, \
         directory_id = excluded.directory_id, user_name = excluded.user_name, \
         computer_name = excluded.computer_name, ip_address = excluded.ip_address, \
         ip_sort = excluded.ip_sort, state = excluded.state, bundle_id = excluded.bundle_id, \
         subnet_id = excluded.subnet_id, \
         compute_type = COALESCE(excluded.compute_type, workspaces.compute_type), \
         running_mode = excluded.running_mode, \
         auto_stop_timeout_minutes = excluded.auto_stop_timeout_minutes, \
         root_volume_gib = excluded.root_volume_gib, user_volume_gib = excluded.user_volume_gib, \
         root_volume_encrypted = excluded.root_volume_encrypted, \
         user_volume_encrypted = excluded.user_volume_encrypted, \
         error_code = excluded.error_code, error_message = excluded.error_message, \
         protocols = excluded.protocols, operating_system = excluded.operating_system, \
         standby_role = excluded.standby_role, detail_json = excluded.detail_json, last_seen_at = excluded.last_seen_at, \
         removed_at = NULL \
         WHERE workspaces.account = excluded.account",
    )
    .bind(&ws.id)
    .bind(&ws.account)
    .bind(&ws.region)
    .bind(&ws.directory_id)
    .bind(&ws.user_name)
    .bind(&ws.computer_name)
    .bind(&ws.ip_address)
    .bind(ip_sort_key(ws.ip_address.as_deref()))
    .bind(ws.state.as_api())
    .bind(&ws.bundle_id)
    .bind(&ws.subnet_id)
    .bind(compute)
    .bind(&ws.running_mode)
    .bind(ws.auto_stop_timeout_minutes)
    .bind(ws.root_volume_gib)
    .bind(ws.user_volume_gib)
    .bind(i64::from(ws.root_volume_encrypted))
    .bind(i64::from(ws.user_volume_encrypted))
    .bind(&ws.error_code)
    .bind(&ws.error_message)
    .bind((!ws.protocols.is_empty()).then(|| ws.protocols.join(",")))
    .bind(&ws.operating_system)
    .bind(ws.standby_role.map(StandbyRole::as_str))
    .bind(to_json(&item.details))
    .bind(seen_at)
    .bind(seen_at)
    .execute(&mut *conn)
    .await?;

    let from_state = match &previous {
        Some((state, None, _)) if state == ws.state.as_api() => return Ok(()),
        Some((state, _, _)) => Some(state.clone()),
        None => None,
    };
    record_state_change(
        conn,
        &ws.id,
        from_state.as_deref(),
        ws.state.as_api(),
        seen_at,
    )
    .await
}

pub(super) async fn record_state_change(
    conn: &mut AnyConnection,
    workspace_id: &str,
    from_state: Option<&str>,
    to_state: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_state_changes (workspace_id, from_state, to_state, observed_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(workspace_id)
    .bind(from_state)
    .bind(to_state)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets a WorkSpace's state after an action AWS accepted, recording the change.
pub async fn set_state(
    conn: &mut AnyConnection,
    id: &str,
    state: &WorkspaceState,
    at: &str,
) -> Result<(), sqlx::Error> {
    let previous: Option<String> = sqlx::query_scalar("SELECT state FROM workspaces WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if previous.as_deref() == Some(state.as_api()) {
        return Ok(());
    }
    sqlx::query("UPDATE workspaces SET state = $1 WHERE id = $2")
        .bind(state.as_api())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    record_state_change(conn, id, previous.as_deref(), state.as_api(), at).await
}

/// Records that `source_id` was migrated to the new WorkSpace `target_id`.
pub async fn link_migration(
    conn: &mut AnyConnection,
    source_id: &str,
    target_id: &str,
    audit_id: i64,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_migrations (source_id, target_id, audit_id, at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(source_id)
    .bind(target_id)
    .bind(audit_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The migrations a WorkSpace was part of: `(source, target, at)`, oldest first, whether
/// it was migrated away or is the result of a migration.
pub async fn migrations_of(
    pool: &AnyPool,
    id: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT source_id, target_id, at FROM workspace_migrations \
         WHERE source_id = $1 OR target_id = $2 ORDER BY at",
    )
    .bind(id)
    .bind(id)
    .fetch_all(pool)
    .await
}

/// Marks every WorkSpace of `account` in `region` not in `seen` as removed from AWS
/// (kept for history) and returns how many were marked. `at` is when the listing behind
/// `seen` began. Rows the listing cannot speak for are spared (see [`listing_proves_gone`]).
pub async fn mark_removed(
    pool: &AnyPool,
    (account, region): (&str, &str),
    seen: &HashSet<String>,
    at: &str,
) -> Result<usize, sqlx::Error> {
    let mut tx = write(pool).await?;
    let active: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, state, first_seen_at, last_seen_at FROM workspaces \
         WHERE account = $1 AND region = $2 AND removed_at IS NULL",
    )
    .bind(account)
    .bind(region)
    .fetch_all(&mut *tx)
    .await?;
    let pending_since = grace_start(at);
    let mut removed = 0;
    for (id, state, _, _) in active.iter().filter(|(id, state, first_seen, last_seen)| {
        !seen.contains(id) && listing_proves_gone(state, first_seen, last_seen, at, &pending_since)
    }) {
        sqlx::query("UPDATE workspaces SET removed_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record_state_change(&mut tx, id, Some(state), REMOVED_STATE, at).await?;
        removed += 1;
    }
    tx.commit().await?;
    Ok(removed)
}

/// How long a WorkSpace cached as PENDING may go undescribed before a listing without
/// it counts as its removal: as long as an action follows it
/// ([`crate::server::actions::FOLLOW_FOR`]).
pub const PENDING_GRACE: std::time::Duration = crate::server::actions::FOLLOW_FOR;

/// `at` less [`PENDING_GRACE`], in the cache's time format (`at` itself if it cannot be
/// read, which spares only rows cached after the listing began).
fn grace_start(at: &str) -> String {
    let grace = chrono::Duration::from_std(PENDING_GRACE).unwrap_or_default();
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) - grace)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .unwrap_or_else(|_| at.to_string())
}

/// Whether a listing that began at `at` and did not return a cached WorkSpace proves
/// it gone. It does not for a row cached after the listing began (`last_seen_at` later
/// than `at`: an action or a follow stored it meanwhile), nor for a PENDING row first
/// cached since `pending_since`: a new WorkSpace is not described at once ("If you
/// immediately call DescribeWorkspaces with this identifier, no information is
/// returned", 000_694e23744a3a4a46.txt:4262). Times are the cache's RFC 3339 UTC text,
/// which sorts as it reads.
fn listing_proves_gone(
    state: &str,
    first_seen_at: &str,
    last_seen_at: &str,
    at: &str,
    pending_since: &str,
) -> bool {
    let cached_since_listing = last_seen_at > at;
    let new_and_pending =
        state == WorkspaceState::Pending.as_api() && first_seen_at >= pending_since;
    !cached_since_listing && !new_and_pending
}

/// The timeline entry written when a WorkSpace disappears from AWS.
pub const REMOVED_STATE: &str = "REMOVED";

/// A `workspaces` row with the columns only the detail page reads.
#[derive(FromRow)]
pub(super) struct DetailRow {
    #[sqlx(flatten)]
    row: WorkspaceRow,
    detail_json: String,
    tags_loaded_at: Option<String>,
}

/// One WorkSpace with its details, tags (`None`: not loaded yet) and state timeline.
pub struct WorkspaceRecord {
    pub workspace: Workspace,
    pub details: WorkspaceDetails,
    pub tags: Option<Vec<Tag>>,
    pub timeline: Vec<StateChange>,
}

/// Everything the cache knows about one WorkSpace.
pub async fn workspace(pool: &AnyPool, id: &str) -> Result<Option<WorkspaceRecord>, sqlx::Error> {
    let found: Option<DetailRow> = sqlx::query_as(&format!(
        "SELECT {WORKSPACE_COLUMNS}, detail_json, tags_loaded_at FROM workspaces WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(DetailRow {
        row,
        detail_json,
        tags_loaded_at,
    }) = found
    else {
        return Ok(None);
    };
    let details = serde_json::from_str(&detail_json).unwrap_or_default();
    let tags = match tags_loaded_at {
        None => None,
        Some(_) => Some(
            sqlx::query_as::<_, (String, String)>(
                "SELECT key, value FROM workspace_tags WHERE workspace_id = $1 ORDER BY key",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(key, value)| Tag { key, value })
            .collect(),
        ),
    };
    let timeline = sqlx::query_as::<_, (Option<String>, String, String)>(
        "SELECT from_state, to_state, observed_at FROM workspace_state_changes \
         WHERE workspace_id = $1 ORDER BY observed_at DESC, id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(from_state, to_state, observed_at)| StateChange {
        from_state,
        to_state,
        observed_at,
    })
    .collect();
    Ok(Some(WorkspaceRecord {
        workspace: row.into(),
        details,
        tags,
        timeline,
    }))
}

/// The cached WorkSpaces with these ids (those not cached are left out), in one query.
pub async fn workspaces_by_id(
    pool: &AnyPool,
    ids: &[String],
) -> Result<Vec<Workspace>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        Backend::of(pool),
        format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces WHERE id IN ("),
    );
    sql.push_list(ids.iter().cloned());
    sql.push(") ORDER BY id");
    let rows: Vec<WorkspaceRow> = sql.build_query_as()?.fetch_all(pool).await?;
    Ok(rows.into_iter().map(Workspace::from).collect())
}

/// A WorkSpace the session-health refresh reads.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct RunningWorkspace {
    pub account: String,
    pub region: String,
    pub id: String,
    pub user_name: String,
    pub directory_id: String,
}

/// The cached WorkSpaces that are running (AVAILABLE or UNHEALTHY), those with a user
/// connected first, then by id.
pub async fn running_workspaces(pool: &AnyPool) -> Result<Vec<RunningWorkspace>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account, region, id, user_name, directory_id FROM workspaces \
         WHERE removed_at IS NULL AND state IN ('AVAILABLE', 'UNHEALTHY') \
         ORDER BY (connection_state = 'CONNECTED') DESC, id",
    )
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 000_694e23744a3a4a46.txt:4262: a WorkSpace CreateWorkspaces just made is not in
    /// DescribeWorkspaces yet, so a listing without it removes it only after the grace;
    /// rows cached while the listing ran are never its to remove.
    #[test]
    fn a_listing_spares_new_pending_workspaces_and_rows_cached_after_it_began() {
        let at = "2026-03-01T12:00:00.000Z";
        let since = grace_start(at);
        assert_eq!(since, "2026-03-01T11:45:00.000Z");
        let gone = |state, first, last| listing_proves_gone(state, first, last, at, &since);
        let just_created = "2026-03-01T11:59:00.000Z";
        assert!(!gone("PENDING", just_created, just_created));
        assert!(gone(
            "PENDING",
            "2026-03-01T11:00:00.000Z",
            "2026-03-01T11:00:00.000Z"
        ));
        assert!(
            gone("AVAILABLE", just_created, just_created),
            "only PENDING waits"
        );
        let during = "2026-03-01T12:00:05.000Z";
        assert!(!gone("AVAILABLE", "2026-01-01T00:00:00.000Z", during));
        assert!(gone("AVAILABLE", "2026-01-01T00:00:00.000Z", at));
    }
}
