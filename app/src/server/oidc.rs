//! Single sign-on through an OpenID Connect provider (Entra ID, Okta, Cognito, …), so
//! that people use the company identity and lose access when the company removes it.
//!
//! The authorization-code flow with PKCE, `state` and `nonce`: [`Oidc::begin`] makes the
//! three secrets and keeps them on the server, one record per flow, found again by a
//! random flow id in a cookie of its own; [`Oidc::finish`] takes that record (once: a
//! replayed callback finds nothing), compares `state`, exchanges the code with the PKCE
//! verifier and accepts the ID token only if its signature verifies against the
//! provider's JWKS and its issuer, audience, expiry and nonce are right (the
//! `openidconnect` crate's checks). [`sign_in`] then gives the role from the groups
//! claim, stores the user by (issuer, subject) and starts the session exactly as a
//! password login does ([`crate::server::auth::start_session`]).
//!
//! Why the flow is not kept in the session: the session cookie is `SameSite=Strict`,
//! and browsers do not send such a cookie on the provider's redirect back to the
//! callback (a navigation that another site started). The flow cookie is `Lax`, holds no
//! credential (only the key of a ten-minute, single-use record) and is scoped to
//! `/auth/oidc`; the session cookie and its CSRF defences stay as they are.
//!
//! One file (about 600 lines before its tests) because the flow's steps share the
//! flow record and its checks; split, a reader would have to hold them all at once anyway.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, StandardErrorResponse,
    StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyPool;
use tower_sessions::Session;

use crate::error::AppError;
use crate::model::{EntryOutcome, Role, UserInfo, UserSource};
use crate::server::auth::{
    MAX_USER_NAME_CHARS, RequestOrigin, SignInMethod, login_entry, start_session,
};
use crate::server::repo::audit;
use crate::server::repo::users;

/// How long a started sign-in may take at the provider.
pub const FLOW_LIFETIME: Duration = Duration::from_secs(600);
/// Most sign-ins in progress at once; anonymous visitors start them, so they are capped.
const MAX_PENDING_FLOWS: usize = 10_000;
/// Most sign-ins in progress from one client address: a client starting more replaces
/// its own oldest, so nobody can fill the table and lock everyone else out (issue 20,
/// finding 4). Generous for a NAT of many people signing in within ten minutes.
const MAX_FLOWS_PER_CLIENT: usize = 50;
/// Provider metadata and keys are read again after this long (key rotation).
const METADATA_LIFETIME: Duration = Duration::from_secs(600);

/// A secret that never shows in logs or `Debug` output (the client secret).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The provider and how its groups become Fleetdesk roles.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    /// The issuer URL, exactly as the provider's discovery document states it.
    pub issuer: String,
    pub client_id: String,
    /// `None` for a public client (PKCE only).
    pub client_secret: Option<Secret>,
    /// This server's `/auth/oidc/callback` as the provider knows it.
    pub redirect_url: String,
    /// The ID token claim holding the user's groups (`groups`, `cognito:groups`, …).
    pub groups_claim: String,
    pub admin_groups: Vec<String>,
    pub helpdesk_groups: Vec<String>,
    pub viewer_groups: Vec<String>,
    /// Shown on the login page: "Sign in with <provider name>".
    pub provider_name: String,
    /// Group → account pairs (`FLEETDESK_OIDC_ACCOUNT_GROUPS`); empty: SSO users are not
    /// limited by their groups (an admin may still limit them on the Users page).
    pub account_groups: Vec<(String, String)>,
}

impl OidcSettings {
    /// The highest role any of `groups` grants; `None` when none is a Fleetdesk group.
    pub fn role_for(&self, groups: &[String]) -> Option<Role> {
        [
            (Role::Admin, &self.admin_groups),
            (Role::Helpdesk, &self.helpdesk_groups),
            (Role::Viewer, &self.viewer_groups),
        ]
        .into_iter()
        .find(|(_, wanted)| groups.iter().any(|group| wanted.contains(group)))
        .map(|(role, _)| role)
    }

    /// The accounts `groups` open, when a group → account mapping is configured: the
    /// union of every group's accounts (possibly none); `None` without a mapping.
    pub fn accounts_for(&self, groups: &[String]) -> Option<Vec<String>> {
        if self.account_groups.is_empty() {
            return None;
        }
        let mut accounts: Vec<String> = Vec::new();
        for (group, account) in &self.account_groups {
            if groups.contains(group) && !accounts.contains(account) {
                accounts.push(account.clone());
            }
        }
        Some(accounts)
    }
}

