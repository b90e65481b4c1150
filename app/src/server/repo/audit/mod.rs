//! SQL of the audit log. The only code that writes `audit_entries` and `audit_targets`.
//!
//! An entry is inserted `pending` and finished once; finishing gives it the next place
//! in a hash chain: its hash covers its content, its targets and the previous finished
//! entry's hash, so an edited or deleted row breaks the chain at that row. SQLite
//! triggers refuse deletes and any change to a finished entry.
//!
//! A pending entry is signed as it is written (`pending_mac`: HMAC under the audit key
//! over its id and content) and checked before it is finished. A pending row someone
//! inserted into the database directly has no valid signature: it is never finished into
//! the chain (that would sign its made-up content and backdated time), and `verify`
//! reports it.
//!
//! `chain` holds the hashing and the check of the chain (`verify`); this file writes and
//! lists entries.

mod chain;

pub use chain::{
    ChainCheck, ChainPoint, anchor_signature, head, holds, set_chain_key, verify, verify_from,
};

use sqlx::{AnyConnection, AnyPool};

use crate::server::repo::sql::{Backend, Sql};

use crate::model::{
    AUDIT_PAGE_SIZE, AuditEntry, AuditQuery, AuditTarget, EntryOutcome, Role, TargetStatus,
};
use crate::server::repo::inventory::now;

use chain::{
    CHAIN_COLUMNS, CHAIN_KEY, ChainRow, KEYED, chain_row, entry_hash, field_list, hmac_hex,
    targets_of,
};

/// Who did something, and from where.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
    pub role: Option<Role>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    /// The accounts the actor may act in; `None`: every account (see
    /// [`UserInfo::accounts`](crate::model::UserInfo::accounts)).
    pub accounts: Option<Vec<String>>,
}

impl Actor {
    /// Whether the actor may act in `account`.
    pub fn may_use(&self, account: &str) -> bool {
        crate::model::may_use(self.accounts.as_deref(), account)
    }
}

/// What is being done.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub action: String,
    pub params: serde_json::Value,
    pub reason: Option<String>,
}

/// The outcome of one target of an action.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetOutcome {
    pub target: String,
    pub region: Option<String>,
    pub outcome: TargetStatus,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub request_id: Option<String>,
}

