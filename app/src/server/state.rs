//! The state every request handler and server function shares.
//!
//! One `AppState` per process: the database pool, one WorkSpaces client per configured
//! account and Region, the sync handle, the sign-in settings and the Leptos options.
//! Server functions do not read it directly: they get a
//! [`crate::server::caller::Caller`] (the user, the request's origin and the clients
//! they may use) from [`crate::server::authz::caller`], which uses [`app_state`].

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::server::aws::WorkspacesApi;
use crate::server::sync::SyncHandle;

/// Shared, cheaply cloned process state.
#[derive(Clone)]
pub struct AppState {
    pub pool: AnyPool,
    /// One WorkSpaces client per configured account and Region, in the configured order
    /// (one per Region without an accounts file). Services use a caller's share of
    /// them, [`crate::server::caller::Caller::workspaces`].
    pub workspaces: Arc<Vec<Arc<dyn WorkspacesApi>>>,
    /// CloudWatch (session health): its clients, thresholds and recent figures.
    pub health: crate::server::health::Health,
    /// Cost insight: the running-mode rules' settings and the prices.
    pub cost: crate::server::cost::CostSettings,
    /// The background inventory sync: its progress, and the way to ask for a run.
    pub sync: SyncHandle,
    /// Whether this node leads (runs the sync), among the nodes sharing the database.
    pub leader: crate::server::leader::Leader,
    /// Single sign-on through an OpenID Connect provider, when configured.
    pub oidc: Option<Arc<crate::server::oidc::Oidc>>,
    /// Whether user name and password sign-in is on (`FLEETDESK_LOCAL_LOGIN`).
    pub local_login: bool,
    /// A login ends after this long, however active the session.
    pub absolute_timeout: Duration,
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// Mark the session cookie `Secure` (HTTPS only). Off only for plain-http setups.
    pub secure_cookies: bool,
    /// True when the fleet is the built-in emulator, not AWS.
    pub demo: bool,
    /// A page, export or read that takes longer is ended with 503 Service Unavailable.
    /// Changes (which wait for AWS, 25 WorkSpaces per call) get a longer limit, see
    /// `server::router`.
    pub request_timeout: Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see
    /// [`crate::server::authz::client`]); from anyone else the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How far the audit chain verified at the last audit page load (see
    /// `repo::audit::verify_from`).
    pub audit_verified: Arc<tokio::sync::Mutex<crate::server::repo::audit::ChainPoint>>,
    /// The bearer token Prometheus sends for `/metrics`; `None`: no metrics endpoint.
    pub metrics_token: Option<String>,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// The configured Region names, in order, each once.
    pub fn region_names(&self) -> Vec<String> {
        distinct(self.workspaces.iter().map(|api| api.region()))
    }

    /// The configured account names, in order; empty without an accounts file.
    pub fn account_names(&self) -> Vec<String> {
        distinct(
            self.workspaces
                .iter()
                .map(|api| api.account())
                .filter(|account| !account.is_empty()),
        )
    }

    /// The configured account names `user` may see, for the Account menus.
    pub fn accounts_for(&self, user: &crate::model::UserInfo) -> Vec<String> {
        let mut names = self.account_names();
        names.retain(|account| user.may_use(account));
        names
    }

    /// The clients of the accounts `user` may use (pages that read AWS live go through
    /// these only).
    pub fn clients_for(&self, user: &crate::model::UserInfo) -> Vec<Arc<dyn WorkspacesApi>> {
        self.workspaces
            .iter()
            .filter(|api| user.may_use(api.account()))
            .cloned()
            .collect()
    }
}

/// The names in their first order, each once.
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if !out.iter().any(|seen| seen == name) {
            out.push(name.to_string());
        }
    }
    out
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The process state, as provided to every server function by the router.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