/// Why a sign-in through the provider failed before Fleetdesk looked at the user.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the settings are invalid: {0}")]
    Settings(String),
    #[error("the provider cannot be reached or its discovery document is invalid: {0}")]
    Discovery(String),
    #[error("too many sign-ins are in progress; try again in a few minutes")]
    Busy,
    /// No flow for this browser: never started here, already used, or the cookie is gone.
    #[error("this sign-in was not started here or was already used")]
    UnknownFlow,
    #[error("the sign-in took longer than ten minutes")]
    Expired,
    #[error("the state parameter does not match this sign-in")]
    StateMismatch,
    /// The provider said no (the user denied, or the provider refused the client).
    #[error("the provider refused the sign-in: {0}")]
    Provider(String),
    #[error("the provider's answer has no authorization code")]
    NoCode,
    #[error("the code exchange failed: {0}")]
    TokenExchange(String),
    #[error("the provider sent no ID token")]
    NoIdToken,
    /// Bad signature, wrong issuer or audience, expired, or a nonce of another sign-in.
    #[error("the ID token is not valid: {0}")]
    InvalidIdToken(String),
}

impl OidcError {
    /// The HTTP status of the callback's answer: the caller's fault, a refusal, or the
    /// provider's.
    pub fn status(&self) -> u16 {
        match self {
            OidcError::Settings(_) => 500,
            OidcError::Discovery(_) | OidcError::TokenExchange(_) | OidcError::NoIdToken => 502,
            OidcError::Busy => 503,
            OidcError::UnknownFlow
            | OidcError::Expired
            | OidcError::StateMismatch
            | OidcError::NoCode => 400,
            OidcError::Provider(_) | OidcError::InvalidIdToken(_) => 403,
        }
    }
}

/// Every claim of the ID token beyond the standard ones, so that the configured groups
/// claim can be read whatever its name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<IdFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A started sign-in, kept until its callback (or for [`FLOW_LIFETIME`]).
struct Flow {
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    started: Instant,
    /// The address that started it (`""` when unknown).
    client: String,
}

/// Adds `flow` to the sign-ins in progress, after dropping expired ones. A client at its
/// cap loses its own oldest sign-in; a full table loses the oldest sign-in of the client
/// holding the most, so one client's flood never evicts other people's sign-ins.
fn admit(flows: &mut HashMap<String, Flow>, id: String, flow: Flow) -> Result<(), OidcError> {
    flows.retain(|_, flow| flow.started.elapsed() < FLOW_LIFETIME);
    let mut per_client: HashMap<&str, usize> = HashMap::new();
    for existing in flows.values() {
        *per_client.entry(existing.client.as_str()).or_default() += 1;
    }
    let crowded =
        if per_client.get(flow.client.as_str()).copied().unwrap_or(0) >= MAX_FLOWS_PER_CLIENT {
            Some(flow.client.clone())
        } else if flows.len() >= MAX_PENDING_FLOWS {
            per_client
                .iter()
                .max_by_key(|(_, count)| **count)
                .map(|(client, _)| client.to_string())
        } else {
            None
        };
    if let Some(client) = crowded {
        let oldest = flows
            .iter()
            .filter(|(_, existing)| existing.client == client)
            .min_by_key(|(_, existing)| existing.started)
            .map(|(id, _)| id.clone());
        match oldest {
            Some(oldest) => {
                flows.remove(&oldest);
            }
            None => return Err(OidcError::Busy),
        }
    }
    flows.insert(id, flow);
    Ok(())
}

/// The provider's answer on the callback URL.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    /// `preferred_username`, else `email`, else the subject.
    pub name: String,
    pub groups: Vec<String>,
}

/// The OpenID Connect client of this process: settings, HTTP client, the provider's
/// metadata (cached) and the sign-ins in progress.
pub struct Oidc {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect_url: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
    flows: Mutex<HashMap<String, Flow>>,
}

