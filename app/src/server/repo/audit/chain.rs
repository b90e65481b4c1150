//! The audit hash chain: each finished entry's hash and key, the chain's head and its
//! signed anchor, and [`verify`], which walks the chain and reports the first break,
//! forged pending rows and impossible times.

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AnyPool, FromRow};

use super::{begun_fields, pending_authentic};

/// The hashed columns of a finished entry.
#[derive(FromRow)]
pub(super) struct ChainRow {
    pub(super) id: i64,
    pub(super) at: String,
    pub(super) actor_id: Option<i64>,
    pub(super) actor_name: String,
    pub(super) actor_role: Option<String>,
    pub(super) client_addr: Option<String>,
    pub(super) user_agent: Option<String>,
    pub(super) action: String,
    pub(super) params: String,
    pub(super) reason: Option<String>,
    pub(super) outcome: String,
    pub(super) detail: Option<String>,
    pub(super) finished_at: Option<String>,
    pub(super) chain_seq: Option<i64>,
    pub(super) prev_hash: Option<String>,
    pub(super) hash: Option<String>,
    /// The pending entry's signature (not part of the entry's hash).
    pub(super) pending_mac: Option<String>,
}

pub(super) const CHAIN_COLUMNS: &str = "id, at, actor_id, actor_name, actor_role, client_addr, user_agent, \
    action, params, reason, outcome, detail, finished_at, chain_seq, prev_hash, hash, pending_mac";

pub(super) async fn chain_row(conn: &mut AnyConnection, id: i64) -> Result<ChainRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(conn)
    .await
}

pub(super) async fn targets_of(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT target, region, outcome, error_code, error_message, request_id \
             FROM audit_targets WHERE entry_id = $1 ORDER BY target",
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
pub(super) fn field_list(fields: &[Option<String>]) -> String {
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
pub(super) static CHAIN_KEY: OnceLock<Vec<u8>> = OnceLock::new();
/// The first chain place the key must have keyed (entries before it predate the key).
static KEYED_FROM: OnceLock<i64> = OnceLock::new();

/// Prefix of a keyed (HMAC-SHA256) entry hash; plain SHA-256 hashes have none.
pub(super) const KEYED: &str = "hmac:";

/// Keys the chain for the rest of the process; every entry from chain place
/// `keyed_from` on must be keyed. Returns false if another key was set.
pub fn set_chain_key(key: Vec<u8>, keyed_from: i64) -> bool {
    KEYED_FROM.get_or_init(|| keyed_from);
    CHAIN_KEY.get_or_init(|| key.clone()) == &key
}

/// The hash of an entry: HMAC-SHA256 under the chain key (`hmac:` + hex) when one is
/// set, else plain SHA-256 (entries from before keys existed).
pub(super) fn entry_hash(row: &ChainRow, targets: &[String]) -> String {
    entry_hash_with(row, targets, CHAIN_KEY.get().map(Vec::as_slice))
}

pub(super) fn entry_hash_with(row: &ChainRow, targets: &[String], key: Option<&[u8]>) -> String {
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

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// HMAC-SHA256 of `content` under `key`, hex.
pub(super) fn hmac_hex(key: &[u8], content: &str) -> String {
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
pub(super) const PENDING_AT_MOST_HOURS: i64 = 1;

/// The head of the chain: its last entry's place and hash, printed by `fleetdesk audit
/// head` to keep outside the database; `None` for an empty chain.
pub async fn head(pool: &AnyPool) -> Result<Option<ChainPoint>, sqlx::Error> {
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
pub async fn holds(pool: &AnyPool, head: &ChainPoint) -> Result<bool, sqlx::Error> {
    let hash: Option<Option<String>> =
        sqlx::query_scalar("SELECT hash FROM audit_entries WHERE chain_seq = $1")
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
pub async fn verify(pool: &AnyPool) -> Result<ChainCheck, sqlx::Error> {
    Ok(verify_from(pool, &ChainPoint::default()).await?.0)
}

/// Recomputes the chain after `from` only (entries up to it verified earlier) and
/// returns where it got to. The audit page uses this so that a page load costs the new
/// entries, not the whole log; `fleetdesk audit verify` checks everything.
pub async fn verify_from(
    pool: &AnyPool,
    from: &ChainPoint,
) -> Result<(ChainCheck, ChainPoint), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows: Vec<ChainRow> = sqlx::query_as(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_entries WHERE chain_seq > $1 ORDER BY chain_seq"
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
pub(super) const CLOCK_STEP_SECONDS: i64 = 300;

pub(super) fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&chrono::Utc))
}

/// Why an entry's times cannot be true, if they cannot: entries are finished in chain
/// order, so finishing times do not go backwards along the chain, and an entry cannot
/// finish before it began. (A backdated entry that kept its hashes valid would need the
/// key; this catches times that were made up anyway.)
pub(super) fn time_problem(
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
