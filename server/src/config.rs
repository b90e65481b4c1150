//! Configuration from command-line flags and environment variables.
//!
//! Every option is a flag with an environment variable behind it, documented here so
//! that `fleetdesk --help` is the reference. AWS itself is configured the standard way
//! (`AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL_WORKSPACES`, SSO, instance roles).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::Duration;

use app::model::HealthThresholds;
use app::server::aws::WorkspacesApi;
use app::server::cloudwatch::CloudWatchApi;
use app::server::oidc::{OidcSettings, Secret};
use app::server::rate_limit::{RateLimited, RateLimitedCloudWatch};
use app::server::sync::SyncSettings;
use aws_config::{BehaviorVersion, SdkConfig};

use crate::aws_sdk::SdkWorkspaces;
use crate::cloudwatch_sdk::SdkCloudWatch;
use crate::error::ServerError;

/// Options every command shares: where the data lives and which fleet to manage.
#[derive(clap::Args, Debug, Clone)]
pub struct CommonArgs {
    /// Database URL: SQLite (embedded, one process), e.g.
    /// `sqlite:///var/lib/fleetdesk/fleetdesk.db`, or PostgreSQL (shared by several
    /// nodes), e.g. `postgres://fleetdesk@db.internal/fleetdesk`.
    /// [default: `fleetdesk.db` in the data directory; `fleetdesk-demo.db` in demo mode]
    #[arg(long, env = "FLEETDESK_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Directory for the default database, created if missing.
    /// [default: `$XDG_DATA_HOME/fleetdesk`, else `~/.local/share/fleetdesk`]
    #[arg(long, env = "FLEETDESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Comma-separated AWS Regions whose WorkSpaces Fleetdesk manages, e.g.
    /// `eu-west-1,us-east-1`. [default: the Region of the AWS configuration]
    #[arg(long, env = "FLEETDESK_REGIONS", value_delimiter = ',')]
    pub regions: Vec<String>,

    /// TOML file naming several AWS accounts, one `[[account]]` table each: `name`,
    /// `role_arn` (assumed through STS; absent: the base credentials), `external_id`,
    /// `session_name`, `regions` (default: --regions). Without it Fleetdesk manages the
    /// one account of the AWS configuration. See the README for an example and the IAM
    /// policies.
    #[arg(long, env = "FLEETDESK_ACCOUNTS")]
    pub accounts: Option<PathBuf>,

    /// Serve a built-in emulated fleet (2 Regions, about 280 WorkSpaces) instead of
    /// AWS. Needs no AWS credentials; keeps its data in a separate database file.
    #[arg(
        long,
        env = "FLEETDESK_DEMO",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub demo: bool,

    /// File holding the secret that keys the audit log's hash chain (HMAC-SHA256),
    /// created with mode 0600 at first start. Keep it out of database backups' reach.
    /// [default: `audit.key` in the data directory]
    #[arg(long, env = "FLEETDESK_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
}

/// How the inventory sync talks to AWS.
#[derive(clap::Args, Debug, Clone)]
pub struct SyncArgs {
    /// Minutes between two background syncs of the inventory.
    #[arg(long, env = "FLEETDESK_SYNC_INTERVAL_MINUTES", default_value_t = 15)]
    pub sync_interval_minutes: u64,

    /// Most WorkSpaces API requests per second, per Region (AWS throttles at a few).
    #[arg(long, env = "FLEETDESK_RATE_LIMIT", default_value_t = 2.0)]
    pub rate_limit: f64,
}

impl SyncArgs {
    pub fn settings(&self) -> SyncSettings {
        SyncSettings {
            interval: Duration::from_secs(self.sync_interval_minutes.max(1) * 60),
            ..SyncSettings::default()
        }
    }

    /// Puts each Region's client behind the configured request rate.
    pub fn rate_limited(
        &self,
        clients: Vec<Arc<dyn WorkspacesApi>>,
    ) -> Vec<Arc<dyn WorkspacesApi>> {
        clients
            .into_iter()
            .map(|client| {
                Arc::new(RateLimited::new(client, self.rate_limit)) as Arc<dyn WorkspacesApi>
            })
            .collect()
    }
}