impl Oidc {
    /// Checks the settings; the provider is first asked at the first sign-in, so that
    /// Fleetdesk starts (and password sign-in works) while the provider is down.
    pub fn new(settings: OidcSettings) -> Result<Self, OidcError> {
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|error| OidcError::Settings(format!("issuer URL: {error}")))?;
        let redirect_url = RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|error| OidcError::Settings(format!("redirect URL: {error}")))?;
        // No redirects: the provider's endpoints answer directly (and a redirect to an
        // internal address cannot be used to reach it, the crate's advice against SSRF).
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|error| OidcError::Settings(format!("HTTP client: {error}")))?;
        Ok(Oidc {
            settings,
            issuer,
            redirect_url,
            http,
            metadata: tokio::sync::Mutex::new(None),
            flows: Mutex::new(HashMap::new()),
        })
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The provider's metadata and keys, discovered at most every [`METADATA_LIFETIME`].
    async fn metadata(&self) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, metadata)) = cached.as_ref() {
            if at.elapsed() < METADATA_LIFETIME {
                return Ok(metadata.clone());
            }
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|error| OidcError::Discovery(error_chain(&error)))?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    /// A client over the provider's current metadata.
    async fn client(&self) -> Result<OidcClient, OidcError> {
        let metadata = self.metadata().await?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings
                .client_secret
                .as_ref()
                .map(|secret| ClientSecret::new(secret.0.clone())),
        )
        .set_redirect_uri(self.redirect_url.clone()))
    }

    fn with_flows<T>(&self, change: impl FnOnce(&mut HashMap<String, Flow>) -> T) -> T {
        match self.flows.lock() {
            Ok(mut flows) => change(&mut flows),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
    }

    /// Starts a sign-in that returns to `next` (a local path, already checked) for the
    /// client at `client_addr`: the flow id for the flow cookie, and the provider's
    /// authorization URL to send the browser to.
    pub async fn begin(
        &self,
        next: &str,
        client_addr: Option<&str>,
    ) -> Result<(String, String), OidcError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        let flow_id = CsrfToken::new_random().secret().clone();
        let flow = Flow {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next: next.to_string(),
            started: Instant::now(),
            client: client_addr.unwrap_or_default().to_string(),
        };
        self.with_flows(|flows| admit(flows, flow_id.clone(), flow))?;
        Ok((flow_id, url.to_string()))
    }

    /// Finishes the sign-in of flow `flow_id` with the provider's answer: the identity and
    /// the local path to return to. The flow is used up whatever the outcome.
    pub async fn finish(
        &self,
        flow_id: Option<&str>,
        answer: &Callback,
    ) -> Result<(Identity, String), OidcError> {
        let flow = flow_id
            .and_then(|id| self.with_flows(|flows| flows.remove(id)))
            .ok_or(OidcError::UnknownFlow)?;
        if flow.started.elapsed() >= FLOW_LIFETIME {
            return Err(OidcError::Expired);
        }
        if answer.state.as_deref() != Some(flow.state.as_str()) {
            return Err(OidcError::StateMismatch);
        }
        if let Some(error) = &answer.error {
            let description = answer.error_description.as_deref().unwrap_or_default();
            return Err(OidcError::Provider(
                format!("{error} {description}").trim().to_string(),
            ));
        }
        let code = answer.code.clone().ok_or(OidcError::NoCode)?;
        let client = self.client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|error| OidcError::Discovery(error.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| OidcError::TokenExchange(error_chain(&error)))?;
        let id_token = tokens.id_token().ok_or(OidcError::NoIdToken)?;
        let claims = match id_token.claims(&client.id_token_verifier(), &Nonce::new(flow.nonce)) {
            Ok(claims) => claims,
            Err(error) => {
                // The keys may have been rotated: discover them again next time.
                *self.metadata.lock().await = None;
                return Err(OidcError::InvalidIdToken(error_chain(&error)));
            }
        };
        let subject = claims.subject().to_string();
        let name = [
            claims.preferred_username().map(|name| name.to_string()),
            claims.email().map(|email| email.to_string()),
        ]
        .into_iter()
        .flatten()
        .find(|name| !name.trim().is_empty())
        .unwrap_or_else(|| subject.clone());
        let groups = groups_of(
            claims
                .additional_claims()
                .claims
                .get(&self.settings.groups_claim),
        );
        let identity = Identity {
            issuer: claims.issuer().to_string(),
            subject,
            name,
            groups,
        };
        Ok((identity, flow.next))
    }
}

