//! Single sign-on: the ID token checks (signature, issuer, audience, expiry, nonce), the
//! single use of a flow, PKCE; then over HTTP the role from the groups, the refusal of a
//! user in no group (403, audited), of a disabled user (whose sessions end), and the
//! refusal of password logins when they are switched off.

use std::sync::Arc;

use app::model::{Role, UserInfo, UserSource};
use app::server::oidc::{Callback, Oidc, OidcError, OidcSettings, Secret};
use app::server::repo::audit::Actor;
use app::server::state::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use serde_json::json;
use sha2::Digest;

use crate::auth::{post, send, status_and_body, with_users};
use crate::oidc_provider::{CLIENT_ID, Provider, query_param};

fn settings(provider: &Provider) -> OidcSettings {
    OidcSettings {
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: Some(Secret::new("test secret")),
        redirect_url: "http://localhost/auth/oidc/callback".into(),
        groups_claim: "groups".into(),
        admin_groups: vec!["fd-admins".into()],
        helpdesk_groups: vec!["fd-helpdesk".into()],
        viewer_groups: vec!["fd-viewers".into(), "everyone".into()],
        provider_name: "Test IdP".into(),
        account_groups: Vec::new(),
    }
}

/// A started sign-in: its flow id, state and nonce.
struct Started {
    flow: String,
    state: String,
    nonce: String,
    url: String,
}

async fn begin(oidc: &Oidc) -> Started {
    let (flow, url) = oidc.begin("/directories", None).await.expect("begin");
    Started {
        flow,
        state: query_param(&url, "state"),
        nonce: query_param(&url, "nonce"),
        url,
    }
}

fn answer(state: &str) -> Callback {
    Callback {
        code: Some("the-code".into()),
        state: Some(state.into()),
        ..Callback::default()
    }
}

#[tokio::test]
async fn a_valid_id_token_signs_in_with_pkce_and_the_groups() {
    let provider = Provider::start().await;
    let oidc = Oidc::new(settings(&provider)).expect("settings");
    let started = begin(&oidc).await;
    assert!(
        started
            .url
            .starts_with(&format!("{}/authorize?", provider.issuer)),
        "{}",
        started.url
    );
    assert_eq!(query_param(&started.url, "code_challenge_method"), "S256");
    assert!(query_param(&started.url, "scope").contains("openid"));
    provider.answer_with(provider.sign(&provider.claims("ann", &["fd-helpdesk"], &started.nonce)));
    let (identity, next) = oidc
        .finish(Some(&started.flow), &answer(&started.state))
        .await
        .expect("signed in");
    assert_eq!(next, "/directories");
    assert_eq!(identity.subject, "ann");
    assert_eq!(identity.issuer, provider.issuer);
    assert_eq!(identity.groups, vec!["fd-helpdesk"]);
    // PKCE: the verifier sent with the code hashes to the challenge sent to the browser.
    let verifier = provider
        .last_token_request("code_verifier")
        .expect("verifier");
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(challenge, query_param(&started.url, "code_challenge"));
}