/// Session lifetime and cookie settings.
#[derive(clap::Args, Debug, Clone)]
pub struct SessionArgs {
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "FLEETDESK_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,

    /// Hours after login at which a session ends, however active.
    #[arg(long, env = "FLEETDESK_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,

    /// Send the session cookie over plain HTTP too (no `Secure` flag). Only for setups
    /// without HTTPS; demo mode on a loopback address does this by itself.
    #[arg(
        long,
        env = "FLEETDESK_INSECURE_COOKIES",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub insecure_cookies: bool,

    /// Comma-separated addresses of reverse proxies in front of Fleetdesk. From these
    /// peers the client address is taken from `X-Forwarded-For` (for the login throttle
    /// and the audit log); from anyone else the header is ignored.
    #[arg(long, env = "FLEETDESK_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Single sign-on through an OpenID Connect provider, and whether passwords still work.
/// Without an issuer nothing changes: password sign-in only.
#[derive(clap::Args, Debug, Clone)]
pub struct SsoArgs {
    /// The OpenID Connect issuer URL, exactly as the provider's
    /// `.well-known/openid-configuration` states it, e.g.
    /// `https://login.microsoftonline.com/TENANT/v2.0`. Turns single sign-on on.
    #[arg(long, env = "FLEETDESK_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,

    /// The client (application) id registered at the provider.
    #[arg(long, env = "FLEETDESK_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// The client secret; leave unset for a public client (PKCE only).
    #[arg(long, env = "FLEETDESK_OIDC_CLIENT_SECRET", hide_env_values = true,
          value_parser = |value: &str| Ok::<_, std::convert::Infallible>(Secret::new(value)))]
    pub oidc_client_secret: Option<Secret>,

    /// The callback URL registered at the provider.
    /// [default: `https://ADDR/auth/oidc/callback` from `--addr`, `http://` with insecure
    /// cookies; set it when Fleetdesk is behind a reverse proxy]
    #[arg(long, env = "FLEETDESK_OIDC_REDIRECT_URL")]
    pub oidc_redirect_url: Option<String>,

    /// The ID token claim that lists the user's groups.
    #[arg(long, env = "FLEETDESK_OIDC_GROUPS_CLAIM", default_value = "groups")]
    pub oidc_groups_claim: String,

    /// Comma-separated groups whose members are admins.
    #[arg(long, env = "FLEETDESK_OIDC_ADMIN_GROUPS", value_delimiter = ',')]
    pub oidc_admin_groups: Vec<String>,

    /// Comma-separated groups whose members are help desk users.
    #[arg(long, env = "FLEETDESK_OIDC_HELPDESK_GROUPS", value_delimiter = ',')]
    pub oidc_helpdesk_groups: Vec<String>,

    /// Comma-separated groups whose members are viewers. Someone in none of the three
    /// lists is refused; someone in several gets the highest role.
    #[arg(long, env = "FLEETDESK_OIDC_VIEWER_GROUPS", value_delimiter = ',')]
    pub oidc_viewer_groups: Vec<String>,

    /// Comma-separated `group=account` pairs: a single sign-on user may use the accounts
    /// of the groups they are in (and no other). Unset: SSO users are not limited by
    /// groups. Needs --accounts.
    #[arg(long, env = "FLEETDESK_OIDC_ACCOUNT_GROUPS", value_delimiter = ',')]
    pub oidc_account_groups: Vec<String>,

    /// The provider's name on the login page's button ("Sign in with NAME").
    #[arg(
        long,
        env = "FLEETDESK_OIDC_PROVIDER_NAME",
        default_value = "single sign-on"
    )]
    pub oidc_provider_name: String,

    /// Password sign-in on or off (`FLEETDESK_LOCAL_LOGIN=0`: single sign-on only; the
    /// server then refuses password logins). Needs an issuer when off.
    #[arg(
        long,
        env = "FLEETDESK_LOCAL_LOGIN",
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub local_login: bool,
}

