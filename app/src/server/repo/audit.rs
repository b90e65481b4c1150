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

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use sqlx::{QueryBuilder, Sqlite};

use crate::model::{
    AUDIT_PAGE_SIZE, AuditEntry, AuditQuery, AuditTarget, EntryOutcome, Role, TargetStatus,
};
use crate::server::repo::inventory::now;

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
    conn: &mut SqliteConnection,
    actor: &Actor,
    entry: &NewEntry,
) -> Result<i64, sqlx::Error> {
    // Insert and signature commit together (a savepoint inside the caller's transaction).
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let result = sqlx::query(
        "INSERT INTO audit_entries (at, actor_id, actor_name, actor_role, client_addr, \
         user_agent, action, params, reason, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
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
    .execute(&mut *tx)
    .await?;
    let id = result.last_insert_rowid();
    if let Some(key) = CHAIN_KEY.get() {
        let row = chain_row(&mut tx, id).await?;
        sqlx::query(
            "UPDATE audit_entries SET pending_mac = ? WHERE id = ? AND outcome = 'pending'",
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

/// Finishes a pending entry: stores the per-target outcomes, the overall outcome and its
/// place in the hash chain. Call inside the transaction that stores the change itself.
pub async fn finish(
    conn: &mut SqliteConnection,
    id: i64,
    outcome: EntryOutcome,
    detail: Option<&str>,
    targets: &[TargetOutcome],
) -> Result<(), sqlx::Error> {
    for target in targets {
        sqlx::query(
            "INSERT INTO audit_targets (entry_id, target, region, outcome, error_code, \
             error_message, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        "UPDATE audit_entries SET outcome = ?, detail = ?, finished_at = ?, chain_seq = ?, \
         prev_hash = ?, hash = ? WHERE id = ? AND outcome = 'pending'",
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
    pool: &SqlitePool,
    actor: &Actor,
    entry: &NewEntry,
    outcome: EntryOutcome,
    detail: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let id = record_in(&mut tx, actor, entry, outcome, detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a finished event inside the caller's transaction, so that it commits (or
/// rolls back) together with the change it describes (a user change).
pub async fn record_in(
    conn: &mut SqliteConnection,
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
pub async fn mark_interrupted(pool: &SqlitePool) -> Result<usize, sqlx::Error> {
    let pending: Vec<ChainRow> = sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE outcome = 'pending' ORDER BY id"
    ))
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
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
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

/// The hashed columns of a finished entry.
#[derive(FromRow)]
struct ChainRow {
    id: i64,
    at: String,
    actor_id: Option<i64>,
    actor_name: String,
    actor_role: Option<String>,
    client_addr: Option<String>,
    user_agent: Option<String>,
    action: String,
    params: String,
    reason: Option<String>,
    outcome: String,
    detail: Option<String>,
    finished_at: Option<String>,
    chain_seq: Option<i64>,
    prev_hash: Option<String>,
    hash: Option<String>,
    /// The pending entry's signature (not part of the entry's hash).
    pending_mac: Option<String>,
}

const CHAIN_COLUMNS: &str = "id, at, actor_id, actor_name, actor_role, client_addr, user_agent, \
    action, params, reason, outcome, detail, finished_at, chain_seq, prev_hash, hash, pending_mac";

async fn chain_row(conn: &mut SqliteConnection, id: i64) -> Result<ChainRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE id = ?"
    ))
    .bind(id)
    .fetch_one(conn)
    .await
}

async fn targets_of(conn: &mut SqliteConnection, id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT target, region, outcome, error_code, error_message, request_id \
             FROM audit_targets WHERE entry_id = ? ORDER BY target",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(target, region, outcome, code, message, request)| {
            field_list(&[Some(target), region, Some(outcome), code, message, request])
        })
        .collect())
}

/// Joins optional fields unambiguously: each is length-prefixed, absent ones are `-`.
fn field_list(fields: &[Option<String>]) -> String {
    fields
        .iter()
        .map(|field| match field {
            Some(value) => format!("{}:{value}", value.len()),
            None => "-".to_string(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The secret that keys the chain, kept outside the database (a key file, see the
/// README). Set once at start; entries finished without it get a plain SHA-256 hash.
static CHAIN_KEY: OnceLock<Vec<u8>> = OnceLock::new();
/// The first chain place the key must have keyed (entries before it predate the key).
static KEYED_FROM: OnceLock<i64> = OnceLock::new();

/// Prefix of a keyed (HMAC-SHA256) entry hash; plain SHA-256 hashes have none.
const KEYED: &str = "hmac:";

/// Keys the chain for the rest of the process; every entry from chain place
/// `keyed_from` on must be keyed. Returns false if another key was set.
pub fn set_chain_key(key: Vec<u8>, keyed_from: i64) -> bool {
    KEYED_FROM.get_or_init(|| keyed_from);
    CHAIN_KEY.get_or_init(|| key.clone()) == &key
}

/// The hash of an entry: HMAC-SHA256 under the chain key (`hmac:` + hex) when one is
/// set, else plain SHA-256 (entries from before keys existed).
fn entry_hash(row: &ChainRow, targets: &[String]) -> String {
    entry_hash_with(row, targets, CHAIN_KEY.get().map(Vec::as_slice))
}

fn entry_hash_with(row: &ChainRow, targets: &[String], key: Option<&[u8]>) -> String {
    let mut fields = begun_fields(row);
    fields.extend([
        Some(row.outcome.clone()),
        row.detail.clone(),
        row.finished_at.clone(),
        row.chain_seq.map(|seq| seq.to_string()),
        row.prev_hash.clone(),
        Some(targets.join("\n")),
    ]);
    let content = field_list(&fields);
    match key {
        Some(key) => format!("{KEYED}{}", hmac_hex(key, &content)),
        None => hex(&Sha256::digest(content.as_bytes())),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// HMAC-SHA256 of `content` under `key`, hex.
fn hmac_hex(key: &[u8], content: &str) -> String {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(content.as_bytes());
            hex(&mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => hex(&Sha256::digest(content.as_bytes())),
    }
}

/// The result of checking the hash chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every finished entry verifies; `entries` were checked.
    Intact { entries: usize },
    /// The first entry (by id) whose content, hash or link does not verify.
    Broken { entry_id: i64, reason: String },
}

/// No change takes this long; a pending entry older than this was forged or forgotten.
const PENDING_AT_MOST_HOURS: i64 = 1;

/// The head of the chain: its last entry's place and hash, printed by `fleetdesk audit
/// head` to keep outside the database; `None` for an empty chain.
pub async fn head(pool: &SqlitePool) -> Result<Option<ChainPoint>, sqlx::Error> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT chain_seq, hash FROM audit_entries WHERE chain_seq IS NOT NULL \
         ORDER BY chain_seq DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(seq, hash)| ChainPoint {
        seq,
        hash: hash.unwrap_or_default(),
    }))
}

/// The signature of an anchor: the chain head `point` as it was at `at`, HMAC under the
/// chain key (so an anchor cannot be made up without the key). `None` without a key.
pub fn anchor_signature(point: &ChainPoint, at: &str) -> Option<String> {
    let key = CHAIN_KEY.get()?;
    let content = field_list(&[
        Some("anchor".to_string()),
        Some(point.seq.to_string()),
        Some(point.hash.clone()),
        Some(at.to_string()),
    ]);
    Some(hmac_hex(key, &content))
}

/// Whether the chain still holds `head` (a head kept earlier): the same entry with the
/// same hash. Entries deleted from the end, or a chain rebuilt, lose it.
pub async fn holds(pool: &SqlitePool, head: &ChainPoint) -> Result<bool, sqlx::Error> {
    let hash: Option<Option<String>> =
        sqlx::query_scalar("SELECT hash FROM audit_entries WHERE chain_seq = ?")
            .bind(head.seq)
            .fetch_optional(pool)
            .await?;
    Ok(hash.flatten().as_deref() == Some(head.hash.as_str()))
}

/// A place in the chain that verified: the last entry checked and its hash. The
/// default is the start of the chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainPoint {
    pub seq: i64,
    pub hash: String,
}

/// Recomputes the whole chain from its first entry and names the first entry that fails.
pub async fn verify(pool: &SqlitePool) -> Result<ChainCheck, sqlx::Error> {
    Ok(verify_from(pool, &ChainPoint::default()).await?.0)
}

/// Recomputes the chain after `from` only (entries up to it verified earlier) and
/// returns where it got to. The audit page uses this so that a page load costs the new
/// entries, not the whole log; `fleetdesk audit verify` checks everything.
pub async fn verify_from(
    pool: &SqlitePool,
    from: &ChainPoint,
) -> Result<(ChainCheck, ChainPoint), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows: Vec<ChainRow> = sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE chain_seq > ? ORDER BY chain_seq"
    ))
    .bind(from.seq)
    .fetch_all(&mut *conn)
    .await?;
    let mut point = from.clone();
    let mut previous_finish: Option<chrono::DateTime<chrono::Utc>> = None;
    for row in &rows {
        let broken = |reason: &str| ChainCheck::Broken {
            entry_id: row.id,
            reason: reason.to_string(),
        };
        if row.chain_seq != Some(point.seq + 1) {
            return Ok((
                broken("an entry before it is missing from the chain"),
                point,
            ));
        }
        if row.prev_hash.as_deref().unwrap_or("") != point.hash {
            return Ok((
                broken("its link to the previous entry does not match"),
                point,
            ));
        }
        let stored = row.hash.as_deref().unwrap_or("");
        let keyed = stored.starts_with(KEYED);
        let must_be_keyed = KEYED_FROM
            .get()
            .is_some_and(|from| row.chain_seq.is_some_and(|seq| seq >= *from));
        if !keyed && (point.hash.starts_with(KEYED) || must_be_keyed) {
            return Ok((
                broken("it is not keyed, but the chain is keyed there"),
                point,
            ));
        }
        let key = if keyed {
            match CHAIN_KEY.get() {
                Some(key) => Some(key.as_slice()),
                None => {
                    return Ok((broken("it is keyed and no audit key is loaded"), point));
                }
            }
        } else {
            None
        };
        let expected = entry_hash_with(row, &targets_of(&mut conn, row.id).await?, key);
        if stored != expected {
            return Ok((broken("its content does not match its hash"), point));
        }
        if let Some(reason) = time_problem(row, previous_finish) {
            return Ok((broken(&reason), point));
        }
        previous_finish = row.finished_at.as_deref().and_then(parse_time);
        point = ChainPoint {
            seq: point.seq + 1,
            hash: expected,
        };
    }
    // Rows the chain does not hold (one lookup on the chain_seq index): finished outside
    // it, or pending far longer than any change takes (a crash leaves them pending until
    // the next start marks them).
    let stale_before = (chrono::Utc::now() - chrono::Duration::hours(PENDING_AT_MOST_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let unchained: Vec<ChainRow> = sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE chain_seq IS NULL ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for row in unchained {
        let (entry_id, outcome, at) = (row.id, row.outcome.as_str(), row.at.as_str());
        let reason = if outcome != "pending" {
            "it is finished but not in the chain (inserted past Fleetdesk)".to_string()
        } else if !pending_authentic(&row) {
            "it is pending, but its signature does not verify (inserted past Fleetdesk)".to_string()
        } else if at < stale_before.as_str() {
            format!("it has been pending for over {PENDING_AT_MOST_HOURS} hour(s)")
        } else {
            continue;
        };
        return Ok((ChainCheck::Broken { entry_id, reason }, point));
    }
    let entries = usize::try_from(point.seq).unwrap_or(0);
    Ok((ChainCheck::Intact { entries }, point))
}

/// How far a clock may step back between two entries (a time server's correction)
/// before the chain's times count as going backwards.
const CLOCK_STEP_SECONDS: i64 = 300;

fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&chrono::Utc))
}