#[tokio::test]
async fn id_tokens_that_fail_a_check_are_refused() {
    let provider = Provider::start().await;
    let oidc = Oidc::new(settings(&provider)).expect("settings");
    let cases: Vec<(&str, &str, Box<dyn Fn(&str) -> String>)> = vec![
        (
            "wrong audience",
            "Invalid audiences",
            Box::new(|nonce| {
                let mut claims = provider.claims("ann", &["fd-admins"], nonce);
                claims["aud"] = json!("another-client");
                provider.sign(&claims)
            }),
        ),
        (
            "expired",
            "Expired",
            Box::new(|nonce| {
                let mut claims = provider.claims("ann", &["fd-admins"], nonce);
                claims["iat"] = json!(1_000_000_000);
                claims["exp"] = json!(1_000_003_600);
                provider.sign(&claims)
            }),
        ),
        (
            "bad signature",
            "Signature verification failed",
            Box::new(|nonce| provider.forge(&provider.claims("ann", &["fd-admins"], nonce))),
        ),
        (
            "wrong issuer",
            "Invalid issuer",
            Box::new(|nonce| {
                let mut claims = provider.claims("ann", &["fd-admins"], nonce);
                claims["iss"] = json!("https://evil.example");
                provider.sign(&claims)
            }),
        ),
        (
            "another sign-in's nonce",
            "Invalid nonce",
            Box::new(|_| provider.sign(&provider.claims("ann", &["fd-admins"], "old-nonce"))),
        ),
        (
            "no nonce",
            "Invalid nonce",
            Box::new(|nonce| {
                let mut claims = provider.claims("ann", &["fd-admins"], nonce);
                claims.as_object_mut().expect("object").remove("nonce");
                provider.sign(&claims)
            }),
        ),
    ];
    for (case, why, token) in cases {
        let started = begin(&oidc).await;
        provider.answer_with(token(&started.nonce));
        let outcome = oidc
            .finish(Some(&started.flow), &answer(&started.state))
            .await;
        assert!(
            matches!(&outcome, Err(OidcError::InvalidIdToken(error)) if error.contains(why)),
            "{case}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn a_flow_is_used_once_and_only_with_its_state() {
    let provider = Provider::start().await;
    let oidc = Oidc::new(settings(&provider)).expect("settings");
    let started = begin(&oidc).await;
    let wrong = oidc
        .finish(Some(&started.flow), &answer("forged-state"))
        .await;
    assert!(matches!(wrong, Err(OidcError::StateMismatch)), "{wrong:?}");
    // A wrong state used the flow up: the right one cannot follow.
    let after = oidc
        .finish(Some(&started.flow), &answer(&started.state))
        .await;
    assert!(matches!(after, Err(OidcError::UnknownFlow)), "{after:?}");

    let started = begin(&oidc).await;
    provider.answer_with(provider.sign(&provider.claims("ann", &["fd-viewers"], &started.nonce)));
    oidc.finish(Some(&started.flow), &answer(&started.state))
        .await
        .expect("first use");
    provider.answer_with(provider.sign(&provider.claims("ann", &["fd-viewers"], &started.nonce)));
    let replay = oidc
        .finish(Some(&started.flow), &answer(&started.state))
        .await;
    assert!(matches!(replay, Err(OidcError::UnknownFlow)), "{replay:?}");

    // The provider's "access denied" is a refusal, not a sign-in.
    let started = begin(&oidc).await;
    let denied = Callback {
        error: Some("access_denied".into()),
        state: Some(started.state.clone()),
        ..Callback::default()
    };
    let outcome = oidc.finish(Some(&started.flow), &denied).await;
    assert!(
        matches!(outcome, Err(OidcError::Provider(_))),
        "{outcome:?}"
    );
}

/// The value of `Set-Cookie` named `name`, as `name=value`.
fn cookie(response: &axum::http::Response<Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// Signs in over HTTP as `subject` with `groups`: the callback's status and body, and
/// the session cookie it set.
async fn sign_in_over_http(
    state: &AppState,
    provider: &Provider,
    subject: &str,
    groups: &[&str],
) -> (StatusCode, String, Option<String>) {
    sign_in_to(state, provider, subject, groups, "%2Fimages").await
}

/// The same, asking to go on to `next` (URL-encoded) after the sign-in.
async fn sign_in_to(
    state: &AppState,
    provider: &Provider,
    subject: &str,
    groups: &[&str],
    next: &str,
) -> (StatusCode, String, Option<String>) {
    let login = format!("/auth/oidc/login?next={next}");
    let response = send(state, get_with(&login, None)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string();
    let flow = cookie(&response, "fleetdesk_oidc").expect("flow cookie");
    provider.answer_with(provider.sign(&provider.claims(
        subject,
        groups,
        &query_param(&location, "nonce"),
    )));
    let callback = format!(
        "/auth/oidc/callback?code=c&state={}",
        query_param(&location, "state")
    );
    let response = send(state, get_with(&callback, Some(&flow))).await;
    let status = response.status();
    let session = cookie(&response, "fleetdesk_session");
    use http_body_util::BodyExt;
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        session,
    )
}

fn get_with(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path).header(header::HOST, "localhost");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).expect("request")
}

async fn me(state: &AppState, cookie: &str) -> Option<UserInfo> {
    let (_, body) = status_and_body(state, post("/api/auth/me", "", Some(cookie))).await;
    serde_json::from_str(&body).expect("user JSON")
}

async fn with_sso(local_login: bool) -> (tempfile::TempDir, AppState, Provider) {
    let (dir, mut state) = with_users().await;
    let provider = Provider::start().await;
    state.oidc = Some(Arc::new(Oidc::new(settings(&provider)).expect("settings")));
    state.local_login = local_login;
    (dir, state, provider)
}

/// The last `login` audit entry: outcome, detail and parameters.
async fn last_login(state: &AppState) -> (String, Option<String>, serde_json::Value) {
    let (outcome, detail, params): (String, Option<String>, String) = sqlx::query_as(
        "SELECT outcome, detail, params FROM audit_entries WHERE action = 'login' \
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .expect("login entry");
    (
        outcome,
        detail,
        serde_json::from_str(&params).expect("params"),
    )
}

#[tokio::test]
async fn the_role_comes_from_the_groups_at_every_sign_in() {
    let (_dir, state, provider) = with_sso(true).await;
    for (groups, role) in [
        (vec!["fd-viewers", "fd-admins"], Role::Admin),
        (vec!["fd-helpdesk"], Role::Helpdesk),
        (vec!["everyone"], Role::Viewer),
    ] {
        let (status, body, session) = sign_in_over_http(&state, &provider, "bea", &groups).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            body.contains(r#"content="0;url=/images""#),
            "goes on to next: {body}"
        );
        let user = me(&state, &session.expect("session cookie"))
            .await
            .expect("signed in");
        assert_eq!((user.name.as_str(), user.role), ("bea", role));
        assert_eq!(user.source, UserSource::Oidc);
        let (outcome, _, params) = last_login(&state).await;
        assert_eq!(outcome, "succeeded");
        assert_eq!(params["method"], "sso");
    }
    // One account for the one identity, listed with its source.
    let users = app::server::repo::users::list(&state.pool)
        .await
        .expect("users");
    let bea: Vec<_> = users.iter().filter(|u| u.name == "bea").collect();
    assert_eq!(bea.len(), 1);
    assert_eq!(bea[0].source, UserSource::Oidc);
}

#[tokio::test]
async fn a_user_in_no_group_is_refused_and_audited() {
    let (_dir, state, provider) = with_sso(true).await;
    let (status, body, session) =
        sign_in_over_http(&state, &provider, "carl", &["sales", "marketing"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("in none of the groups"), "{body}");
    if let Some(session) = session {
        assert_eq!(me(&state, &session).await, None, "no session");
    }
    let (outcome, detail, params) = last_login(&state).await;
    assert_eq!(outcome, "failed");
    assert_eq!(detail.as_deref(), Some("in none of the Fleetdesk groups"));
    assert_eq!(params["username"], "carl");
    assert_eq!(params["groups"], json!(["sales", "marketing"]));
    let users = app::server::repo::users::list(&state.pool)
        .await
        .expect("users");
    assert!(users.iter().all(|u| u.name != "carl"), "no account made");
}

#[tokio::test]
async fn leaving_every_group_ends_the_open_sessions() {
    let (_dir, state, provider) = with_sso(true).await;
    let (_, _, session) = sign_in_over_http(&state, &provider, "eve", &["fd-admins"]).await;
    let session = session.expect("session");
    assert!(me(&state, &session).await.is_some());
    let (status, _, _) = sign_in_over_http(&state, &provider, "eve", &["sales"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(me(&state, &session).await, None, "the admin session ended");
}

#[tokio::test]
async fn only_a_local_next_is_followed() {
    let (_dir, state, provider) = with_sso(true).await;
    let (status, body, _) = sign_in_to(
        &state,
        &provider,
        "fay",
        &["fd-viewers"],
        "https%3A%2F%2Fevil.example%2F",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"content="0;url=/""#), "{body}");
}

#[tokio::test]
async fn a_disabled_sso_user_is_refused_and_their_sessions_end() {
    let (_dir, state, provider) = with_sso(true).await;
    let (status, _, session) = sign_in_over_http(&state, &provider, "dora", &["fd-viewers"]).await;
    assert_eq!(status, StatusCode::OK);
    let session = session.expect("session");
    let dora = me(&state, &session).await.expect("signed in");
    app::server::users::set_disabled(&state.pool, &Actor::default(), dora.id, true)
        .await
        .expect("disable");
    assert_eq!(me(&state, &session).await, None, "the session ended");
    let (status, body, _) = sign_in_over_http(&state, &provider, "dora", &["fd-viewers"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("disabled"), "{body}");
    let (outcome, detail, _) = last_login(&state).await;
    assert_eq!(
        (outcome.as_str(), detail.as_deref()),
        ("failed", Some("account disabled"))
    );
    // An SSO user's role and password are the provider's business.
    let role = app::server::users::set_role(&state.pool, &Actor::default(), dora.id, "admin").await;
    assert!(role.is_err(), "{role:?}");
}

#[tokio::test]
async fn a_provider_user_cannot_take_a_local_name() {
    let (_dir, state, provider) = with_sso(true).await;
    // "admin" is a local user of with_users(); the provider's "admin" is someone else.
    let (status, _, session) = sign_in_over_http(&state, &provider, "admin", &["fd-viewers"]).await;
    assert_eq!(status, StatusCode::OK);
    let user = me(&state, &session.expect("session"))
        .await
        .expect("signed in");
    assert_ne!(user.name, "admin");
    assert!(user.name.starts_with("admin (sso "), "{}", user.name);
    assert_eq!(user.role, Role::Viewer);
}

#[tokio::test]
async fn callbacks_without_their_flow_are_refused_and_audited() {
    let (_dir, state, _provider) = with_sso(true).await;
    let (status, body) =
        status_and_body(&state, get_with("/auth/oidc/callback?code=c&state=s", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Sign-in failed"), "{body}");
    let (outcome, _, params) = last_login(&state).await;
    assert_eq!(
        (outcome.as_str(), &params["method"]),
        ("failed", &json!("sso"))
    );
}

#[tokio::test]
async fn password_logins_can_be_switched_off() {
    let (_dir, state, _provider) = with_sso(false).await;
    let body = "username=admin&password=a+long+enough+password&next=%2F";
    let (status, _) = status_and_body(&state, post("/api/auth/login", body, None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, options) = status_and_body(&state, post("/api/auth/options", "", None)).await;
    let options: app::model::LoginOptions = serde_json::from_str(&options).expect("options");
    assert_eq!(options.sso_provider.as_deref(), Some("Test IdP"));
    assert!(!options.password);
}

#[tokio::test]
async fn without_an_issuer_nothing_changes() {
    let (_dir, state) = with_users().await;
    let (status, _) = status_and_body(&state, get_with("/auth/oidc/login", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, options) = status_and_body(&state, post("/api/auth/options", "", None)).await;
    let options: app::model::LoginOptions = serde_json::from_str(&options).expect("options");
    assert_eq!(options.sso_provider, None);
    assert!(options.password);
}
