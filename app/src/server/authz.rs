//! Who may call what: the role each server function requires, and the helpers server
//! functions use to check it.
//!
//! Two layers: the router refuses every `/api/…` call the table below does not allow
//! (deny by default, so a new server function is closed until it is listed), and each
//! server function checks its role again with [`require_role`].

use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::error::AppError;
use crate::model::{Role, UserInfo};
use crate::server::auth::{RequestOrigin, allows, session_user};
use crate::server::caller::Caller;
use crate::server::state::app_state;

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (the login itself, and "who am I").
    Public,
    /// Logged-in users with at least this role.
    AtLeast(Role),
}

/// The access rule of every server function, by URL path.
pub const ENDPOINTS: &[(&str, Access)] = &[
    ("/api/auth/login", Access::Public),
    ("/api/auth/me", Access::Public),
    ("/api/auth/options", Access::Public),
    ("/api/auth/logout", Access::AtLeast(Role::Viewer)),
    ("/api/fleet/list", Access::AtLeast(Role::Viewer)),
    ("/api/fleet/facets", Access::AtLeast(Role::Viewer)),
    ("/api/fleet/selection", Access::AtLeast(Role::Helpdesk)),
    ("/api/fleet/ids", Access::AtLeast(Role::Helpdesk)),
    ("/api/fleet/workspace_state", Access::AtLeast(Role::Viewer)),
    ("/api/fleet/workspace", Access::AtLeast(Role::Viewer)),
    ("/api/health/workspace", Access::AtLeast(Role::Viewer)),
    ("/api/health/fleet", Access::AtLeast(Role::Viewer)),
    ("/api/cost/list", Access::AtLeast(Role::Viewer)),
    ("/api/sync/status", Access::AtLeast(Role::Viewer)),
    ("/api/sync/request", Access::AtLeast(Role::Helpdesk)),
    ("/api/directories/list", Access::AtLeast(Role::Viewer)),
    ("/api/directories/change", Access::AtLeast(Role::Admin)),
    ("/api/images/list", Access::AtLeast(Role::Viewer)),
    ("/api/images/change", Access::AtLeast(Role::Admin)),
    ("/api/images/import", Access::AtLeast(Role::Admin)),
    ("/api/account/get", Access::AtLeast(Role::Viewer)),
    ("/api/account/enable-byol", Access::AtLeast(Role::Admin)),
    ("/api/bundles/change", Access::AtLeast(Role::Admin)),
    ("/api/ip-groups/list", Access::AtLeast(Role::Viewer)),
    ("/api/ip-groups/change", Access::AtLeast(Role::Admin)),
    ("/api/ip-groups/preview", Access::AtLeast(Role::Admin)),
    ("/api/connections/list", Access::AtLeast(Role::Viewer)),
    ("/api/tags/get", Access::AtLeast(Role::Viewer)),
    // WorkSpace tags are the help desk's; the service asks admin for other resources.
    ("/api/tags/edit", Access::AtLeast(Role::Helpdesk)),
    ("/api/tags/bulk", Access::AtLeast(Role::Helpdesk)),
    ("/api/provision/options", Access::AtLeast(Role::Admin)),
    ("/api/provision/draft", Access::AtLeast(Role::Admin)),
    ("/api/provision/review", Access::AtLeast(Role::Admin)),
    ("/api/provision/create", Access::AtLeast(Role::Admin)),
    (
        "/api/connection-aliases/list",
        Access::AtLeast(Role::Viewer),
    ),
    (
        "/api/connection-aliases/change",
        Access::AtLeast(Role::Admin),
    ),
    // Each action checks its own role too (terminate, modify, … need admin).
    ("/api/actions/run", Access::AtLeast(Role::Helpdesk)),
    ("/api/actions/standby", Access::AtLeast(Role::Admin)),
    ("/api/applications/list", Access::AtLeast(Role::Viewer)),
    ("/api/applications/review", Access::AtLeast(Role::Admin)),
    ("/api/applications/workspace", Access::AtLeast(Role::Viewer)),
    ("/api/applications/images", Access::AtLeast(Role::Viewer)),
    ("/api/applications/deploy", Access::AtLeast(Role::Helpdesk)),
    ("/api/applications/associate", Access::AtLeast(Role::Admin)),
    (
        "/api/applications/disassociate",
        Access::AtLeast(Role::Admin),
    ),
    ("/api/applications/bulk", Access::AtLeast(Role::Admin)),
    ("/api/audit/list", Access::AtLeast(Role::Viewer)),
    ("/api/users/list", Access::AtLeast(Role::Admin)),
    ("/api/users/create", Access::AtLeast(Role::Admin)),
    ("/api/users/set-role", Access::AtLeast(Role::Admin)),
    ("/api/users/set-disabled", Access::AtLeast(Role::Admin)),
    ("/api/users/set-accounts", Access::AtLeast(Role::Admin)),
    ("/api/users/reset-password", Access::AtLeast(Role::Admin)),
];

