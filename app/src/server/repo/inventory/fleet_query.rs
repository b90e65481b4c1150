//! The fleet page's query: filters, full-text search, sort, paging and the counts per
//! state and facet, tuned for 50,000 WorkSpaces, plus the CSV export over the same filters.

use std::collections::HashMap;

use sqlx::AnyPool;

use crate::server::repo::sql::{Backend, Flag, Sql};

use crate::model::{FLEET_PAGE_SIZE, FleetFacets, FleetPage, FleetQuery, Tag, Workspace};

use super::applications::{NOT_INSTALLED_SQL, application_choices};
use super::workspaces::{WORKSPACE_COLUMNS, WorkspaceRow, workspaces_by_id};

/// The cached WorkSpaces with these ids, each with its cached tags (`None` when they
/// were never loaded).
pub async fn workspaces_with_tags(
    pool: &AnyPool,
    ids: &[String],
) -> Result<Vec<(Workspace, Option<Vec<Tag>>)>, sqlx::Error> {
    let workspaces = workspaces_by_id(pool, ids).await?;
    let mut tagged = Vec::with_capacity(workspaces.len());
    for chunk in workspaces.chunks(500) {
        let mut sql = Sql::new(
            Backend::of(pool),
            "SELECT w.id, w.tags_loaded_at IS NOT NULL, t.key, t.value FROM workspaces w \
             LEFT JOIN workspace_tags t ON t.workspace_id = w.id WHERE w.id IN (",
        );
        sql.push_list(chunk.iter().map(|ws| ws.id.clone()));
        sql.push(") ORDER BY w.id, t.key");
        let rows: Vec<(String, Flag, Option<String>, Option<String>)> =
            sql.build_query_as()?.fetch_all(pool).await?;
        for ws in chunk {
            let mine = rows.iter().filter(|(id, ..)| id == &ws.id);
            let loaded = rows.iter().any(|(id, loaded, ..)| id == &ws.id && loaded.0);
            let tags = loaded.then(|| {
                mine.filter_map(|(_, _, key, value)| {
                    Some(Tag {
                        key: key.clone()?,
                        value: value.clone().unwrap_or_default(),
                    })
                })
                .collect()
            });
            tagged.push((ws.clone(), tags));
        }
    }
    Ok(tagged)
}

/// Appends `LIMIT`/`OFFSET` for one page of [`FLEET_PAGE_SIZE`] rows.
pub(super) fn push_page(sql: &mut Sql, page: usize) {
    sql.push(" LIMIT ")
        .push_bind(FLEET_PAGE_SIZE as i64)
        .push(" OFFSET ")
        .push_bind(offset(page, FLEET_PAGE_SIZE));
}

/// The row offset of `page`, saturating instead of overflowing on absurd page numbers
/// (they simply find no rows).
pub(crate) fn offset(page: usize, page_size: usize) -> i64 {
    i64::try_from(page.saturating_mul(page_size)).unwrap_or(i64::MAX)
}

