//! The `fleetdesk` command line: `serve` (the default) runs the web console. This file
//! only parses the arguments and dispatches; each command lives in [`server::commands`].

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::commands;
use server::commands::audit::AuditCommand;
use server::commands::user::UserCommand;
use server::config::{CommonArgs, ServeArgs, SyncArgs};
use tracing_subscriber::EnvFilter;

/// Fleetdesk: a web console for Amazon WorkSpaces fleets.
#[derive(Parser, Debug)]
#[command(
    name = "fleetdesk",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// With no command, Fleetdesk serves the web console with these options.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web console (the default command). Syncs the inventory in the
    /// background at start and every few minutes.
    Serve(ServeArgs),
    /// Sync the inventory cache from AWS once, with progress, then exit.
    Sync {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        sync: SyncArgs,
    },
    /// Manage the people who may log in.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check the audit log's hash chain and name the first entry that fails.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Move the data between databases (SQLite to PostgreSQL and back).
    Db {
        #[command(subcommand)]
        command: commands::db::DbCommand,
    },
}

fn main() -> ExitCode {
    server::allocator::keep_large_blocks_mapped();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("FLEETDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("fleetdesk: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Some(Command::Serve(args)) => commands::serve::run(args).await,
            Some(Command::Sync { common, sync }) => commands::sync::run(common, sync).await,
            Some(Command::User { command }) => commands::user::run(command).await,
            Some(Command::Audit {
                command: AuditCommand::Verify { common, head },
            }) => commands::audit::verify(common, head).await,
            Some(Command::Audit {
                command: AuditCommand::Head { common },
            }) => commands::audit::head(common).await,
            Some(Command::Db { command }) => commands::db::run(command).await,
            None => commands::serve::run(cli.serve).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("fleetdesk: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap checks a command line's definition (unique argument names, …) only when it
    /// parses one; this checks every command and subcommand at once.
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