impl SsoArgs {
    /// `FLEETDESK_OIDC_ACCOUNT_GROUPS` as (group, account) pairs.
    fn account_groups(&self) -> Result<Vec<(String, String)>, ServerError> {
        self.oidc_account_groups
            .iter()
            .map(|pair| pair.trim())
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((group, account))
                    if !group.trim().is_empty() && !account.trim().is_empty() =>
                {
                    Ok((group.trim().to_string(), account.trim().to_string()))
                }
                _ => Err(ServerError::Config(format!(
                    "FLEETDESK_OIDC_ACCOUNT_GROUPS: {pair:?} is not group=account"
                ))),
            })
            .collect()
    }

    /// The single sign-on settings, or `None` without an issuer. `default_redirect` is
    /// this server's callback URL from its listen address.
    pub fn settings(&self, default_redirect: String) -> Result<Option<OidcSettings>, ServerError> {
        let Some(issuer) = self
            .oidc_issuer
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        else {
            if !self.local_login {
                return Err(ServerError::Config(
                    "FLEETDESK_LOCAL_LOGIN=0 needs single sign-on (FLEETDESK_OIDC_ISSUER), \
                     or nobody could sign in"
                        .into(),
                ));
            }
            return Ok(None);
        };
        let client_id = self
            .oidc_client_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                ServerError::Config("FLEETDESK_OIDC_ISSUER needs FLEETDESK_OIDC_CLIENT_ID".into())
            })?;
        let groups = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|group| group.trim().to_string())
                .filter(|group| !group.is_empty())
                .collect()
        };
        let settings = OidcSettings {
            issuer: issuer.to_string(),
            client_id: client_id.to_string(),
            client_secret: self.oidc_client_secret.clone(),
            redirect_url: self.oidc_redirect_url.clone().unwrap_or(default_redirect),
            groups_claim: self.oidc_groups_claim.trim().to_string(),
            admin_groups: groups(&self.oidc_admin_groups),
            helpdesk_groups: groups(&self.oidc_helpdesk_groups),
            viewer_groups: groups(&self.oidc_viewer_groups),
            provider_name: self.oidc_provider_name.trim().to_string(),
            account_groups: self.account_groups()?,
        };
        if settings.admin_groups.is_empty()
            && settings.helpdesk_groups.is_empty()
            && settings.viewer_groups.is_empty()
        {
            return Err(ServerError::Config(
                "single sign-on needs at least one of FLEETDESK_OIDC_ADMIN_GROUPS, \
                 FLEETDESK_OIDC_HELPDESK_GROUPS or FLEETDESK_OIDC_VIEWER_GROUPS"
                    .into(),
            ));
        }
        Ok(Some(settings))
    }
}

/// Session health from CloudWatch: its pace and the values that mean trouble.
#[derive(clap::Args, Debug, Clone)]
pub struct HealthArgs {
    /// Most CloudWatch GetMetricData requests per second, per account and Region.
    #[arg(long, env = "FLEETDESK_CLOUDWATCH_RATE_LIMIT", default_value_t = 5.0)]
    pub cloudwatch_rate_limit: f64,

    /// In-session latency (ms) at or above which a WorkSpace is in trouble.
    #[arg(long, env = "FLEETDESK_HEALTH_LATENCY_MS", default_value_t = 250.0)]
    pub health_latency_ms: f64,

    /// UDP packet loss (%) at or above which a WorkSpace is in trouble.
    #[arg(
        long,
        env = "FLEETDESK_HEALTH_PACKET_LOSS_PERCENT",
        default_value_t = 5.0
    )]
    pub health_packet_loss_percent: f64,

    /// CPU, memory and disk use (%) at or above which a WorkSpace is in trouble.
    #[arg(long, env = "FLEETDESK_HEALTH_USAGE_PERCENT", default_value_t = 90.0)]
    pub health_usage_percent: f64,

    /// Minutes between two fleet-wide session-health refreshes (`/health`).
    #[arg(long, env = "FLEETDESK_HEALTH_REFRESH_MINUTES", default_value_t = 15)]
    pub health_refresh_minutes: u64,

    /// Most CloudWatch metrics one refresh requests (7 per running WorkSpace; CloudWatch
    /// bills $0.01 per 1,000). The default reads 1,000 WorkSpaces, connected ones first.
    #[arg(long, env = "FLEETDESK_HEALTH_BUDGET_METRICS", default_value_t = app::server::health::DEFAULT_BUDGET_METRICS)]
    pub health_budget_metrics: usize,
}

