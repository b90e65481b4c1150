//! An OpenID provider for the single sign-on tests, served in process on a loopback
//! port: discovery document, JWKS and token endpoint. The test decides the ID token the
//! token endpoint answers with, signed with a generated RSA key (or a wrong one), so
//! every check Fleetdesk makes on the token can be tried.

use std::sync::{Arc, Mutex, OnceLock};

use axum::Json;
use axum::extract::{Form, State};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

/// The client id Fleetdesk is registered with at this provider.
pub const CLIENT_ID: &str = "fleetdesk-tests";
const KEY_ID: &str = "test-key-1";

/// The provider's signing key and a stranger's, generated once per test process.
fn keys() -> &'static (RsaPrivateKey, RsaPrivateKey) {
    static KEYS: OnceLock<(RsaPrivateKey, RsaPrivateKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rsa::rand_core::OsRng;
        let make =
            |rng: &mut rsa::rand_core::OsRng| RsaPrivateKey::new(rng, 2048).expect("RSA key");
        (make(&mut rng), make(&mut rng))
    })
}

#[derive(Clone, Default)]
struct Shared {
    /// The ID token the next token request gets.
    id_token: Arc<Mutex<Option<String>>>,
    /// The form of the last token request (to check the PKCE verifier).
    last_token_request: Arc<Mutex<Vec<(String, String)>>>,
}

/// A running provider.
pub struct Provider {
    pub issuer: String,
    shared: Shared,
}

impl Provider {
    /// Starts a provider on a free loopback port.
    pub async fn start() -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let issuer = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Shared::default();
        let discovery = json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        });
        let public = keys().0.to_public_key();
        let jwks = json!({ "keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID,
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }]});
        let app = axum::Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(move || async move { Json(discovery) }),
            )
            .route("/jwks", get(move || async move { Json(jwks) }))
            .route("/token", post(token))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Provider { issuer, shared }
    }

    /// The next token request is answered with this ID token.
    pub fn answer_with(&self, id_token: String) {
        *self.shared.id_token.lock().expect("lock") = Some(id_token);
    }

    /// The value of `name` in the last token request's form.
    pub fn last_token_request(&self, name: &str) -> Option<String> {
        self.shared
            .last_token_request
            .lock()
            .expect("lock")
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    /// Valid claims for `subject` with `groups` and `nonce`, valid for an hour.
    pub fn claims(&self, subject: &str, groups: &[&str], nonce: &str) -> Value {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        json!({
            "iss": self.issuer, "aud": CLIENT_ID, "sub": subject,
            "preferred_username": subject, "groups": groups, "nonce": nonce,
            "iat": now, "exp": now + 3600,
        })
    }

    /// `claims` as an ID token signed with the provider's key.
    pub fn sign(&self, claims: &Value) -> String {
        sign_with(&keys().0, claims)
    }

    /// `claims` signed with another key under the provider's key id: a forged token.
    pub fn forge(&self, claims: &Value) -> String {
        sign_with(&keys().1, claims)
    }
}

fn sign_with(key: &RsaPrivateKey, claims: &Value) -> String {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": KEY_ID });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = SigningKey::<sha2::Sha256>::new(key.clone())
        .sign(input.as_bytes())
        .to_bytes();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

async fn token(
    State(shared): State<Shared>,
    Form(form): Form<Vec<(String, String)>>,
) -> Json<Value> {
    *shared.last_token_request.lock().expect("lock") = form;
    let id_token = shared.id_token.lock().expect("lock").take();
    Json(json!({
        "access_token": "access-token", "token_type": "Bearer", "expires_in": 3600,
        "id_token": id_token,
    }))
}

/// The query parameter `name` of `url` (empty when missing).
pub fn query_param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .expect("URL")
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}
