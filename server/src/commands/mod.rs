//! What each command of the `fleetdesk` command line does. `main.rs` parses the
//! arguments and calls one of these; a command's own subcommands and their arguments
//! live with it.

pub mod audit;
pub mod db;
pub mod serve;
pub mod sync;
pub mod user;

use app::server::repo::audit::Actor;

/// The audit actor for command-line changes: the operating-system user.
fn cli_actor() -> Actor {
    let os_user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Actor {
        name: format!("cli:{os_user}"),
        ..Actor::default()
    }
}