impl HealthArgs {
    /// The thresholds the cards and lists mark.
    pub fn thresholds(&self) -> HealthThresholds {
        HealthThresholds {
            latency_ms: self.health_latency_ms,
            packet_loss_percent: self.health_packet_loss_percent,
            cpu_percent: self.health_usage_percent,
            memory_percent: self.health_usage_percent,
            disk_percent: self.health_usage_percent,
            ..HealthThresholds::default()
        }
    }

    /// Puts each CloudWatch client behind the configured request rate.
    pub fn rate_limited(
        &self,
        clients: Vec<Arc<dyn CloudWatchApi>>,
    ) -> Vec<Arc<dyn CloudWatchApi>> {
        clients
            .into_iter()
            .map(|client| {
                Arc::new(RateLimitedCloudWatch::new(
                    client,
                    self.cloudwatch_rate_limit,
                )) as Arc<dyn CloudWatchApi>
            })
            .collect()
    }
}

/// Cost insight (`/cost`): the running-mode rules' settings and the prices.
#[derive(clap::Args, Debug, Clone)]
pub struct CostArgs {
    /// The tag key that leaves a WorkSpace's running mode alone, whatever its value
    /// (Cost Optimizer for Amazon WorkSpaces uses `Skip_Convert`).
    #[arg(long, env = "FLEETDESK_COST_SKIP_TAG", default_value = "Skip_Convert")]
    pub cost_skip_tag: String,

    /// Days without a user connection after which a WorkSpace counts as unused.
    #[arg(long, env = "FLEETDESK_COST_UNUSED_DAYS", default_value_t = 30)]
    pub cost_unused_days: i64,

    /// Billable hours a month above which ALWAYS_ON is cheaper, per compute type, as
    /// `STANDARD=85,VALUE=81`; compute types not named keep Cost Optimizer's defaults
    /// (VALUE 81, STANDARD 85, PERFORMANCE 80, POWER 92, POWERPRO 78, GRAPHICS_G4DN 334,
    /// GRAPHICSPRO_G4DN 80).
    #[arg(long, env = "FLEETDESK_COST_LIMITS", default_value = "")]
    pub cost_limits: String,

    /// Most CloudWatch metrics the daily usage reading requests in 24 hours (one per
    /// WorkSpace; $0.01 per 1,000). A larger fleet is read in turns, the longest unread
    /// first.
    #[arg(long, env = "FLEETDESK_COST_BUDGET_METRICS", default_value_t = app::server::cost::DEFAULT_BUDGET_METRICS)]
    pub cost_budget_metrics: usize,

    /// A CSV file of prices (`region,compute_type,bundle_id,always_on_monthly,
    /// auto_stop_monthly,auto_stop_hourly,currency`), for savings in money. Without it
    /// `/cost` shows hours only.
    #[arg(long, env = "FLEETDESK_PRICES")]
    pub prices: Option<PathBuf>,

    /// The month-end cost policy: `off`; `dry-run` (on the month's last day, one audit
    /// entry naming what it would switch); `switch` (switches every recommended WorkSpace
    /// through the audited change path, as "scheduled cost policy").
    #[arg(long, env = "FLEETDESK_COST_SCHEDULE", default_value = "off")]
    pub cost_schedule: String,
}

impl CostArgs {
    /// The settings, with the limits and the prices file read.
    pub fn settings(&self) -> Result<app::server::cost::CostSettings, ServerError> {
        let mut limits = app::model::ModeLimits::default();
        for pair in self
            .cost_limits
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let bad = || {
                ServerError::Config(format!(
                    "--cost-limits: {pair:?} is not COMPUTE_TYPE=HOURS (e.g. STANDARD=85)"
                ))
            };
            let (compute, hours) = pair.split_once('=').ok_or_else(bad)?;
            let hours: f64 = hours.trim().parse().map_err(|_| bad())?;
            if !hours.is_finite() || hours < 0.0 {
                return Err(bad());
            }
            limits.set(compute.trim(), hours);
        }
        let prices = match &self.prices {
            None => None,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    ServerError::Config(format!("--prices {}: {error}", path.display()))
                })?;
                Some(app::model::PriceList::parse(&text).map_err(|error| {
                    ServerError::Config(format!("--prices {}: {error}", path.display()))
                })?)
            }
        };
        let schedule =
            app::server::cost::Schedule::parse(&self.cost_schedule).ok_or_else(|| {
                ServerError::Config(format!(
                    "--cost-schedule {:?}: off, dry-run or switch",
                    self.cost_schedule
                ))
            })?;
        Ok(app::server::cost::CostSettings {
            schedule,
            limits,
            skip_tag: self.cost_skip_tag.trim().to_string(),
            unused_days: self.cost_unused_days.max(1),
            budget_metrics: self.cost_budget_metrics,
            prices,
        })
    }
}

