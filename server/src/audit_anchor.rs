//! Anchors of the audit chain's head, kept outside the database.
//!
//! The hash chain shows an edited or inserted entry, but entries deleted from its end
//! leave a shorter chain that still verifies. So `serve` writes the head down: at start
//! and then every minute when it moved, a signed line (`SEQ HASH AT SIGNATURE`, HMAC under
//! the audit key) appended to `audit.anchors` next to the key file, and the same head to
//! the log (`audit head anchored`), which usually goes to a log server out of the
//! database writers' reach. `fleetdesk audit verify` checks by default that the chain
//! still holds the latest anchor. What was written in the last minute before a deletion
//! is not covered; someone who can write this file can also read the key.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use app::server::repo::audit::{self, ChainPoint};

use crate::error::ServerError;

/// How often `serve` anchors a head that moved.
pub const EVERY: Duration = Duration::from_secs(60);

/// The anchor file that goes with the key file at `key_path`.
pub fn path_for(key_path: &Path) -> PathBuf {
    key_path.with_file_name("audit.anchors")
}

/// Appends `head`, signed, to the anchor file (created with mode 0600).
pub fn append(path: &Path, head: &ChainPoint) -> Result<(), ServerError> {
    let at = app::server::repo::inventory::now();
    let signature = audit::anchor_signature(head, &at)
        .ok_or_else(|| ServerError::Config("no audit key is loaded to sign the anchor".into()))?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map_err(|error| {
            ServerError::Config(format!(
                "cannot open the audit anchors {}: {error}",
                path.display()
            ))
        })?;
    writeln!(file, "{} {} {at} {signature}", head.seq, head.hash).map_err(|error| {
        ServerError::Config(format!(
            "cannot write the audit anchors {}: {error}",
            path.display()
        ))
    })
}

/// The latest anchor in the file (`None` when there is none yet). Every line must carry
/// a valid signature: a line that does not was written past Fleetdesk.
pub fn latest(path: &Path) -> Result<Option<ChainPoint>, ServerError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(ServerError::Config(format!(
                "cannot read the audit anchors {}: {error}",
                path.display()
            )));
        }
    };
    let mut latest = None;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
    {
        let fields: Vec<&str> = line.split(' ').collect();
        let parsed = match fields.as_slice() {
            [seq, hash, at, signature] => seq.parse().ok().map(|seq| {
                let point = ChainPoint {
                    seq,
                    hash: hash.to_string(),
                };
                let valid = audit::anchor_signature(&point, at).as_deref() == Some(*signature);
                (point, valid)
            }),
            _ => None,
        };
        match parsed {
            Some((point, true)) => latest = Some(point),
            _ => {
                return Err(ServerError::Refused(format!(
                    "line {} of the audit anchors {} is not signed with the audit key",
                    n + 1,
                    path.display()
                )));
            }
        }
    }
    Ok(latest)
}

/// `serve`'s anchoring loop: the head now, then every [`EVERY`] when it moved.
pub async fn keep(pool: sqlx::AnyPool, path: PathBuf) {
    let mut last: Option<ChainPoint> = latest(&path).ok().flatten();
    loop {
        match audit::head(&pool).await {
            Ok(Some(head)) if last.as_ref() != Some(&head) => match append(&path, &head) {
                Ok(()) => {
                    tracing::info!(
                        target: "fleetdesk::audit",
                        seq = head.seq,
                        hash = %head.hash,
                        "audit head anchored"
                    );
                    last = Some(head);
                }
                Err(error) => tracing::error!("cannot anchor the audit head: {error}"),
            },
            Ok(_) => {}
            Err(error) => tracing::warn!("cannot read the audit head: {error}"),
        }
        tokio::time::sleep(EVERY).await;
    }
}
