//! Server functions of logging in and out.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{LoginOptions, UserInfo};

/// The logged-in user, or `None`; pages use it to show what the role may do.
#[server(endpoint = "auth/me")]
pub async fn get_me() -> Result<Option<UserInfo>, AppError> {
    crate::server::authz::current_user().await
}

/// What the login page offers: single sign-on (with the provider's name) and whether
/// password sign-in is on.
#[server(endpoint = "auth/options")]
pub async fn get_login_options() -> Result<LoginOptions, AppError> {
    let state = crate::server::state::app_state()?;
    Ok(LoginOptions {
        sso_provider: state
            .oidc
            .as_ref()
            .map(|oidc| oidc.settings().provider_name.clone()),
        password: state.local_login,
    })
}

/// Logs in and redirects to `next` (a local path); on failure, back to the login page
/// with the reason. Works as a plain form post with JavaScript off.
#[server(endpoint = "auth/login")]
pub async fn login(username: String, password: String, next: String) -> Result<(), AppError> {
    use crate::model::encode_query_value;
    use crate::server::auth::LoginRefusal;
    let state = crate::server::state::app_state()?;
    if !state.local_login {
        // Password sign-in is off (FLEETDESK_LOCAL_LOGIN=0): single sign-on only.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::FORBIDDEN);
        }
        return Err(AppError::Forbidden);
    }
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| AppError::Internal)?;
    let origin = crate::server::authz::request_origin().await;
    let next = safe_next(&next);
    let outcome =
        crate::server::auth::login(&state.pool, &session, &origin, &username, &password).await?;
    match outcome {
        Ok(_) => leptos_axum::redirect(&next),
        Err(refusal) => {
            let reason = match refusal {
                LoginRefusal::BadCredentials => "invalid",
                LoginRefusal::Locked => "locked",
            };
            leptos_axum::redirect(&format!(
                "/login?error={reason}&next={}",
                encode_query_value(&next)
            ));
        }
    }
    Ok(())
}

/// Only local paths are followed after login, never another site. Browsers drop tabs
/// and line breaks from a URL and read `\` as `/`, so `/<TAB>/evil.example` or
/// `/\evil.example` would become `//evil.example`: any control character or backslash
/// refuses the path.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c == '\\' || c.is_control())
        && next.len() <= 2048;
    if local {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let caller = crate::server::authz::caller(crate::model::Role::Viewer).await?;
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| AppError::Internal)?;
    crate::server::auth::logout(caller.pool(), &session, &caller.user, &caller.origin).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/workspaces/ws-1?x=1"), "/workspaces/ws-1?x=1");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
        // Issue 16, finding 4: `Location: /\t/evil.example` is `//evil.example` to a browser.
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/\r\n/evil.example"), "/");
        assert_eq!(safe_next(&format!("/{}", "a".repeat(3000))), "/");
    }
}