/// Options of `fleetdesk serve`.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub sync: SyncArgs,

    #[command(flatten)]
    pub session: SessionArgs,

    #[command(flatten)]
    pub sso: SsoArgs,

    #[command(flatten)]
    pub health: HealthArgs,

    #[command(flatten)]
    pub cost: CostArgs,

    /// Address and port to listen on.
    #[arg(long, env = "FLEETDESK_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Directory holding the built site (`pkg/` with the wasm, JS and CSS).
    /// [default: `site` next to the binary, then `../site` (cargo-leptos' `target/site`),
    /// then `./target/site`]
    #[arg(long, env = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Seconds a page, export or read request may take before it is ended with
    /// 503 Service Unavailable. Changes sent to AWS may take up to fifteen minutes.
    #[arg(long, env = "FLEETDESK_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    pub request_timeout_seconds: u64,

    /// Seconds a client may take to send a request's headers (and a kept-alive
    /// connection may stay idle); slower connections are closed.
    #[arg(long, env = "FLEETDESK_HEADER_TIMEOUT_SECONDS", default_value_t = 10)]
    pub header_timeout_seconds: u64,

    /// Connections served at once; more wait until one closes.
    #[arg(long, env = "FLEETDESK_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Serve Prometheus metrics at `/metrics` to scrapers sending
    /// `Authorization: Bearer <token>`. Without it there is no `/metrics`.
    #[arg(long, env = "FLEETDESK_METRICS_TOKEN")]
    pub metrics_token: Option<MetricsToken>,
}

/// The bearer token of `/metrics`; never printed.
#[derive(Clone)]
pub struct MetricsToken(pub String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

impl std::str::FromStr for MetricsToken {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.chars().count() < 16 {
            return Err("use a metrics token of at least 16 characters".into());
        }
        Ok(MetricsToken(text.to_string()))
    }
}