/// A groups claim as a list: an array of strings, or one string of groups separated by
/// commas or spaces (some providers send that).
fn groups_of(claim: Option<&serde_json::Value>) -> Vec<String> {
    match claim {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str())
            .map(str::to_string)
            .collect(),
        Some(serde_json::Value::String(groups)) => groups
            .split([',', ' '])
            .map(str::trim)
            .filter(|group| !group.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// An error with its causes, for the log and the audit detail.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Why Fleetdesk refused a user the provider did sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoRefusal {
    /// The user is in none of the configured groups.
    NoGroup,
    /// An admin disabled the user in Fleetdesk.
    Disabled,
}

/// Signs in the user the provider vouched for: their role from the groups (refused if
/// none, which also ends the open sessions of a known user), their Fleetdesk account
/// found by (issuer, subject) or created, refused if an admin disabled it, then a session
/// started as for a password login. Every refusal, account creation and role change is
/// audited.
pub async fn sign_in(
    pool: &AnyPool,
    session: &Session,
    client: &RequestOrigin,
    settings: &OidcSettings,
    identity: &Identity,
) -> Result<Result<UserInfo, SsoRefusal>, AppError> {
    let name: String = identity
        .name
        .trim()
        .chars()
        .take(MAX_USER_NAME_CHARS)
        .collect();
    let role = settings.role_for(&identity.groups);
    let mut tx = crate::server::repo::write(pool).await?;
    let existing = users::by_oidc_identity(&mut *tx, &identity.issuer, &identity.subject).await?;
    let decision = match (role, &existing) {
        (None, _) => Err((SsoRefusal::NoGroup, "in none of the Fleetdesk groups")),
        (Some(_), Some(user)) if user.disabled => Err((SsoRefusal::Disabled, "account disabled")),
        (Some(role), _) => Ok(role),
    };
    let role = match decision {
        Ok(role) => role,
        Err((refusal, detail)) => {
            // Someone who left every Fleetdesk group loses their open sessions too.
            if let (SsoRefusal::NoGroup, Some(user)) = (refusal, &existing) {
                users::end_sessions(&mut *tx, user.id).await?;
            }
            let mut entry = login_entry(&name, SignInMethod::Sso);
            entry.params["groups"] = json!(identity.groups.iter().take(50).collect::<Vec<_>>());
            audit::record_in(
                &mut tx,
                &client.actor(existing.as_ref(), &name),
                &entry,
                EntryOutcome::Failed,
                Some(detail),
            )
            .await?;
            tx.commit().await?;
            return Ok(Err(refusal));
        }
    };
    let user = match existing {
        Some(user) if user.role == role => user,
        Some(user) => {
            users::set_role(&mut tx, user.id, role).await?;
            let params = json!({ "user": user.name, "from": user.role.as_str(), "to": role.as_str(), "by": "sso groups" });
            crate::server::users::audit_change(
                &mut tx,
                &client.actor(Some(&user), &user.name),
                "user.set_role",
                params,
            )
            .await?;
            UserInfo { role, ..user }
        }
        None => {
            let user = create_user(&mut tx, &name, role, identity).await?;
            let params = json!({ "user": user.name, "role": role.as_str(), "source": UserSource::Oidc.as_str() });
            crate::server::users::audit_change(
                &mut tx,
                &client.actor(Some(&user), &user.name),
                "user.create",
                params,
            )
            .await?;
            user
        }
    };
    let user = match settings.accounts_for(&identity.groups) {
        Some(accounts) if user.accounts.as_ref() != Some(&accounts) => {
            users::set_accounts(&mut tx, user.id, Some(&accounts)).await?;
            let params = json!({ "user": user.name, "from": user.accounts, "to": accounts, "by": "sso groups" });
            crate::server::users::audit_change(
                &mut tx,
                &client.actor(Some(&user), &user.name),
                "user.set_accounts",
                params,
            )
            .await?;
            UserInfo {
                accounts: Some(accounts),
                ..user
            }
        }
        _ => user,
    };
    tx.commit().await?;
    start_session(pool, session, client, &user, SignInMethod::Sso).await?;
    Ok(Ok(user))
}

/// Creates the account of a first sign-in. User names are unique; when the provider's
/// name is taken (by a local user, or another provider identity), the name gets a
/// suffix from the subject, so that a provider user can never take over a local account.
async fn create_user(
    conn: &mut sqlx::AnyConnection,
    name: &str,
    role: Role,
    identity: &Identity,
) -> Result<UserInfo, AppError> {
    if let Some(user) =
        users::create_oidc(conn, name, role, &identity.issuer, &identity.subject).await?
    {
        return Ok(user);
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{}\n{}", identity.issuer, identity.subject));
    let tag: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let base: String = name.chars().take(MAX_USER_NAME_CHARS - 10).collect();
    let unique = format!("{base} (sso {tag})");
    users::create_oidc(conn, &unique, role, &identity.issuer, &identity.subject)
        .await?
        .ok_or_else(|| AppError::Validation {
            field: "username".into(),
            message: format!("{name} and {unique} are both taken"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow_from(client: &str) -> Flow {
        Flow {
            state: String::new(),
            nonce: String::new(),
            pkce_verifier: String::new(),
            next: "/".into(),
            started: Instant::now(),
            client: client.into(),
        }
    }

    /// Issue 20, finding 4: 10,000 anonymous sign-in starts from one address filled the
    /// table and every later sign-in got 503. Now that address holds at most its cap and
    /// everyone else's sign-ins stay.
    #[test]
    fn one_client_cannot_crowd_out_other_sign_ins() {
        let mut flows = HashMap::new();
        admit(&mut flows, "alice".into(), flow_from("10.0.0.7")).expect("admitted");
        for n in 0..10_000 {
            admit(&mut flows, format!("flood-{n}"), flow_from("203.0.113.9")).expect("admitted");
        }
        assert!(
            flows.contains_key("alice"),
            "another client's sign-in survives"
        );
        assert_eq!(flows.len(), 1 + MAX_FLOWS_PER_CLIENT);
        assert!(
            flows.contains_key("flood-9999"),
            "the newest of the flood is kept"
        );
        admit(&mut flows, "bob".into(), flow_from("10.0.0.8")).expect("bob can sign in");
    }

    fn settings() -> OidcSettings {
        OidcSettings {
            issuer: "https://idp.example".into(),
            client_id: "fleetdesk".into(),
            client_secret: Some(Secret::new("s3cret")),
            redirect_url: "https://fleetdesk.example/auth/oidc/callback".into(),
            groups_claim: "groups".into(),
            admin_groups: vec!["fd-admins".into()],
            helpdesk_groups: vec!["fd-helpdesk".into(), "it-support".into()],
            viewer_groups: vec!["fd-viewers".into()],
            provider_name: "Example".into(),
            account_groups: Vec::new(),
        }
    }

    #[test]
    fn groups_open_the_accounts_mapped_to_them() {
        let groups = |names: &[&str]| names.iter().map(|g| g.to_string()).collect::<Vec<_>>();
        assert_eq!(
            settings().accounts_for(&groups(&["fd-admins"])),
            None,
            "no mapping: no limit"
        );
        let mapped = OidcSettings {
            account_groups: vec![
                ("fd-prod".into(), "prod".into()),
                ("fd-dev".into(), "dev".into()),
                ("fd-all".into(), "prod".into()),
                ("fd-all".into(), "dev".into()),
            ],
            ..settings()
        };
        assert_eq!(
            mapped.accounts_for(&groups(&["fd-dev"])),
            Some(vec!["dev".into()])
        );
        assert_eq!(
            mapped.accounts_for(&groups(&["fd-all", "fd-prod"])),
            Some(vec!["prod".into(), "dev".into()])
        );
        assert_eq!(
            mapped.accounts_for(&groups(&["fd-admins"])),
            Some(vec![]),
            "mapped, none: no account"
        );
    }

    #[test]
    fn the_highest_role_of_the_groups_wins() {
        let settings = settings();
        let role = |groups: &[&str]| {
            settings.role_for(&groups.iter().map(|g| g.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(role(&["fd-viewers", "fd-admins"]), Some(Role::Admin));
        assert_eq!(role(&["it-support", "fd-viewers"]), Some(Role::Helpdesk));
        assert_eq!(role(&["fd-viewers"]), Some(Role::Viewer));
        assert_eq!(role(&["FD-ADMINS", "sales"]), None, "group names are exact");
        assert_eq!(role(&[]), None);
    }

    #[test]
    fn groups_come_as_a_list_or_a_string() {
        assert_eq!(groups_of(Some(&json!(["a", "b", 3]))), vec!["a", "b"]);
        assert_eq!(groups_of(Some(&json!("a, b c"))), vec!["a", "b", "c"]);
        assert!(groups_of(Some(&json!({ "a": 1 }))).is_empty());
        assert!(groups_of(None).is_empty());
    }

    #[test]
    fn the_client_secret_never_shows() {
        let shown = format!("{:?}", settings());
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[tokio::test]
    async fn a_callback_without_its_flow_is_refused() {
        let oidc = Oidc::new(settings()).expect("settings");
        let answer = Callback {
            code: Some("code".into()),
            state: Some("state".into()),
            ..Callback::default()
        };
        assert!(matches!(
            oidc.finish(Some("never-started"), &answer).await,
            Err(OidcError::UnknownFlow)
        ));
        assert!(matches!(
            oidc.finish(None, &answer).await,
            Err(OidcError::UnknownFlow)
        ));
    }
}
