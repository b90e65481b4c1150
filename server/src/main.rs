//! The `fleetdesk` command line: `serve` (the default) runs the web console.

use std::process::ExitCode;

use app::server::state::AppState;
use clap::{Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};
use server::config::{ServeArgs, site_root};
use server::error::ServerError;
use server::{db, demo, router};
use tracing_subscriber::EnvFilter;

/// Fleetdesk: a web console for Amazon WorkSpaces fleets.
#[derive(Parser, Debug)]
#[command(name = "fleetdesk", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// With no command, Fleetdesk serves the web console with these options.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web console (the default command).
    Serve(ServeArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("FLEETDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("fleetdesk: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Some(Command::Serve(args)) => serve(args).await,
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
    let regions = if args.common.demo {
        demo::demo_clients().await?
    } else {
        args.common.aws_clients().await?
    };
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
    let state = AppState {
        pool,
        regions: std::sync::Arc::new(regions),
        demo: args.common.demo,
        leptos_options,
    };
    let region_list = state.region_names().join(", ");
    let app = router::build_router(state);
    let listener = tokio::net::TcpListener::bind(args.addr).await.map_err(|error| {
        ServerError::Config(format!("cannot listen on {}: {error}", args.addr))
    })?;
    let fleet = if args.common.demo { "the demo fleet" } else { "AWS WorkSpaces" };
    println!("Fleetdesk serves {fleet} ({region_list}) at http://{}/", args.addr);
    tracing::info!(database = %database_url, "ready");
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
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
