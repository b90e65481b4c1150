//! The `fleetdesk` command line: `serve` (the default) runs the web console.

use std::process::ExitCode;

use std::sync::Arc;
use std::time::Duration;

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
            Some(Command::Sync { common, sync }) => sync_once(common, sync).await,
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
    let state = AppState {
        pool: pool.clone(),
        regions: regions.clone(),
        sync: SyncHandle::default(),
        demo: args.common.demo,
        leptos_options,
    };
    if args.common.demo {
        // The emulated fleet syncs in seconds: have it in the cache before the URL shows.
        sync_all(&pool, &regions, &state.sync, &args.sync.settings()).await;
    }
    tokio::spawn(run_background(pool, regions, state.sync.clone(), args.sync.settings()));
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
                    .map(|r| format!("{} {} ({} pages, {} items)", r.region, r.step, r.pages, r.items))
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
        return Err(ServerError::Config("another sync is running".into()));
    };
    println!("Synced {} WorkSpaces from {} Region(s).", report.workspaces, regions.len());
    for (region, step, error) in &report.failures {
        println!("  stale: {region} {step}: {error}");
    }
    if report.failures.is_empty() {
        Ok(())
    } else {
        Err(ServerError::Config(format!("{} sync step(s) failed", report.failures.len())))
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
