//! `fleetdesk audit …`: checking the audit log from the command line.

use app::server::repo::audit;
use clap::Subcommand;

use crate::config::CommonArgs;
use crate::db;
use crate::error::ServerError;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits non-zero if an entry was edited or removed.
    Verify {
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// `fleetdesk audit verify`
pub async fn verify(common: CommonArgs) -> Result<(), ServerError> {
    let pool = db::connect(&common.database_url()?).await?;
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