impl CommonArgs {
    /// The data directory (created).
    fn data_dir(&self) -> Result<PathBuf, ServerError> {
        let dir = match &self.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir()?,
        };
        std::fs::create_dir_all(&dir).map_err(|error| {
            ServerError::Config(format!(
                "cannot create data directory {}: {error}",
                dir.display()
            ))
        })?;
        Ok(dir)
    }

    /// The audit key file: the configured one, or `audit.key` in the data directory.
    pub fn audit_key_path(&self) -> Result<PathBuf, ServerError> {
        match &self.audit_key_file {
            Some(path) => Ok(path.clone()),
            None => Ok(self.data_dir()?.join("audit.key")),
        }
    }

    /// Opens the database (migrated) and keys the audit chain with the key file.
    pub async fn connect(&self) -> Result<sqlx::AnyPool, ServerError> {
        let path = self.audit_key_path()?;
        let key = crate::audit_key::load_or_create(&path)?;
        let pool = crate::db::connect(&self.database_url()?).await?;
        // A new key keys the entries after the current head; older ones keep their hashes.
        let keyed_from = match key.keyed_from {
            Some(seq) => seq,
            None => {
                let next = app::server::repo::audit::head(&pool)
                    .await?
                    .map_or(1, |head| head.seq + 1);
                crate::audit_key::record_keyed_from(&path, next)?;
                next
            }
        };
        if !app::server::repo::audit::set_chain_key(key.key, keyed_from) {
            return Err(ServerError::Config(
                "a different audit key is already loaded".into(),
            ));
        }
        Ok(pool)
    }

    /// The database URL: the configured one, or a file in the data directory (created).
    pub fn database_url(&self) -> Result<String, ServerError> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        let dir = self.data_dir()?;
        let file = if self.demo {
            "fleetdesk-demo.db"
        } else {
            "fleetdesk.db"
        };
        Ok(format!("sqlite://{}", dir.join(file).display()))
    }

    /// The account names of the accounts file; empty without one.
    pub fn account_names(&self) -> Result<Vec<String>, ServerError> {
        Ok(match &self.accounts {
            Some(path) => crate::accounts::AccountsFile::load(path)?
                .accounts
                .into_iter()
                .map(|account| account.name)
                .collect(),
            None => Vec::new(),
        })
    }

    /// The fleet's clients: the demo emulator's, or AWS's from the configuration chain.
    pub async fn clients(&self) -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
        if self.demo {
            demo_fleet().await
        } else {
            self.aws_clients().await
        }
    }

    /// The shared configuration from the standard AWS configuration chain, the accounts
    /// file (if any) and the Regions, refused when no Region is configured at all.
    async fn aws_setup(
        &self,
    ) -> Result<
        (
            SdkConfig,
            Option<crate::accounts::AccountsFile>,
            Vec<String>,
        ),
        ServerError,
    > {
        let shared = aws_config::defaults(BehaviorVersion::latest()).load().await;
        let accounts = self
            .accounts
            .as_deref()
            .map(crate::accounts::AccountsFile::load)
            .transpose()?;
        let regions: Vec<String> = if self.regions.is_empty() {
            shared
                .region()
                .map(|region| vec![region.to_string()])
                .unwrap_or_default()
        } else {
            self.regions
                .iter()
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect()
        };
        if accounts.is_none() && regions.is_empty() {
            return Err(ServerError::Config(
                "no AWS Region configured: set FLEETDESK_REGIONS, AWS_REGION or a profile \
                 Region, or start with --demo for the emulated fleet"
                    .into(),
            ));
        }
        Ok((shared, accounts, regions))
    }

    /// One SDK client per configured Region (and account, with an accounts file), from
    /// the standard AWS configuration chain.
    pub async fn aws_clients(&self) -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
        let (shared, accounts, regions) = self.aws_setup().await?;
        if let Some(accounts) = accounts {
            return accounts.clients(&shared, &regions).await;
        }
        Ok(regions
            .iter()
            .map(|region| Arc::new(SdkWorkspaces::new(&shared, region)) as Arc<dyn WorkspacesApi>)
            .collect())
    }

    /// The CloudWatch clients of the same accounts and Regions; in demo mode, the demo's
    /// own over `fleet` (the demo's WorkSpaces clients).
    pub async fn cloudwatch_clients(
        &self,
        fleet: &[Arc<dyn WorkspacesApi>],
    ) -> Result<Vec<Arc<dyn CloudWatchApi>>, ServerError> {
        if self.demo {
            return demo_cloudwatch(fleet);
        }
        let (shared, accounts, regions) = self.aws_setup().await?;
        if let Some(accounts) = accounts {
            return accounts.cloudwatch_clients(&shared, &regions).await;
        }
        Ok(regions
            .iter()
            .map(|region| {
                Arc::new(SdkCloudWatch::new(&shared, region, "")) as Arc<dyn CloudWatchApi>
            })
            .collect())
    }
}

fn default_data_dir() -> Result<PathBuf, ServerError> {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("fleetdesk"));
    }
    match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".local/share/fleetdesk")),
        None => Err(ServerError::Config(
            "no data directory: set FLEETDESK_DATA_DIR or FLEETDESK_DATABASE_URL".into(),
        )),
    }
}

/// Where the built site is: the configured directory, or the first candidate near the
/// binary or the working directory that holds a `pkg/` folder.
pub fn site_root(configured: Option<&Path>) -> PathBuf {
    if let Some(dir) = configured {
        return dir.to_path_buf();
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    let mut candidates = Vec::new();
    if let Some(dir) = exe_dir {
        candidates.push(dir.join("site"));
        candidates.push(dir.join("../site"));
    }
    candidates.push(PathBuf::from("target/site"));
    candidates
        .iter()
        .find(|dir| dir.join("pkg").is_dir())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("target/site"))
}

