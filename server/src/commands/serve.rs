//! `fleetdesk serve` (the default command): the web console, with the inventory synced
//! in the background, expired sessions removed, and a graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use app::model::Role;
use app::server::auth::generate_password;
use app::server::health::Health;
use app::server::leader::{self, Leader};
use app::server::oidc::Oidc;
use app::server::repo::Backend;
use app::server::repo::{audit, users};
use app::server::state::AppState;
use app::server::sync::{SyncHandle, run_background, sync_all};
use leptos::config::{Env, LeptosOptions};

use super::cli_actor;
use crate::config::{ServeArgs, site_root};
use crate::error::ServerError;
use crate::router;

/// Serves the web console until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> Result<(), ServerError> {
    let insecure =
        args.session.insecure_cookies || (args.common.demo && args.addr.ip().is_loopback());
    let scheme = if insecure { "http" } else { "https" };
    let oidc = args
        .sso
        .settings(format!("{scheme}://{}/auth/oidc/callback", args.addr))?
        .map(|settings| {
            Oidc::new(settings)
                .map(Arc::new)
                .map_err(|error| ServerError::Config(format!("single sign-on: {error}")))
        })
        .transpose()?;
    let database_url = args.common.database_url()?;
    let pool = args.common.connect().await?;
    let leader = Leader::new(false);
    let leading = leader.try_lead(&pool).await;
    if Backend::of(&pool) == Backend::Sqlite {
        // One process per SQLite file: whatever is pending was left by its previous run.
        // Nodes sharing PostgreSQL leave that to the leader's sweep (leader.rs).
        let interrupted = audit::mark_interrupted(&pool).await?;
        if interrupted > 0 {
            tracing::warn!(
                "{interrupted} audit entries were left pending by a previous run; marked interrupted"
            );
        }
    }
    if args.common.demo {
        demo_users(&pool).await?;
    } else if users::count(&pool).await? == 0 {
        tracing::warn!(
            "no users yet: create the first admin with `fleetdesk user add NAME --role admin`"
        );
    }
    let fleet = args.common.clients().await?;
    let cloudwatch = args
        .health
        .rate_limited(args.common.cloudwatch_clients(&fleet).await?);
    let regions = Arc::new(args.sync.rate_limited(fleet));
    let health = Health::new(cloudwatch, args.health.thresholds())
        .with_budget(args.health.health_budget_metrics);
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
        // Hashed file names (scripts/build-site.sh, cargo-leptos' hash-files) are listed
        // in hash.txt next to the binary.
        .hash_files(app::server::assets::hashes().is_some())
        .env(Env::PROD)
        .build();
    let state = AppState {
        pool: pool.clone(),
        workspaces: regions.clone(),
        health,
        cost: args.cost.settings()?,
        sync: SyncHandle::default(),
        leader: leader.clone(),
        oidc,
        local_login: args.sso.local_login,
        absolute_timeout: Duration::from_secs(args.session.session_max_hours.max(1) * 3600),
        idle_timeout: Duration::from_secs(args.session.session_idle_minutes.max(1) * 60),
        secure_cookies: !insecure,
        demo: args.common.demo,
        request_timeout: Duration::from_secs(args.request_timeout_seconds.max(1)),
        trusted_proxies: args.session.trusted_proxies.clone(),
        audit_verified: Default::default(),
        metrics_token: args.metrics_token.as_ref().map(|t| t.0.clone()),
        leptos_options,
    };
    if args.common.demo && leading {
        // The emulated fleet syncs in seconds: have it in the cache before the URL shows.
        sync_all(&pool, &regions, &state.sync, &args.sync.settings()).await;
    }
    tokio::spawn(app::server::health::run_refresh(
        state.clone(),
        Duration::from_secs(args.health.health_refresh_minutes.max(1) * 60),
    ));
    // What only the leading node runs, started when it leads and stopped if it stops.
    let leader_work = {
        let state = state.clone();
        let settings = args.sync.settings();
        let usage_first_after = Duration::from_secs(if args.common.demo { 5 } else { 120 });
        move || {
            let mut tasks = vec![
                tokio::spawn(run_background(
                    state.pool.clone(),
                    state.workspaces.clone(),
                    state.sync.clone(),
                    settings.clone(),
                )),
                // The usage reading waits for the first sync, which fills what it reads.
                tokio::spawn(app::server::cost::run_refresh(
                    state.clone(),
                    usage_first_after,
                )),
            ];
            if Backend::of(&state.pool) == Backend::Postgres {
                tasks.push(tokio::spawn(leader::settle_abandoned_entries(
                    state.pool.clone(),
                )));
            }
            tasks
        }
    };
    tokio::spawn(
        leader
            .clone()
            .run(pool.clone(), state.sync.clone(), leader_work),
    );
    let region_list = state.region_names().join(", ");
    let sso_issuer = state
        .oidc
        .as_ref()
        .map(|oidc| oidc.settings().issuer.clone());
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
    tracing::info!(database = %crate::db::redacted(&database_url), node = %leader.node(), "ready");
    if let Some(oidc) = &sso_issuer {
        tracing::info!(issuer = %oidc, password_sign_in = args.sso.local_login, "single sign-on on");
    }
    tokio::spawn(crate::audit_anchor::keep(
        pool_for_cleanup.clone(),
        crate::audit_anchor::path_for(&args.common.audit_key_path()?),
    ));
    tokio::spawn(delete_expired_sessions(pool_for_cleanup));
    let limits = crate::listener::Limits {
        header_read_timeout: Duration::from_secs(args.header_timeout_seconds.max(1)),
        max_connections: args.max_connections,
    };
    crate::listener::serve(listener, app, limits, shutdown_signal()).await;
    leader.step_down(&pool).await;
    Ok(())
}

/// Removes expired sessions and login counts that no longer count, every ten minutes.
async fn delete_expired_sessions(pool: sqlx::AnyPool) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = app::server::repo::sessions::DbSessionStore::new(pool.clone());
    loop {
        if let Err(error) = store.delete_expired().await {
            tracing::warn!("cannot delete expired sessions: {error}");
        }
        if let Err(error) = app::server::auth::forget_stale_attempts(&pool).await {
            tracing::warn!("cannot forget old login attempts: {error}");
        }
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
}

/// Demo mode: the users admin, helpdesk and viewer, with fresh passwords printed (or
/// the one in FLEETDESK_DEMO_PASSWORD, for scripted tests).
async fn demo_users(pool: &sqlx::AnyPool) -> Result<(), ServerError> {
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
