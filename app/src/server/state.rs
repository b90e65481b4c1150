//! The state every request handler and server function shares.
//!
//! One `AppState` per process: the database pool, one WorkSpaces client per configured
//! Region, and the Leptos options. Server functions get it from the Leptos context
//! through [`app_state`], which fails with an error rather than panicking.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::server::auth::LoginGuard;
use crate::server::aws::WorkspacesApi;
use crate::server::sync::SyncHandle;

/// Shared, cheaply cloned process state.
#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    /// One client per configured Region, in the configured order.
    pub regions: Arc<Vec<Arc<dyn WorkspacesApi>>>,
    /// The background inventory sync: its progress, and the way to ask for a run.
    pub sync: SyncHandle,
    /// Single sign-on through an OpenID Connect provider, when configured.
    pub oidc: Option<Arc<crate::server::oidc::Oidc>>,
    /// Whether user name and password sign-in is on (`FLEETDESK_LOCAL_LOGIN`).
    pub local_login: bool,
    /// Failed-login counters for the throttle.
    pub login_guard: Arc<LoginGuard>,
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
    /// The configured Region names, in order.
    pub fn region_names(&self) -> Vec<String> {
        self.regions
            .iter()
            .map(|api| api.region().to_string())
            .collect()
    }

    /// The client of one configured Region.
    pub fn region(&self, name: &str) -> Option<&dyn WorkspacesApi> {
        self.regions
            .iter()
            .find(|api| api.region() == name)
            .map(|api| api.as_ref())
    }
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
