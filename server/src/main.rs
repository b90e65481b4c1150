//! The `fleetdesk` command line: `serve` (the default) runs the web console.

use std::process::ExitCode;

use std::sync::Arc;
use std::time::Duration;

use app::model::Role;
use app::server::auth::{LoginGuard, generate_password};
use app::server::repo::{audit, users};
use app::server::state::AppState;
use app::server::sync::{SyncHandle, run_background, sync_all};
use clap::{Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};
use server::config::{CommonArgs, ServeArgs, SyncArgs, site_root};
use server::error::ServerError;
use server::{db, router};
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
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Recompute the hash chain; exits non-zero if an entry was edited or removed.
    Verify {
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
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
            | UserCommand::Disable { common, .. }
            | UserCommand::Enable { common, .. }
            | UserCommand::List { common } => common,
        }
    }
}

fn main() -> ExitCode {
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
            Some(Command::Serve(args)) => serve(args).await,
            Some(Command::Sync { common, sync }) => sync_once(common, sync).await,
            Some(Command::User { command }) => user_command(command).await,
            Some(Command::Audit {
                command: AuditCommand::Verify { common },
            }) => audit_verify(common).await,
            None => serve(cli.serve).await,
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

async fn serve(args: ServeArgs) -> Result<(), ServerError> {
    let database_url = args.common.database_url()?;
    let pool = db::connect(&database_url).await?;
    let interrupted = audit::mark_interrupted(&pool).await?;
    if interrupted > 0 {
        tracing::warn!(
            "{interrupted} audit entries were left pending by a previous run; marked interrupted"
        );
    }
    if args.common.demo {
        demo_users(&pool).await?;
    } else if users::count(&pool).await? == 0 {
        tracing::warn!(
            "no users yet: create the first admin with `fleetdesk user add NAME --role admin`"
        );
    }
    let regions = Arc::new(args.sync.rate_limited(args.common.clients().await?));
    let site_root = site_root(args.site_root.as_deref());
    if !site_root.join("pkg").is_dir() {
        tracing::warn!(
            "no built site at {}: pages will load without styles and scripts; \
             build with `cargo leptos build` or set LEPTOS_SITE_ROOT",
            site_root.display()
        );
    }
    let leptos_options = LeptosOptions::builder()
        .output_name("fleetdesk")
        .site_root(site_root.to_string_lossy().to_string())
        .site_addr(args.addr)
        .env(Env::PROD)
        .build();
    let insecure =
        args.session.insecure_cookies || (args.common.demo && args.addr.ip().is_loopback());
    let state = AppState {
        pool: pool.clone(),
        regions: regions.clone(),
        sync: SyncHandle::default(),
        login_guard: Arc::new(LoginGuard::default()),
        absolute_timeout: Duration::from_secs(args.session.session_max_hours.max(1) * 3600),
        idle_timeout: Duration::from_secs(args.session.session_idle_minutes.max(1) * 60),
        secure_cookies: !insecure,
        demo: args.common.demo,
        request_timeout: Duration::from_secs(args.request_timeout_seconds.max(1)),
        trusted_proxies: args.session.trusted_proxies.clone(),
        leptos_options,
    };
    if args.common.demo {
        // The emulated fleet syncs in seconds: have it in the cache before the URL shows.
        sync_all(&pool, &regions, &state.sync, &args.sync.settings()).await;
    }
    tokio::spawn(run_background(
        pool,
        regions,
        state.sync.clone(),
        args.sync.settings(),
    ));
    let region_list = state.region_names().join(", ");
    let pool_for_cleanup = state.pool.clone();
    let app = router::build_router(state);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|error| ServerError::Config(format!("cannot listen on {}: {error}", args.addr)))?;
    let fleet = if args.common.demo {
        "the demo fleet"
    } else {
        "AWS WorkSpaces"
    };
    println!(
        "Fleetdesk serves {fleet} ({region_list}) at http://{}/",
        args.addr
    );
    tracing::info!(database = %database_url, "ready");
    tokio::spawn(delete_expired_sessions(pool_for_cleanup));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Removes expired sessions from the store every ten minutes.
async fn delete_expired_sessions(pool: sqlx::SqlitePool) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = tower_sessions_sqlx_store::SqliteStore::new(pool);
    loop {
        if let Err(error) = store.delete_expired().await {
            tracing::warn!("cannot delete expired sessions: {error}");
        }
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
}

/// Demo mode: the users admin, helpdesk and viewer, with fresh passwords printed (or
/// the one in FLEETDESK_DEMO_PASSWORD, for scripted tests).
async fn demo_users(pool: &sqlx::SqlitePool) -> Result<(), ServerError> {
    let fixed = std::env::var("FLEETDESK_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    let actor = cli_actor();
    println!("Demo users (this run's passwords):");
    for role in Role::ALL {
        let name = role.as_str();
        let password = fixed.clone().unwrap_or_else(generate_password);
        match users::by_name(pool, name).await? {
            Some(user) => {
                app::server::users::reset_password(pool, &actor, user.id, password.clone()).await
            }
            None => app::server::users::create(pool, &actor, name, name, password.clone())
                .await
                .map(|_| ()),
        }
        .map_err(|error| {
            ServerError::Demo(format!("cannot set up the demo user {name}: {error}"))
        })?;
        println!("  {name:<9} {password}");
    }
    Ok(())
}

/// The audit actor for command-line changes: the operating-system user.
fn cli_actor() -> audit::Actor {
    let os_user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    audit::Actor {
        name: format!("cli:{os_user}"),
        ..audit::Actor::default()
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
async fn user_command(command: UserCommand) -> Result<(), ServerError> {
    let pool = db::connect(&command.common().database_url()?).await?;
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
                println!("{:<24} {:<9} {status}", user.name, user.role.as_str());
            }
            Ok(())
        }
    };
    done.map_err(|error| ServerError::Refused(error.to_string()))
}

/// `fleetdesk audit verify`
async fn audit_verify(common: CommonArgs) -> Result<(), ServerError> {
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

/// `fleetdesk sync`: one full sync with a progress line per Region.
async fn sync_once(common: CommonArgs, sync: SyncArgs) -> Result<(), ServerError> {
    let pool = db::connect(&common.database_url()?).await?;
    let regions = sync.rate_limited(common.clients().await?);
    let handle = SyncHandle::default();
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    let watcher = {
        let (handle, bar) = (handle.clone(), bar.clone());
        tokio::spawn(async move {
            loop {
                let progress = handle.progress();
                let parts: Vec<String> = progress
                    .regions
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} ({} pages, {} items)",
                            r.region, r.step, r.pages, r.items
                        )
                    })
                    .collect();
                bar.set_message(parts.join("  |  "));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let report = sync_all(&pool, &regions, &handle, &sync.settings()).await;
    watcher.abort();
    bar.finish_and_clear();
    let Some(report) = report else {
        return Err(ServerError::Refused("another sync is running".into()));
    };
    println!(
        "Synced {} WorkSpaces from {} Region(s).",
        report.workspaces,
        regions.len()
    );
    for (region, step, error) in &report.failures {
        println!("  stale: {region} {step}: {error}");
    }
    if report.failures.is_empty() {
        Ok(())
    } else {
        Err(ServerError::Refused(format!(
            "{} sync step(s) failed",
            report.failures.len()
        )))
    }
}

/// Resolves on Ctrl-C or SIGTERM so that in-flight requests can finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {error}");
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => tracing::error!("cannot listen for SIGTERM: {error}"),
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