/// The access rule of `path`; `None` for paths not in the table (refused).
pub fn endpoint_access(path: &str) -> Option<Access> {
    ENDPOINTS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, access)| *access)
}

/// The logged-in user of the current request, if any.
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    let state = app_state()?;
    let session = leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!("no session on the request: {error}");
        AppError::Internal
    })?;
    session_user(
        &state.pool,
        &session,
        state.absolute_timeout,
        state.idle_timeout,
    )
    .await
}

/// The logged-in user if their role includes `required`; otherwise 401 or 403.
pub async fn require_role(required: Role) -> Result<UserInfo, AppError> {
    let status = |code: u16| {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(code) {
                response.set_status(status);
            }
        }
    };
    match current_user().await? {
        None => {
            status(401);
            Err(AppError::Unauthorized)
        }
        Some(user) if !allows(user.role, required) => {
            status(403);
            Err(AppError::Forbidden)
        }
        Some(user) => Ok(user),
    }
}

/// The caller of the current request if their role includes `required`; otherwise 401
/// or 403. Every server function that acts for a user starts here.
pub async fn caller(required: Role) -> Result<Caller, AppError> {
    let user = require_role(required).await?;
    let state = app_state()?;
    Ok(Caller::new(&state, user, request_origin().await))
}

/// Where the current request comes from: the client address and user agent.
pub async fn request_origin() -> RequestOrigin {
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0.ip());
    let headers = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .unwrap_or_default();
    let trusted = app_state()
        .map(|state| state.trusted_proxies)
        .unwrap_or_default();
    origin_from(peer, &headers, &trusted)
}

/// Where a request with this peer address and these headers comes from, for handlers
/// outside the server functions (the single sign-on callback).
pub fn origin_from(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> RequestOrigin {
    let user_agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.chars().take(300).collect());
    RequestOrigin {
        addr: client_addr(peer, headers, trusted).map(|ip| ip.to_string()),
        user_agent,
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the last
/// address in `X-Forwarded-For` that is not a trusted proxy itself (the ones before it
/// could be written by the client).
pub fn client_addr(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16, finding 3: `X-Forwarded-For` counts only from a configured proxy, and
    /// only its right-most untrusted entry (a client can prepend anything).
    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let ip = |s: &str| -> std::net::IpAddr { s.parse().expect("ip") };
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "1.2.3.4, 203.0.113.9".parse().expect("header"),
        );
        let proxy = [ip("10.0.0.2")];
        assert_eq!(
            client_addr(Some(ip("10.0.0.2")), &headers, &proxy),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            client_addr(Some(ip("198.51.100.1")), &headers, &proxy),
            Some(ip("198.51.100.1")),
            "a direct client's header is ignored"
        );
        assert_eq!(
            client_addr(Some(ip("10.0.0.2")), &axum::http::HeaderMap::new(), &proxy),
            Some(ip("10.0.0.2"))
        );
    }
}
