//! Who is asking: the one value a server function gets first and every service takes.
//!
//! A [`Caller`] is the signed-in user, where the request comes from, and the process
//! state with the AWS clients narrowed to the accounts the user may use. Services read
//! AWS only through [`Caller::workspaces`], so none can forget the account limit, and
//! they audit as [`Caller::actor`]. [`crate::server::authz::caller`] makes one for the
//! current request after checking the role.

use std::sync::Arc;

use sqlx::AnyPool;

use crate::error::AppError;
use crate::model::{Role, UserInfo};
use crate::server::auth::RequestOrigin;
use crate::server::aws::WorkspacesApi;
use crate::server::changes::{self, Executed, Plan};
use crate::server::cloudwatch::CloudWatchApi;
use crate::server::repo::audit::Actor;
use crate::server::state::AppState;

/// The signed-in user of a request, with what they may reach.
#[derive(Clone)]
pub struct Caller {
    pub user: UserInfo,
    pub origin: RequestOrigin,
    pub state: AppState,
    /// The WorkSpaces clients of the accounts and Regions the user may use.
    pub workspaces: Vec<Arc<dyn WorkspacesApi>>,
    /// The CloudWatch clients of the same accounts and Regions.
    pub cloudwatch: Vec<Arc<dyn CloudWatchApi>>,
}

impl Caller {
    /// `user` calling from `origin`, with the clients of `state` they may use.
    pub fn new(state: &AppState, user: UserInfo, origin: RequestOrigin) -> Self {
        let workspaces = state.clients_for(&user);
        let cloudwatch = state
            .health
            .cloudwatch
            .iter()
            .filter(|api| user.may_use(api.account()))
            .cloned()
            .collect();
        Caller {
            user,
            origin,
            state: state.clone(),
            workspaces,
            cloudwatch,
        }
    }

    /// The database.
    pub fn pool(&self) -> &AnyPool {
        &self.state.pool
    }

    /// The caller's client of one configured account and Region.
    pub fn client(&self, account: &str, region: &str) -> Option<&dyn WorkspacesApi> {
        changes::find_client(&self.workspaces, account, region).map(|api| api.as_ref())
    }

    /// The caller's CloudWatch client of one configured account and Region.
    pub fn cloudwatch(&self, account: &str, region: &str) -> Option<&dyn CloudWatchApi> {
        self.cloudwatch
            .iter()
            .find(|api| api.account() == account && api.region() == region)
            .map(|api| api.as_ref())
    }

    /// The configured account names the caller may see, for the Account menus.
    pub fn accounts(&self) -> Vec<String> {
        self.state.accounts_for(&self.user)
    }

    /// The menu values (see [`crate::model::place_value`]) of the accounts and Regions
    /// the caller may use, for forms that create something somewhere.
    pub fn places(&self) -> Vec<String> {
        self.workspaces
            .iter()
            .map(|api| crate::model::place_value(api.account(), api.region()))
            .collect()
    }

    /// The audit actor of this caller.
    pub fn actor(&self) -> Actor {
        self.origin.actor(Some(&self.user), &self.user.name)
    }

    /// Whether the caller's account limit lets them use `account`.
    pub fn may_use(&self, account: &str) -> bool {
        self.user.may_use(account)
    }

    /// Whether the caller is an admin (pages show the admin's buttons; the server
    /// still checks every change with [`Caller::require_admin`]).
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// Refuses anyone but an admin: changes to directories, images, bundles, IP groups
    /// and connection aliases are theirs alone.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if !self.is_admin() {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    /// Carries out `plan` as this caller (see [`changes::execute`]).
    pub async fn execute(&self, plan: Plan) -> Result<Executed, AppError> {
        changes::execute(self.pool(), &self.workspaces, &self.actor(), plan).await
    }

    /// Carries out `plan` with `done`, the sentence its planning wrote about it. The audit
    /// entry keeps the sentence as its `summary`: the page a plain form comes back to
    /// shows it (see `components::sent_report`).
    pub async fn execute_described(
        &self,
        (mut plan, done): (Plan, String),
    ) -> Result<(Executed, String), AppError> {
        plan.describe("summary", &done);
        Ok((self.execute(plan).await?, done))
    }

    /// Carries out an admin's one-target change (a directory, image, bundle or IP group
    /// change) and returns `done`, the sentence its plan wrote, once AWS has accepted it.
    pub async fn execute_single(&self, planned: (Plan, String)) -> Result<String, AppError> {
        let (executed, done) = self.execute_described(planned).await?;
        executed.single_result()?;
        Ok(done)
    }
}

/// Handlers outside the server functions (the CSV exports) take a `Caller` as an axum
/// extractor: the login gate in front of them has put the signed-in user on the request.
impl<S> axum::extract::FromRequestParts<S> for Caller
where
    AppState: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = axum::http::StatusCode;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let state = <AppState as axum::extract::FromRef<S>>::from_ref(state);
        let user = parts
            .extensions
            .get::<UserInfo>()
            .cloned()
            .ok_or(axum::http::StatusCode::UNAUTHORIZED)?;
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        let origin =
            crate::server::authz::origin_from(peer, &parts.headers, &state.trusted_proxies);
        Ok(Caller::new(&state, user, origin))
    }
}
