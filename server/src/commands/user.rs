//! `fleetdesk user …`: managing the people who may log in, from the command line.

use app::server::repo::users;
use clap::Subcommand;

use super::cli_actor;
use crate::config::CommonArgs;
use crate::error::ServerError;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user; the password is asked for, or read from stdin.
    Add {
        #[command(flatten)]
        common: CommonArgs,
        name: String,
        /// viewer, helpdesk or admin.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of stdin instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password.
    Passwd {
        #[command(flatten)]
        common: CommonArgs,
        name: String,
        /// Read the password from the first line of stdin instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a user's role (viewer, helpdesk or admin).
    SetRole {
        #[command(flatten)]
        common: CommonArgs,
        name: String,
        role: String,
    },
    /// Limit a user to some accounts of the accounts file (`prod,dev`), or `all`.
    SetAccounts {
        #[command(flatten)]
        common: CommonArgs,
        name: String,
        /// Account names separated by commas, or `all`.
        #[arg(value_name = "ACCOUNTS")]
        limit: String,
    },
    /// Stop a user from logging in (their sessions end at their next request).
    Disable {
        #[command(flatten)]
        common: CommonArgs,
        name: String,
    },
    /// Let a disabled user log in again.
    Enable {
        #[command(flatten)]
        common: CommonArgs,
        name: String,
    },
    /// List users with their roles.
    List {
        #[command(flatten)]
        common: CommonArgs,
    },
}

impl UserCommand {
    fn common(&self) -> &CommonArgs {
        match self {
            UserCommand::Add { common, .. }
            | UserCommand::Passwd { common, .. }
            | UserCommand::SetRole { common, .. }
            | UserCommand::SetAccounts { common, .. }
            | UserCommand::Disable { common, .. }
            | UserCommand::Enable { common, .. }
            | UserCommand::List { common } => common,
        }
    }
}

fn read_password(from_stdin: bool) -> Result<String, ServerError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat: ")?;
    if first != second {
        return Err(ServerError::Refused("the passwords differ".into()));
    }
    Ok(first)
}

/// `fleetdesk user …`
pub async fn run(command: UserCommand) -> Result<(), ServerError> {
    let pool = command.common().connect().await?;
    let actor = cli_actor();
    let find = |name: String| {
        let pool = pool.clone();
        async move {
            users::by_name(&pool, &name)
                .await?
                .ok_or_else(|| ServerError::Refused(format!("no user named {name}")))
        }
    };
    let done = match command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
            ..
        } => {
            let password = read_password(password_stdin)?;
            app::server::users::create(&pool, &actor, &name, &role, password)
                .await
                .map(|user| {
                    println!("Created {} ({}).", user.name, user.role);
                })
        }
        UserCommand::Passwd {
            name,
            password_stdin,
            ..
        } => {
            let user = find(name).await?;
            let password = read_password(password_stdin)?;
            app::server::users::reset_password(&pool, &actor, user.id, password).await
        }
        UserCommand::SetRole { name, role, .. } => {
            let user = find(name).await?;
            app::server::users::set_role(&pool, &actor, user.id, &role).await
        }
        UserCommand::SetAccounts {
            name,
            limit,
            common,
        } => {
            let user = find(name).await?;
            let known = common.account_names()?;
            match app::server::users::parse_accounts(&limit, &known) {
                Ok(parsed) => {
                    app::server::users::set_accounts(&pool, &actor, user.id, parsed).await
                }
                Err(error) => Err(error),
            }
        }
        UserCommand::Disable { name, .. } => {
            let user = find(name).await?;
            app::server::users::set_disabled(&pool, &actor, user.id, true).await
        }
        UserCommand::Enable { name, .. } => {
            let user = find(name).await?;
            app::server::users::set_disabled(&pool, &actor, user.id, false).await
        }
        UserCommand::List { .. } => {
            for user in users::list(&pool).await? {
                let status = if user.disabled { "disabled" } else { "active" };
                let accounts = user
                    .accounts
                    .map(|names| names.join(","))
                    .unwrap_or_else(|| "all accounts".into());
                println!(
                    "{:<24} {:<9} {:<8} {:<6} {}",
                    user.name,
                    user.role.as_str(),
                    status,
                    user.source.as_str(),
                    accounts
                );
            }
            Ok(())
        }
    };
    done.map_err(|error| ServerError::Refused(error.to_string()))
}
