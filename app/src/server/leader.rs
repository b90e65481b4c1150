//! Which node leads: several `fleetdesk serve` processes may share one PostgreSQL
//! database, and some work must run on one of them only — the background sync (twice
//! would double the AWS calls into the rate limit), cost insight's daily reading and the
//! month-end policy, settling the audit entries a dead node left pending. The leader
//! holds the lease `leader` in the database ([`crate::server::repo::leases`]): it renews
//! it every [`RENEW_EVERY`], and when it dies the lease lapses after [`LEASE_SECONDS`] and
//! the next node to try takes over (within a minute). Every node serves pages from the
//! shared cache either way.
//!
//! On SQLite (the embedded default, one process per database file) the node always leads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::AnyPool;

use crate::server::repo::{Backend, inventory, leases};
use crate::server::sync::SyncHandle;

/// The name of the leader's lease.
const LEASE: &str = "leader";
/// How long a lease lasts unless renewed.
pub const LEASE_SECONDS: i64 = 30;
/// How often the leader renews its lease and the others try to take it.
pub const RENEW_EVERY: Duration = Duration::from_secs(10);

/// This node's name and whether it leads now; cheap to clone, shared with the handlers
/// (`/healthz` says it, a requested sync goes where it can run).
#[derive(Clone, Debug)]
pub struct Leader {
    node: Arc<str>,
    leading: Arc<AtomicBool>,
}

impl Default for Leader {
    /// A node that leads from the start: the single process of a SQLite database, and
    /// the tests.
    fn default() -> Self {
        Self::new(true)
    }
}

impl Leader {
    /// This process, leading or not yet.
    pub fn new(leading: bool) -> Self {
        Self {
            node: node_name().into(),
            leading: Arc::new(AtomicBool::new(leading)),
        }
    }

    /// The node's name in the lease: host, process id and start time.
    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn is_leading(&self) -> bool {
        self.leading.load(Ordering::Relaxed)
    }

    /// Takes or renews the lease once; whether this node leads now. A database error
    /// counts as not leading (another node may have taken over meanwhile).
    pub async fn try_lead(&self, pool: &AnyPool) -> bool {
        let leading = match Backend::of(pool) {
            Backend::Sqlite => true,
            Backend::Postgres => match leases::hold(pool, LEASE, &self.node, LEASE_SECONDS).await {
                Ok(held) => held,
                Err(error) => {
                    tracing::warn!("cannot renew the leader lease: {error}");
                    false
                }
            },
        };
        let was = self.leading.swap(leading, Ordering::Relaxed);
        if leading != was {
            if leading {
                tracing::info!(node = %self.node, "this node leads: it runs the sync");
            } else {
                tracing::warn!(node = %self.node, "this node no longer leads");
            }
        }
        leading
    }

    /// Gives the lease up (a node shutting down), so another node takes over at once.
    pub async fn step_down(&self, pool: &AnyPool) {
        if Backend::of(pool) == Backend::Postgres && self.is_leading() {
            if let Err(error) = leases::release(pool, LEASE, &self.node).await {
                tracing::warn!("cannot release the leader lease: {error}");
            }
        }
        self.leading.store(false, Ordering::Relaxed);
    }

    /// Keeps trying to lead (every [`RENEW_EVERY`]), running what `start` returns while
    /// this node leads and stopping it when the lease is lost. While leading it also
    /// passes on the syncs users asked for on other nodes to `sync`.
    pub async fn run(
        self,
        pool: AnyPool,
        sync: SyncHandle,
        start: impl Fn() -> Vec<tokio::task::JoinHandle<()>> + Send + 'static,
    ) {
        let mut running: Vec<tokio::task::JoinHandle<()>> = Vec::new();
        loop {
            let leading = self.try_lead(&pool).await;
            if leading && running.is_empty() {
                running = start();
            } else if !leading {
                for task in running.drain(..) {
                    task.abort();
                }
            }
            if leading {
                match inventory::take_sync_request(&pool).await {
                    Ok(true) => sync.request(),
                    Ok(false) => {}
                    Err(error) => tracing::warn!("cannot read the sync requests: {error}"),
                }
            }
            tokio::time::sleep(RENEW_EVERY).await;
        }
    }

    /// Asks for a sync now: this node's background sync when it leads, the leader's
    /// otherwise (it picks the request up within [`RENEW_EVERY`]).
    pub async fn request_sync(&self, pool: &AnyPool, sync: &SyncHandle) -> Result<(), sqlx::Error> {
        if self.is_leading() {
            sync.request();
            Ok(())
        } else {
            inventory::request_sync(pool).await
        }
    }
}

/// How long a change may stay pending before the leader takes its node for dead.
/// A change of 500 WorkSpaces paced at a few calls a second ends within minutes.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(15 * 60);

/// The leader's sweep, every minute: audit entries pending for longer than
/// [`ABANDONED_AFTER`] were left by a node that died mid-change; they are marked
/// interrupted, as a restart marks those of its own previous run.
pub async fn settle_abandoned_entries(pool: AnyPool) {
    loop {
        let before =
            chrono::Utc::now() - chrono::Duration::from_std(ABANDONED_AFTER).unwrap_or_default();
        let before = before.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        match crate::server::repo::audit::mark_interrupted_before(&pool, &before).await {
            Ok(0) => {}
            Ok(settled) => {
                tracing::warn!("{settled} audit entries left pending by a node marked interrupted")
            }
            Err(error) => tracing::warn!("cannot settle abandoned audit entries: {error}"),
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

/// `host:pid:start` — unique per process, readable in the lease and the log.
fn node_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "node".to_string());
    let started = chrono::Utc::now().timestamp_millis();
    format!("{host}:{}:{started}", std::process::id())
}
