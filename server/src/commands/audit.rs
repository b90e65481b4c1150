//! `fleetdesk audit …`: checking the audit log from the command line.

use app::server::repo::audit;
use clap::Subcommand;

use crate::config::CommonArgs;
use crate::error::ServerError;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits non-zero if an entry was edited, removed, finished
    /// outside the chain, left pending too long or forged pending, or if the chain no
    /// longer holds the latest head `serve` anchored in `audit.anchors`.
    Verify {
        #[command(flatten)]
        common: CommonArgs,
        /// A head printed earlier by `fleetdesk audit head` (`SEQ:HASH`): the chain must
        /// still hold it, so entries removed from the end are noticed.
        #[arg(long)]
        head: Option<String>,
    },
    /// Print the chain's head (`SEQ:HASH`) to keep somewhere the database's writers
    /// cannot reach (a ticket, a log server), for `verify --head` later.
    Head {
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// `fleetdesk audit head`
pub async fn head(common: CommonArgs) -> Result<(), ServerError> {
    let pool = common.connect().await?;
    match audit::head(&pool).await? {
        Some(head) => println!("{}:{}", head.seq, head.hash),
        None => println!("0:"),
    }
    Ok(())
}

/// `fleetdesk audit verify`
pub async fn verify(common: CommonArgs, head: Option<String>) -> Result<(), ServerError> {
    let pool = common.connect().await?;
    let anchors = crate::audit_anchor::path_for(&common.audit_key_path()?);
    if let Some(anchor) = crate::audit_anchor::latest(&anchors)? {
        if anchor.seq > 0 && !audit::holds(&pool, &anchor).await? {
            return Err(ServerError::Refused(format!(
                "the audit log does NOT verify: it no longer holds entry {} as anchored in {} \
                 (entries removed from the end, or the chain rebuilt)",
                anchor.seq,
                anchors.display()
            )));
        }
    }
    if let Some(head) = head {
        let kept = head
            .split_once(':')
            .and_then(|(seq, hash)| {
                Some(audit::ChainPoint {
                    seq: seq.parse().ok()?,
                    hash: hash.to_string(),
                })
            })
            .ok_or_else(|| ServerError::Refused(format!("{head:?} is not a head (SEQ:HASH)")))?;
        if kept.seq > 0 && !audit::holds(&pool, &kept).await? {
            return Err(ServerError::Refused(format!(
                "the audit log does NOT verify: it no longer holds entry {} of the chain \
                 with the head's hash (entries removed or the chain rebuilt)",
                kept.seq
            )));
        }
    }
    match audit::verify(&pool).await? {
        audit::ChainCheck::Intact { entries } => {
            println!("The audit log verifies: {entries} entries, chain intact.");
            Ok(())
        }
        audit::ChainCheck::Broken { entry_id, reason } => Err(ServerError::Refused(format!(
            "the audit log does NOT verify: entry {entry_id} fails ({reason})"
        ))),
    }
}
