//! `fleetdesk db …`: moving the data between databases.

use std::path::PathBuf;

use app::server::repo::{audit, copy};
use clap::Subcommand;

use crate::config::CommonArgs;
use crate::error::ServerError;

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Copy the users, the audit log (its chain as it is), the provisioning drafts and
    /// cost insight's readings from one database into a new, empty one — e.g. from the
    /// SQLite file to the PostgreSQL several nodes share — then verify the copied chain.
    /// The inventory cache is not copied: the next sync rebuilds it; users sign in again.
    Copy {
        /// The database to copy from, e.g. `sqlite:///var/lib/fleetdesk/fleetdesk.db`.
        #[arg(long)]
        from: String,
        /// The database to copy into (migrated first), e.g. `postgres://…/fleetdesk`.
        #[arg(long)]
        to: String,
        /// The audit key file the chain is keyed with (every node needs the same one).
        /// [default: `audit.key` in the data directory]
        #[arg(long, env = "FLEETDESK_AUDIT_KEY_FILE")]
        audit_key_file: Option<PathBuf>,
        /// Directory of the default audit key file.
        #[arg(long, env = "FLEETDESK_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
}

/// Runs one `fleetdesk db` subcommand.
pub async fn run(command: DbCommand) -> Result<(), ServerError> {
    match command {
        DbCommand::Copy {
            from,
            to,
            audit_key_file,
            data_dir,
        } => {
            let source = CommonArgs {
                database_url: Some(from),
                data_dir,
                regions: Vec::new(),
                accounts: None,
                demo: false,
                audit_key_file,
            };
            let key = source.audit_key_path()?;
            if !key.exists() {
                return Err(ServerError::Config(format!(
                    "no audit key at {}: name the key file the source's chain is keyed with \
                     (--audit-key-file)",
                    key.display()
                )));
            }
            let from = source.connect().await?;
            let to_pool = crate::db::connect(&to).await?;
            let copied = copy::copy(&from, &to_pool)
                .await
                .map_err(|error| match error {
                    copy::CopyError::TargetNotEmpty(_) => ServerError::Refused(error.to_string()),
                    copy::CopyError::Database(error) => ServerError::Database(error),
                })?;
            for (table, rows) in &copied.tables {
                println!("  {table:<22} {rows} rows");
            }
            match audit::verify(&to_pool).await? {
                audit::ChainCheck::Intact { entries } => {
                    println!(
                        "Copied into {}; its audit log verifies: {entries} entries, chain intact.",
                        crate::db::redacted(&to)
                    );
                    Ok(())
                }
                audit::ChainCheck::Broken { entry_id, reason } => {
                    Err(ServerError::Refused(format!(
                        "the copied audit log does NOT verify: entry {entry_id} fails ({reason})"
                    )))
                }
            }
        }
    }
}