/// `text` as one FTS5 phrase (quoted, inner quotes doubled), so every character is
/// matched literally by the trigram index.
pub(super) fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`.
pub(crate) fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Appends ` AND account IN (…)` for a user limited to `accounts` (the unnamed account
/// of a setup without an accounts file stays visible, see [`crate::model::may_use`]).
pub(super) fn push_account_limit(sql: &mut Sql, accounts: &[String]) {
    sql.push(" AND account IN (''");
    for account in accounts {
        sql.push(", ").push_bind(account.clone());
    }
    sql.push(")");
}

/// Appends the WHERE clause for `query`; the state filter only when `with_state`.
pub(super) fn push_filters(sql: &mut Sql, query: &FleetQuery, with_state: bool) {
    sql.push(" WHERE 1 = 1");
    if !query.removed {
        sql.push(" AND removed_at IS NULL");
    }
    if let Some(accounts) = &query.visible_accounts {
        push_account_limit(sql, accounts);
    }
    for (column, value) in [
        ("account", &query.account),
        ("region", &query.region),
        ("directory_id", &query.directory),
        ("compute_type", &query.compute),
        ("running_mode", &query.mode),
        ("bundle_id", &query.bundle),
        ("operating_system", &query.os),
    ] {
        if !value.is_empty() {
            sql.push(format!(" AND {column} = "))
                .push_bind(value.clone());
        }
    }
    let states = query.states();
    if with_state && !states.is_empty() {
        sql.push(" AND state IN (");
        sql.push_list(states.iter().map(|state| state.to_string()));
        sql.push(")");
    }
    if !query.protocol.is_empty() {
        let like = sql.backend().ilike();
        sql.push(format!(" AND (',' || protocols || ',') {like} "))
            .push_bind(format!("%,{},%", like_escape(&query.protocol)))
            .push(" ESCAPE '\\'");
    }
    match query.idle.as_str() {
        "" => {}
        "never" => super::connections::push_never_connected(sql),
        days => {
            if let Ok(days) = days.parse() {
                super::connections::push_idle_for(sql, days);
            }
        }
    }
    match query.standby.as_str() {
        "" => {}
        "none" => {
            sql.push(" AND standby_role IS NULL");
        }
        role => {
            sql.push(" AND standby_role = ").push_bind(role.to_string());
        }
    }
    match query.connection.as_str() {
        "" => {}
        "UNKNOWN" => {
            sql.push(" AND (connection_state IS NULL OR connection_state = 'UNKNOWN')");
        }
        state => {
            sql.push(" AND connection_state = ")
                .push_bind(state.to_string());
        }
    }
    let needle = query.q.trim();
    if !needle.is_empty() {
        let prefix = format!("{}%", like_escape(needle));
        if needle.chars().count() >= 3 && sql.backend() == Backend::Sqlite {
            // The trigram index finds every 3+ character substring (case-insensitive)
            // without reading each row. The IP prefix joins as a second row set rather
            // than an OR, which would make SQLite read every row to test both.
            sql.push(
                " AND rowid IN (SELECT rowid FROM workspaces_search WHERE workspaces_search MATCH ",
            )
            .push_bind(fts_phrase(needle))
            .push(" UNION SELECT rowid FROM workspaces WHERE ip_address LIKE ")
            .push_bind(prefix)
            .push(" ESCAPE '\\')");
        } else {
            // On PostgreSQL each column's trigram index answers its ILIKE (3+ characters)
            // and the IP's pattern index the prefix, joined by a bitmap OR.
            let anywhere = format!("%{}%", like_escape(needle));
            let like = sql.backend().ilike();
            sql.push(format!(" AND (id {like} "))
                .push_bind(anywhere.clone())
                .push(format!(" ESCAPE '\\' OR user_name {like} "))
                .push_bind(anywhere.clone())
                .push(format!(" ESCAPE '\\' OR computer_name {like} "))
                .push_bind(anywhere)
                .push(" ESCAPE '\\' OR ip_address LIKE ")
                .push_bind(prefix)
                .push(" ESCAPE '\\')");
        }
    }
    if !query.app.is_empty() {
        sql.push(
            " AND id IN (SELECT workspace_id FROM workspace_applications WHERE application_id = ",
        )
        .push_bind(query.app.clone())
        .push(" AND state NOT IN ")
        .push(NOT_INSTALLED_SQL)
        .push(")");
    }
    if !query.tag.trim().is_empty() {
        sql.push(" AND id IN (SELECT workspace_id FROM workspace_tags WHERE key = ");
        match query.tag.split_once('=') {
            Some((key, value)) => {
                sql.push_bind(key.trim().to_string())
                    .push(" AND value = ")
                    .push_bind(value.trim().to_string());
            }
            None => {
                sql.push_bind(query.tag.trim().to_string());
            }
        }
        sql.push(")");
    }
}

/// The ORDER BY expression for a sort column from the URL, user name by default (names
/// without regard to case), and whether the column may be NULL.
pub(super) fn order_column(sort: &str, backend: Backend) -> (String, bool) {
    let (column, nullable) = match sort {
        "id" => ("id", false),
        "state" => ("state", false),
        "directory" => ("directory_id", false),
        "bundle" => ("bundle_id", false),
        "compute" => ("compute_type", true),
        "mode" => ("running_mode", true),
        "account" => ("account", false),
        "region" => ("region", false),
        "ip" => ("ip_sort", true),
        "connection" => ("connection_state", true),
        "last_connection" => ("last_user_connection_at", true),
        "protocol" => ("protocols", true),
        "os" => ("operating_system", true),
        "computer" => return (backend.nocase("computer_name"), true),
        _ => return (backend.nocase("user_name"), false),
    };
    (column.to_string(), nullable)
}

/// The WorkSpaces matching `query`, sorted; one page of them when `page` is set.
/// The ids of the first `limit` WorkSpaces matching `query`, in its order (the fleet
/// page's "select all matching").
pub async fn fleet_ids(
    pool: &AnyPool,
    query: &FleetQuery,
    limit: usize,
) -> Result<Vec<String>, sqlx::Error> {
    let mut sql = Sql::new(Backend::of(pool), "SELECT id FROM workspaces");
    push_filters(&mut sql, query, true);
    push_order(&mut sql, query);
    sql.push(" LIMIT ")
        .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
    sql.build_query_scalar()?.fetch_all(pool).await
}

pub async fn fleet_rows(
    pool: &AnyPool,
    query: &FleetQuery,
    page: Option<usize>,
) -> Result<Vec<Workspace>, sqlx::Error> {
    let mut sql = Sql::new(
        Backend::of(pool),
        format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces"),
    );
    push_filters(&mut sql, query, true);
    push_order(&mut sql, query);
    if let Some(page) = page {
        push_page(&mut sql, page);
    }
    let rows: Vec<WorkspaceRow> = sql.build_query_as()?.fetch_all(pool).await?;
    Ok(rows.into_iter().map(Workspace::from).collect())
}

/// The columns of the fleet exports: the CSV header and the SQL giving the text of the
/// field (`''` for none). The first is the WorkSpace id.
pub const EXPORT_COLUMNS: [(&str, &str); 17] = [
    ("workspace_id", "id"),
    ("user_name", "user_name"),
    ("computer_name", "coalesce(computer_name, '')"),
    ("state", "state"),
    ("directory_id", "directory_id"),
    ("bundle_id", "bundle_id"),
    ("compute_type", "coalesce(compute_type, '')"),
    ("running_mode", "coalesce(running_mode, '')"),
    ("protocols", "replace(coalesce(protocols, ''), ',', ' ')"),
    ("operating_system", "coalesce(operating_system, '')"),
    ("standby_role", "coalesce(standby_role, '')"),
    ("account", "account"),
    ("region", "region"),
    ("ip_address", "coalesce(ip_address, '')"),
    ("connection_state", "coalesce(connection_state, '')"),
    (
        "last_user_connection",
        "coalesce(last_user_connection_at, '')",
    ),
    ("removed_at", "coalesce(removed_at, '')"),
];

/// Separates the fields of an export record (ASCII unit separator).
pub const RECORD_FIELD_SEPARATOR: char = '\u{1f}';

/// The SQL of one export record: every [`EXPORT_COLUMNS`] field joined by
/// [`RECORD_FIELD_SEPARATOR`] into one text. One value per row instead of seventeen:
/// reading 50,000 rows took 630 ms as columns and 180 ms as records (the driver's cost
/// is per value). The separator is taken out of the fields, so it never splits one.
pub(super) fn export_record_sql(backend: Backend) -> String {
    let separator = backend.unit_separator();
    let fields: Vec<String> = EXPORT_COLUMNS
        .iter()
        .map(|(_, sql)| format!("replace({sql}, {separator}, '')"))
        .collect();
    format!(
        "SELECT {} FROM workspaces",
        fields.join(&format!(" || {separator} || "))
    )
}

/// Sends the export record (see [`export_record_sql`]) of every WorkSpace of `sql`'s
/// query into `records` as SQLite yields them. Stops early when the receiver is gone.
pub(super) async fn send_records(
    pool: &AnyPool,
    mut sql: Sql,
    records: tokio::sync::mpsc::Sender<String>,
) -> Result<(), sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut found = sql.build_query_scalar::<String>()?.fetch(pool);
    while let Some(record) = found.try_next().await? {
        if records.send(record).await.is_err() {
            break;
        }
    }
    Ok(())
}

/// Sends the export record of every WorkSpace matching `query`, sorted as the fleet page
/// sorts them (the fleet CSV streams them).
pub async fn send_fleet_records(
    pool: &AnyPool,
    query: &FleetQuery,
    records: tokio::sync::mpsc::Sender<String>,
) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new(Backend::of(pool), export_record_sql(Backend::of(pool)));
    push_filters(&mut sql, query, true);
    push_order(&mut sql, query);
    send_records(pool, sql, records).await
}

/// Appends the ORDER BY of the fleet's sort column and direction, id breaking ties.
pub(super) fn push_order(sql: &mut Sql, query: &FleetQuery) {
    let direction = if query.desc { "DESC" } else { "ASC" };
    let (column, nullable) = order_column(&query.sort, sql.backend());
    // A NULLS clause on a column that is never NULL would keep PostgreSQL from its index.
    let nulls = if nullable {
        sql.backend().nulls_smallest(query.desc)
    } else {
        ""
    };
    sql.push(format!(
        " ORDER BY {column} {direction}{nulls}, id {direction}"
    ));
}

/// WorkSpaces per state among those matching every filter of `query` but the state.
pub async fn state_counts(
    pool: &AnyPool,
    query: &FleetQuery,
) -> Result<Vec<(String, usize)>, sqlx::Error> {
    let mut sql = Sql::new(Backend::of(pool), "SELECT state, COUNT(*) FROM workspaces");
    push_filters(&mut sql, query, false);
    sql.push(" GROUP BY state ORDER BY state");
    let rows: Vec<(String, i64)> = sql.build_query_as()?.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(state, count)| (state, usize::try_from(count).unwrap_or(0)))
        .collect())
}

/// The values present in the cache for each fleet filter, within `visible` accounts
/// (`None`: every account). Removed WorkSpaces count too, so that without an account
/// limit each DISTINCT is answered from the column's index alone.
pub async fn facets(
    pool: &AnyPool,
    visible: Option<&[String]>,
) -> Result<FleetFacets, sqlx::Error> {
    let distinct = async |column: &str| -> Result<Vec<String>, sqlx::Error> {
        let backend = Backend::of(pool);
        let mut sql = match backend {
            Backend::Sqlite => Sql::new(
                backend,
                format!("SELECT DISTINCT {column} FROM workspaces WHERE {column} IS NOT NULL"),
            ),
            // PostgreSQL has no skip scan: it would read every row for each menu. Each
            // next value is one probe of the column's index instead (a recursive CTE).
            Backend::Postgres => {
                let mut sql = Sql::new(
                    backend,
                    format!(
                        "WITH RECURSIVE found (value) AS (\
                         SELECT MIN({column}) FROM workspaces WHERE {column} IS NOT NULL"
                    ),
                );
                if let Some(accounts) = visible {
                    push_account_limit(&mut sql, accounts);
                }
                sql.push(format!(
                    " UNION ALL SELECT (SELECT MIN({column}) FROM workspaces \
                     WHERE {column} > found.value"
                ));
                if let Some(accounts) = visible {
                    push_account_limit(&mut sql, accounts);
                }
                sql.push(
                    ") FROM found WHERE found.value IS NOT NULL) \
                     SELECT value FROM found WHERE value IS NOT NULL",
                );
                sql
            }
        };
        if backend == Backend::Sqlite {
            if let Some(accounts) = visible {
                push_account_limit(&mut sql, accounts);
            }
        }
        sql.push(" ORDER BY 1");
        sql.build_query_scalar()?.fetch_all(pool).await
    };
    Ok(FleetFacets {
        accounts: Vec::new(),
        regions: distinct("region").await?,
        directories: distinct("directory_id").await?,
        compute_types: distinct("compute_type").await?,
        running_modes: distinct("running_mode").await?,
        bundles: distinct("bundle_id").await?,
        connection_states: distinct("connection_state").await?,
        operating_systems: distinct("operating_system").await?,
        applications: application_choices(pool, visible).await?,
    })
}

/// One page of the fleet with its counts by state. The two queries run side by side on
/// two pooled connections (SQLite in WAL mode reads concurrently).
pub async fn fleet_page(pool: &AnyPool, query: &FleetQuery) -> Result<FleetPage, sqlx::Error> {
    let (state_counts, rows) = tokio::try_join!(
        state_counts(pool, query),
        fleet_rows(pool, query, Some(query.page))
    )?;
    let states = query.states();
    let total = state_counts
        .iter()
        .filter(|(state, _)| states.is_empty() || states.contains(&state.as_str()))
        .map(|(_, count)| count)
        .sum();
    Ok(FleetPage {
        rows,
        total,
        state_counts,
        actions: Vec::new(),
        show_accounts: false,
    })
}

/// Active WorkSpaces per account and value of `column` (`directory_id` or `bundle_id`;
/// Amazon's bundles have the same id in every account).
pub async fn count_by(
    pool: &AnyPool,
    column: &'static str,
) -> Result<HashMap<(String, String), usize>, sqlx::Error> {
    let column = match column {
        "bundle_id" => "bundle_id",
        _ => "directory_id",
    };
    let rows: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT account, {column}, COUNT(*) FROM workspaces WHERE removed_at IS NULL \
         GROUP BY account, {column}"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(account, key, count)| ((account, key), usize::try_from(count).unwrap_or(0)))
        .collect())
}

/// How many WorkSpaces (not removed) have `id` in `column` (`bundle_id` or
/// `directory_id`).
pub async fn count_using(
    pool: &AnyPool,
    column: &'static str,
    id: &str,
) -> Result<usize, sqlx::Error> {
    let column = match column {
        "bundle_id" => "bundle_id",
        _ => "directory_id",
    };
    let count: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM workspaces WHERE removed_at IS NULL AND {column} = $1"
    ))
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(usize::try_from(count).unwrap_or(0))
}