/// Inserts a `pending` entry, signed, and returns its id.
pub async fn begin(
    conn: &mut AnyConnection,
    actor: &Actor,
    entry: &NewEntry,
) -> Result<i64, sqlx::Error> {
    // Insert and signature commit together (a savepoint inside the caller's transaction).
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_entries (at, actor_id, actor_name, actor_role, client_addr, \
         user_agent, action, params, reason, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING id",
    )
    .bind(now())
    .bind(actor.id)
    .bind(&actor.name)
    .bind(actor.role.map(Role::as_str))
    .bind(&actor.client_addr)
    .bind(&actor.user_agent)
    .bind(&entry.action)
    .bind(entry.params.to_string())
    .bind(&entry.reason)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(key) = CHAIN_KEY.get() {
        let row = chain_row(&mut tx, id).await?;
        sqlx::query(
            "UPDATE audit_entries SET pending_mac = $1 WHERE id = $2 AND outcome = 'pending'",
        )
        .bind(pending_mac(&row, key))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The signature of a pending entry: HMAC-SHA256 under the chain key over what the
/// entry says before it is finished, with its id (so a copied row does not verify).
fn pending_mac(row: &ChainRow, key: &[u8]) -> String {
    let mut fields = vec![Some("pending".to_string())];
    fields.extend(begun_fields(row));
    format!("{KEYED}{}", hmac_hex(key, &field_list(&fields)))
}

/// What an entry says from the moment it is begun, in the order both the pending
/// signature and the entry hash take it.
fn begun_fields(row: &ChainRow) -> Vec<Option<String>> {
    vec![
        Some(row.id.to_string()),
        Some(row.at.clone()),
        row.actor_id.map(|id| id.to_string()),
        Some(row.actor_name.clone()),
        row.actor_role.clone(),
        row.client_addr.clone(),
        row.user_agent.clone(),
        Some(row.action.clone()),
        Some(row.params.clone()),
        row.reason.clone(),
    ]
}

/// Whether a pending entry was written by Fleetdesk: its signature verifies under the
/// chain key. Without a key nothing can be told, and every entry passes.
fn pending_authentic(row: &ChainRow) -> bool {
    match CHAIN_KEY.get() {
        None => true,
        Some(key) => row.pending_mac.as_deref() == Some(pending_mac(row, key).as_str()),
    }
}

/// Why `id` is refused a place in the chain.
fn forged(id: i64) -> sqlx::Error {
    sqlx::Error::Protocol(format!(
        "audit entry {id} was not written by Fleetdesk (its pending signature does not \
         verify): it is left out of the chain, and `fleetdesk audit verify` reports it"
    ))
}

/// The PostgreSQL advisory lock key that serialises appends to the audit chain.
const CHAIN_HEAD_LOCK: i64 = 0x6175_6469_745f_6368; // "audit_ch"

/// Finishes a pending entry: stores the per-target outcomes, the overall outcome and its
/// place in the hash chain. Call inside the transaction that stores the change itself.
pub async fn finish(
    conn: &mut AnyConnection,
    id: i64,
    outcome: EntryOutcome,
    detail: Option<&str>,
    targets: &[TargetOutcome],
) -> Result<(), sqlx::Error> {
    for target in targets {
        sqlx::query(
            "INSERT INTO audit_targets (entry_id, target, region, outcome, error_code, \
             error_message, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&target.target)
        .bind(&target.region)
        .bind(target.outcome.as_str())
        .bind(&target.error_code)
        .bind(&target.error_message)
        .bind(&target.request_id)
        .execute(&mut *conn)
        .await?;
    }
    // Several nodes write one chain: on PostgreSQL the chain head is taken under a lock
    // held to the end of this transaction, so the next writer reads the head this one
    // appends (on SQLite the write transaction already holds the database's lock).
    crate::server::repo::lock_until_commit(conn, CHAIN_HEAD_LOCK).await?;
    let (seq, prev_hash): (i64, Option<String>) = sqlx::query_as(
        "SELECT COALESCE(MAX(chain_seq), 0) + 1, \
         (SELECT hash FROM audit_entries WHERE chain_seq = (SELECT MAX(chain_seq) FROM audit_entries)) \
         FROM audit_entries",
    )
    .fetch_one(&mut *conn)
    .await?;
    // One UPDATE: the trigger refuses any change once the outcome is no longer pending.
    let mut row = chain_row(conn, id).await?;
    if !pending_authentic(&row) {
        return Err(forged(id));
    }
    row.outcome = outcome.as_str().to_string();
    row.detail = detail.map(str::to_string);
    row.finished_at = Some(now());
    row.chain_seq = Some(seq);
    row.prev_hash = Some(prev_hash.unwrap_or_default());
    let hash = entry_hash(&row, &targets_of(conn, id).await?);
    sqlx::query(
        "UPDATE audit_entries SET outcome = $1, detail = $2, finished_at = $3, chain_seq = $4, \
         prev_hash = $5, hash = $6 WHERE id = $7 AND outcome = 'pending'",
    )
    .bind(&row.outcome)
    .bind(&row.detail)
    .bind(&row.finished_at)
    .bind(row.chain_seq)
    .bind(&row.prev_hash)
    .bind(hash)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records an event that is finished as it happens (a login, a refused action), in its
/// own transaction.
pub async fn record(
    pool: &AnyPool,
    actor: &Actor,
    entry: &NewEntry,
    outcome: EntryOutcome,
    detail: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let mut tx = crate::server::repo::write(pool).await?;
    let id = record_in(&mut tx, actor, entry, outcome, detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a finished event inside the caller's transaction, so that it commits (or
/// rolls back) together with the change it describes (a user change).
pub async fn record_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    entry: &NewEntry,
    outcome: EntryOutcome,
    detail: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let id = begin(conn, actor, entry).await?;
    finish(conn, id, outcome, detail, &[]).await?;
    Ok(id)
}

/// Marks entries left `pending` by a previous process (it stopped between calling AWS
/// and recording the answer) as `interrupted`. Returns how many there were. Pending rows
/// whose signature does not verify were not written by Fleetdesk: they stay out of the
/// chain (logged here, reported by `verify`).
pub async fn mark_interrupted(pool: &AnyPool) -> Result<usize, sqlx::Error> {
    // No entry is begun after the end of time: every pending one.
    mark_interrupted_before(pool, "9999").await
}

/// The same for the entries pending since before `at` only: with several nodes on one
/// database, the leader settles what a dead node left (an entry older than any change
/// takes), never a change another node is carrying out.
pub async fn mark_interrupted_before(pool: &AnyPool, at: &str) -> Result<usize, sqlx::Error> {
    let pending: Vec<ChainRow> = sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE outcome = 'pending' AND at < $1 \
         ORDER BY id"
    ))
    .bind(at)
    .fetch_all(pool)
    .await?;
    let mut settled = 0;
    for row in &pending {
        let id = &row.id;
        if !pending_authentic(row) {
            tracing::error!(
                entry = row.id,
                "a pending audit entry was not written by Fleetdesk (its signature does not verify): \
                 left out of the chain; `fleetdesk audit verify` reports it"
            );
            continue;
        }
        settled += 1;
        let mut tx = crate::server::repo::write(pool).await?;
        finish(
            &mut tx,
            *id,
            EntryOutcome::Interrupted,
            Some("Fleetdesk stopped before AWS's answer was recorded; check the targets' state"),
            &[],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(settled)
}

fn push_audit_filters(sql: &mut Sql, query: &AuditQuery) {
    sql.push(" WHERE 1 = 1");
    if !query.actor.is_empty() {
        sql.push(" AND ")
            .push_eq_nocase("actor_name", query.actor.clone());
    }
    if !query.action.is_empty() {
        let like = sql.backend().ilike();
        sql.push(format!(" AND action {like} "))
            .push_bind(format!(
                "{}%",
                crate::server::repo::inventory::like_escape(&query.action)
            ))
            .push(" ESCAPE '\\'");
    }
    if !query.outcome.is_empty() {
        sql.push(" AND outcome = ").push_bind(query.outcome.clone());
    }
    if !query.entry.is_empty() {
        // Not a number: no entry has it.
        let id: i64 = query.entry.trim_start_matches('#').parse().unwrap_or(-1);
        sql.push(" AND id = ").push_bind(id);
    }
    // Changes name their accounts in `params.accounts` (see `changes::execute`).
    if !query.account.is_empty() {
        let accounts = sql.backend().json_array_values("params", "accounts");
        sql.push(format!(
            " AND EXISTS (SELECT 1 FROM {accounts} WHERE value = "
        ))
        .push_bind(query.account.clone())
        .push(")");
    }
    if let Some(visible) = &query.visible_accounts {
        let accounts = sql.backend().json_array_values("params", "accounts");
        sql.push(format!(
            " AND NOT EXISTS (SELECT 1 FROM {accounts} WHERE value NOT IN (''"
        ));
        for account in visible {
            sql.push(", ").push_bind(account.clone());
        }
        sql.push("))");
    }
    if !query.target.is_empty() {
        sql.push(" AND id IN (SELECT entry_id FROM audit_targets WHERE target = ")
            .push_bind(query.target.clone())
            .push(")");
    }
    if !query.from.is_empty() {
        sql.push(" AND at >= ").push_bind(query.from.clone());
    }
    if !query.to.is_empty() {
        // A bare date includes the whole day.
        let to = if query.to.len() == 10 {
            format!("{}T23:59:59.999Z", query.to)
        } else {
            query.to.clone()
        };
        sql.push(" AND at <= ").push_bind(to);
    }
}

/// Entries read for a streamed export per query: a few hundred in memory at a time.
const EXPORT_BATCH: i64 = 500;

/// Sends every entry matching `query` into `entries`, newest first, reading them in
/// batches (each batch's targets in one query). Stops early when the receiver is gone.
pub async fn send_entries(
    pool: &AnyPool,
    query: &AuditQuery,
    entries: tokio::sync::mpsc::Sender<AuditEntry>,
) -> Result<(), sqlx::Error> {
    let mut before: Option<i64> = None;
    loop {
        let mut sql = Sql::new(
            Backend::of(pool),
            format!("SELECT {CHAIN_COLUMNS} FROM audit_entries"),
        );
        push_audit_filters(&mut sql, query);
        if let Some(id) = before {
            sql.push(" AND id < ").push_bind(id);
        }
        sql.push(" ORDER BY id DESC LIMIT ").push_bind(EXPORT_BATCH);
        let rows: Vec<ChainRow> = sql.build_query_as()?.fetch_all(pool).await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            return Ok(());
        };
        before = Some(last);
        for entry in with_targets(pool, rows).await? {
            if entries.send(entry).await.is_err() {
                return Ok(());
            }
        }
    }
}

/// The entries of `rows` with their targets, read in one query.
async fn with_targets(pool: &AnyPool, rows: Vec<ChainRow>) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut targets: std::collections::HashMap<i64, Vec<AuditTarget>> = Default::default();
    if !rows.is_empty() {
        let mut sql = Sql::new(
            Backend::of(pool),
            "SELECT entry_id, target, outcome, error_code, error_message, request_id \
             FROM audit_targets WHERE entry_id IN (",
        );
        sql.push_list(rows.iter().map(|row| row.id));
        sql.push(") ORDER BY entry_id, target");
        let found: Vec<(
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        )> = sql.build_query_as()?.fetch_all(pool).await?;
        for (entry_id, target, outcome, code, message, request_id) in found {
            targets.entry(entry_id).or_default().push(AuditTarget {
                target,
                outcome,
                error: match (code, message) {
                    (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                    (code, message) => code.or(message),
                },
                request_id,
            });
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            targets: targets.remove(&row.id).unwrap_or_default(),
            id: row.id,
            at: row.at,
            actor_name: row.actor_name,
            actor_role: row.actor_role,
            client_addr: row.client_addr,
            user_agent: row.user_agent,
            action: row.action,
            params: row.params,
            reason: row.reason,
            outcome: row.outcome,
            detail: row.detail,
            finished_at: row.finished_at,
        })
        .collect())
}

/// Entries matching `query`, newest first; one page when `page` is set. Returns the
/// entries and the number of all matching ones.
pub async fn list(
    pool: &AnyPool,
    query: &AuditQuery,
    page: Option<usize>,
) -> Result<(Vec<AuditEntry>, usize), sqlx::Error> {
    let mut count = Sql::new(Backend::of(pool), "SELECT COUNT(*) FROM audit_entries");
    push_audit_filters(&mut count, query);
    let total: i64 = count.build_query_scalar()?.fetch_one(pool).await?;
    let mut sql = Sql::new(
        Backend::of(pool),
        format!("SELECT {CHAIN_COLUMNS} FROM audit_entries"),
    );
    push_audit_filters(&mut sql, query);
    sql.push(" ORDER BY id DESC");
    if let Some(page) = page {
        sql.push(" LIMIT ")
            .push_bind(AUDIT_PAGE_SIZE as i64)
            .push(" OFFSET ")
            .push_bind(crate::server::repo::inventory::offset(
                page,
                AUDIT_PAGE_SIZE,
            ));
    }
    let rows: Vec<ChainRow> = sql.build_query_as()?.fetch_all(pool).await?;
    let entries = with_targets(pool, rows).await?;
    Ok((entries, usize::try_from(total).unwrap_or(0)))
}