/// Why an entry's times cannot be true, if they cannot: entries are finished in chain
/// order, so finishing times do not go backwards along the chain, and an entry cannot
/// finish before it began. (A backdated entry that kept its hashes valid would need the
/// key; this catches times that were made up anyway.)
fn time_problem(
    row: &ChainRow,
    previous_finish: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<String> {
    let step = chrono::Duration::seconds(CLOCK_STEP_SECONDS);
    let began = parse_time(&row.at);
    let finished = row.finished_at.as_deref().and_then(parse_time);
    let (Some(began), Some(finished)) = (began, finished) else {
        return Some("its times are not valid RFC 3339 times".to_string());
    };
    if began > finished + step {
        return Some("it finished before it began".to_string());
    }
    match previous_finish {
        Some(previous) if finished + step < previous => Some(
            "it finished before the entry before it in the chain: the times go backwards"
                .to_string(),
        ),
        _ => None,
    }
}

fn push_audit_filters(sql: &mut QueryBuilder<'_, Sqlite>, query: &AuditQuery) {
    sql.push(" WHERE 1 = 1");
    if !query.actor.is_empty() {
        sql.push(" AND actor_name = ")
            .push_bind(query.actor.clone())
            .push(" COLLATE NOCASE");
    }
    if !query.action.is_empty() {
        sql.push(" AND action LIKE ")
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
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(params, '$.accounts') WHERE value = ")
            .push_bind(query.account.clone())
            .push(")");
    }
    if let Some(visible) = &query.visible_accounts {
        sql.push(
            " AND NOT EXISTS (SELECT 1 FROM json_each(params, '$.accounts') WHERE value NOT IN (''",
        );
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
    pool: &SqlitePool,
    query: &AuditQuery,
    entries: tokio::sync::mpsc::Sender<AuditEntry>,
) -> Result<(), sqlx::Error> {
    let mut before: Option<i64> = None;
    loop {
        let mut sql = QueryBuilder::new(format!("SELECT {CHAIN_COLUMNS} FROM audit_entries"));
        push_audit_filters(&mut sql, query);
        if let Some(id) = before {
            sql.push(" AND id < ").push_bind(id);
        }
        sql.push(" ORDER BY id DESC LIMIT ").push_bind(EXPORT_BATCH);
        let rows: Vec<ChainRow> = sql.build_query_as().fetch_all(pool).await?;
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
async fn with_targets(
    pool: &SqlitePool,
    rows: Vec<ChainRow>,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut targets: std::collections::HashMap<i64, Vec<AuditTarget>> = Default::default();
    if !rows.is_empty() {
        let mut sql = QueryBuilder::new(
            "SELECT entry_id, target, outcome, error_code, error_message, request_id \
             FROM audit_targets WHERE entry_id IN (",
        );
        let mut ids = sql.separated(", ");
        for row in &rows {
            ids.push_bind(row.id);
        }
        sql.push(") ORDER BY entry_id, target");
        let found: Vec<(
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        )> = sql.build_query_as().fetch_all(pool).await?;
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
    pool: &SqlitePool,
    query: &AuditQuery,
    page: Option<usize>,
) -> Result<(Vec<AuditEntry>, usize), sqlx::Error> {
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM audit_entries");
    push_audit_filters(&mut count, query);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut sql = QueryBuilder::new(format!("SELECT {CHAIN_COLUMNS} FROM audit_entries"));
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
    let rows: Vec<ChainRow> = sql.build_query_as().fetch_all(pool).await?;
    let entries = with_targets(pool, rows).await?;
    Ok((entries, usize::try_from(total).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(at: &str, finished_at: &str) -> ChainRow {
        ChainRow {
            id: 1,
            at: at.into(),
            actor_id: None,
            actor_name: "admin".into(),
            actor_role: None,
            client_addr: None,
            user_agent: None,
            action: "test".into(),
            params: "{}".into(),
            reason: None,
            outcome: "succeeded".into(),
            detail: None,
            finished_at: Some(finished_at.into()),
            chain_seq: Some(1),
            prev_hash: None,
            hash: None,
            pending_mac: None,
        }
    }

    /// Issue 20, finding 2: `verify` checks that times do not go backwards along the
    /// chain (entries are finished in chain order) and that no entry finished before it
    /// began, allowing a clock step of a few minutes.
    #[test]
    fn times_that_go_backwards_are_a_problem() {
        let previous = parse_time("2026-12-02T10:00:00.000Z");
        let fine = finished("2026-12-02T09:59:00.000Z", "2026-12-02T10:00:01.000Z");
        assert_eq!(time_problem(&fine, previous), None);
        let stepped = finished("2026-12-02T09:59:00.000Z", "2026-12-02T09:58:00.000Z");
        assert_eq!(
            time_problem(&stepped, previous),
            None,
            "a clock step of two minutes"
        );
        let backdated = finished("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z");
        assert!(time_problem(&backdated, previous).is_some_and(|p| p.contains("backwards")));
        let inverted = finished("2026-12-02T11:00:00.000Z", "2026-12-02T10:00:01.000Z");
        assert!(time_problem(&inverted, previous).is_some_and(|p| p.contains("before it began")));
        let garbage = finished("yesterday", "2026-12-02T10:00:01.000Z");
        assert!(time_problem(&garbage, previous).is_some());
    }
}