/// The demo fleet's clients (the `demo` feature).
#[cfg(feature = "demo")]
async fn demo_fleet() -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
    crate::demo::demo_fleet().await
}

/// The demo's CloudWatch (the `demo` feature).
#[cfg(feature = "demo")]
fn demo_cloudwatch(
    fleet: &[Arc<dyn WorkspacesApi>],
) -> Result<Vec<Arc<dyn CloudWatchApi>>, ServerError> {
    Ok(crate::demo::demo_cloudwatch(fleet))
}

/// Without the `demo` feature there is no demo CloudWatch either.
#[cfg(not(feature = "demo"))]
fn demo_cloudwatch(
    _fleet: &[Arc<dyn WorkspacesApi>],
) -> Result<Vec<Arc<dyn CloudWatchApi>>, ServerError> {
    Ok(Vec::new())
}

/// A build without the `demo` feature has no emulator to serve.
#[cfg(not(feature = "demo"))]
async fn demo_fleet() -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
    Err(ServerError::Config(
        "this fleetdesk was built without the demo fleet (cargo feature `demo`); \
         serve your AWS fleet, or build with the default features"
            .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(database_url: Option<&str>, data_dir: &Path, demo: bool) -> CommonArgs {
        CommonArgs {
            database_url: database_url.map(str::to_string),
            data_dir: Some(data_dir.to_path_buf()),
            regions: vec![],
            accounts: None,
            demo,
            audit_key_file: None,
        }
    }

    #[test]
    fn demo_and_real_fleets_use_separate_database_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("nested");
        let real = common(None, &data, false).database_url().expect("url");
        let demo = common(None, &data, true).database_url().expect("url");
        assert!(real.ends_with("nested/fleetdesk.db"), "{real}");
        assert!(demo.ends_with("nested/fleetdesk-demo.db"), "{demo}");
        assert!(data.is_dir(), "the data directory is created");
    }

    #[test]
    fn an_explicit_database_url_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = common(Some("sqlite::memory:"), dir.path(), true)
            .database_url()
            .expect("url");
        assert_eq!(url, "sqlite::memory:");
    }

    fn sso(issuer: Option<&str>, local_login: bool, admin_groups: &[&str]) -> SsoArgs {
        SsoArgs {
            oidc_issuer: issuer.map(str::to_string),
            oidc_client_id: Some("fleetdesk".into()),
            oidc_client_secret: Some(Secret::new("s3cret")),
            oidc_redirect_url: None,
            oidc_groups_claim: "groups".into(),
            oidc_admin_groups: admin_groups.iter().map(|g| g.to_string()).collect(),
            oidc_helpdesk_groups: vec![],
            oidc_viewer_groups: vec![" ".into()],
            oidc_account_groups: vec![],
            oidc_provider_name: "Okta".into(),
            local_login,
        }
    }

    #[test]
    fn single_sign_on_needs_an_issuer_a_client_and_a_group() {
        let redirect = || "http://127.0.0.1:3000/auth/oidc/callback".to_string();
        assert!(
            sso(None, true, &[])
                .settings(redirect())
                .expect("ok")
                .is_none()
        );
        assert!(
            sso(None, false, &["a"]).settings(redirect()).is_err(),
            "nobody could sign in"
        );
        assert!(
            sso(Some("https://idp"), true, &[])
                .settings(redirect())
                .is_err()
        );
        let settings = sso(Some("https://idp"), false, &["fd-admins"])
            .settings(redirect())
            .expect("ok")
            .expect("on");
        assert_eq!(settings.redirect_url, redirect());
        assert_eq!(settings.admin_groups, vec!["fd-admins"]);
        assert!(
            settings.viewer_groups.is_empty(),
            "blank groups are dropped"
        );
        assert!(!format!("{settings:?}").contains("s3cret"));
    }

    #[test]
    fn site_root_prefers_the_configured_directory() {
        assert_eq!(
            site_root(Some(Path::new("/srv/site"))),
            PathBuf::from("/srv/site")
        );
    }
}
