//! The two HTTP endpoints of single sign-on: `/auth/oidc/login` sends the browser to the
//! provider, `/auth/oidc/callback` takes it back and signs the user in. Plain axum
//! handlers, not server functions: the provider calls the callback with a GET and
//! query parameters, and both must work without JavaScript.
//!
//! The protocol is [`app::server::oidc`]; this module only moves its values in and out of
//! HTTP: the flow cookie, the redirect, and the pages that say what went wrong.

use std::collections::HashMap;

use app::api::auth::safe_next;
use app::model::EntryOutcome;
use app::server::auth::{SignInMethod, login_entry};
use app::server::authz::origin_from;
use app::server::oidc::{Callback, FLOW_LIFETIME, OidcError, SsoRefusal, sign_in};
use app::server::repo::audit;
use app::server::state::AppState;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;
use tower_sessions::cookie::{Cookie, SameSite};

/// The cookie that finds a sign-in's server-side record again at the callback.
const FLOW_COOKIE: &str = "fleetdesk_oidc";
/// The flow cookie is sent to these paths only.
const FLOW_COOKIE_PATH: &str = "/auth/oidc";

/// Who sent `request`: its address (from a trusted proxy's header where one is
/// configured) and user agent.
fn request_client(state: &AppState, request: &Request) -> app::server::auth::RequestOrigin {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    origin_from(peer, request.headers(), &state.trusted_proxies)
}

/// `GET /auth/oidc/login?next=/path`: starts a sign-in and redirects to the provider.
pub async fn login(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let Some(oidc) = state.oidc.as_ref() else {
        return (StatusCode::NOT_FOUND, "single sign-on is not configured").into_response();
    };
    let next = safe_next(params.get("next").map(String::as_str).unwrap_or("/"));
    let client = request_client(&state, &request);
    match oidc.begin(&next, client.addr.as_deref()).await {
        Ok((flow_id, url)) => {
            let cookie = flow_cookie(flow_id, state.secure_cookies, FLOW_LIFETIME.as_secs());
            let mut response = Redirect::to(&url).into_response();
            set_cookie(&mut response, &cookie);
            response
        }
        Err(error) => {
            tracing::error!("single sign-on cannot start: {error}");
            failure_page(&error)
        }
    }
}

/// `GET /auth/oidc/callback?code=…&state=…`: finishes the sign-in. Success answers with a
/// page that moves on to `next` itself (see [`continue_page`]); every failure with a page
/// saying why, and an audit entry.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    Query(answer): Query<Callback>,
    request: Request,
) -> Response {
    let Some(oidc) = state.oidc.as_ref() else {
        return (StatusCode::NOT_FOUND, "single sign-on is not configured").into_response();
    };
    let client = request_client(&state, &request);
    let flow_id = cookie_value(request.headers(), FLOW_COOKIE);
    let outcome = oidc.finish(flow_id.as_deref(), &answer).await;
    let mut response = match outcome {
        Err(error) => {
            tracing::warn!("single sign-on failed: {error}");
            let recorded = audit::record(
                &state.pool,
                &client.actor(None, "(single sign-on)"),
                &login_entry("(single sign-on)", SignInMethod::Sso),
                EntryOutcome::Failed,
                Some(&error.to_string()),
            )
            .await;
            match recorded {
                Ok(_) => failure_page(&error),
                Err(error) => internal_error(&error),
            }
        }
        Ok((identity, next)) => {
            match sign_in(&state.pool, &session, &client, oidc.settings(), &identity).await {
                Ok(Ok(_)) => continue_page(&next),
                Ok(Err(refusal)) => refusal_page(refusal, &identity.name),
                Err(error) => internal_error(&error),
            }
        }
    };
    // The flow is used up whatever happened.
    set_cookie(
        &mut response,
        &flow_cookie(String::new(), state.secure_cookies, 0),
    );
    response
}

fn flow_cookie(value: String, secure: bool, max_age_seconds: u64) -> Cookie<'static> {
    Cookie::build((FLOW_COOKIE, value))
        .path(FLOW_COOKIE_PATH)
        .http_only(true)
        .secure(secure)
        // Lax: sent on the provider's top-level redirect back, never on cross-site posts.
        .same_site(SameSite::Lax)
        .max_age(tower_sessions::cookie::time::Duration::seconds(
            i64::try_from(max_age_seconds).unwrap_or(0),
        ))
        .build()
}

fn set_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| Cookie::parse(pair.trim().to_string()).ok())
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

/// After a successful sign-in: a page that goes on to `next` by itself (meta refresh,
/// no script) rather than a redirect. The sign-in was a navigation the provider's site
/// started, and browsers keep the `SameSite=Strict` session cookie off every request of
/// that navigation, redirects included; the refresh is a new navigation from this site,
/// so the session cookie goes with it.
fn continue_page(next: &str) -> Response {
    let next = html_escape(next);
    page(
        StatusCode::OK,
        &format!(r#"<meta http-equiv="refresh" content="0;url={next}">"#),
        "Signed in",
        &format!(r#"<p>You are signed in. <a href="{next}">Continue to Fleetdesk</a>.</p>"#),
    )
}

/// The provider signed the user in, but Fleetdesk does not let them in (403).
fn refusal_page(refusal: SsoRefusal, name: &str) -> Response {
    let message = match refusal {
        SsoRefusal::NoGroup => {
            "You are signed in at your identity provider, but you are in none of the groups \
             that may use Fleetdesk. Ask your administrator to add you to the Fleetdesk \
             viewer, help desk or admin group."
        }
        SsoRefusal::Disabled => {
            "Your Fleetdesk account is disabled. Ask a Fleetdesk administrator to enable it."
        }
    };
    page(
        StatusCode::FORBIDDEN,
        "",
        "Access denied",
        &format!(
            "<p><strong>{}</strong></p><p>{message}</p>{}",
            html_escape(name),
            back_link()
        ),
    )
}

/// The sign-in itself failed (bad or replayed callback, invalid token, provider down).
fn failure_page(error: &OidcError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    page(
        status,
        "",
        "Sign-in failed",
        &format!(
            "<p>Single sign-on did not work: {}.</p>{}",
            html_escape(&error.to_string()),
            back_link()
        ),
    )
}

fn internal_error(error: &dyn std::fmt::Display) -> Response {
    tracing::error!("single sign-on: {error}");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "",
        "Sign-in failed",
        &format!(
            "<p>Fleetdesk could not finish the sign-in.</p>{}",
            back_link()
        ),
    )
}

fn back_link() -> &'static str {
    r#"<p><a href="/login">Back to sign in</a></p>"#
}

/// A small stand-alone page in the login card's style.
fn page(status: StatusCode, head: &str, title: &str, body: &str) -> Response {
    let stylesheet = app::server::assets::stylesheet_href();
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{head}
<title>{title} · Fleetdesk</title><link rel="stylesheet" href="{stylesheet}"></head>
<body><main><div class="login-card" role="main"><h1>{title}</h1>{body}</div></main></body></html>"#
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("fleetdesk_session=abc; fleetdesk_oidc=flow-1"),
        );
        assert_eq!(
            cookie_value(&headers, FLOW_COOKIE).as_deref(),
            Some("flow-1")
        );
        assert_eq!(cookie_value(&HeaderMap::new(), FLOW_COOKIE), None);
    }

    #[test]
    fn pages_escape_what_they_show() {
        assert_eq!(
            html_escape(r#"<a href="x">"#),
            "&lt;a href=&quot;x&quot;&gt;"
        );
    }
}
