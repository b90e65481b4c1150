//! Several AWS accounts in one console: the accounts file (`--accounts FILE`,
//! `FLEETDESK_ACCOUNTS`) and the clients built from it.
//!
//! The file holds one `[[account]]` table per account:
//!
//! ```toml
//! [[account]]
//! name = "prod"                                   # shown in the console and the audit log
//! role_arn = "arn:aws:iam::111111111111:role/FleetdeskAdmin"  # absent: the base credentials
//! external_id = "fleetdesk-7f3c"                  # optional
//! session_name = "fleetdesk"                      # optional, default "fleetdesk"
//! regions = ["eu-west-1", "us-east-1"]            # optional, default: --regions
//! ```
//!
//! Each role is assumed with aws-config's assume-role provider on top of the standard
//! configuration chain (so `AWS_PROFILE`, instance roles and `AWS_ENDPOINT_URL_STS` work
//! as usual); the SDK caches the temporary credentials and renews them before they
//! expire. A role that cannot be assumed fails that account's calls only: its sync steps
//! are shown stale with AWS's message, the other accounts keep working.

use std::path::Path;
use std::sync::Arc;

use app::server::aws::WorkspacesApi;
use app::server::cloudwatch::CloudWatchApi;
use aws_config::SdkConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_sdk_workspaces::config::SharedCredentialsProvider;
use serde::Deserialize;

use crate::aws_sdk::SdkWorkspaces;
use crate::cloudwatch_sdk::SdkCloudWatch;
use crate::error::ServerError;

/// The longest account name accepted.
const MAX_NAME_CHARS: usize = 64;

/// The accounts file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsFile {
    #[serde(rename = "account", default)]
    pub accounts: Vec<AccountEntry>,
}

/// One `[[account]]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEntry {
    pub name: String,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    #[serde(default)]
    pub regions: Vec<String>,
}

impl AccountsFile {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Self, ServerError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            ServerError::Config(format!(
                "cannot read the accounts file {}: {error}",
                path.display()
            ))
        })?;
        Self::parse(&text)
            .map_err(|message| ServerError::Config(format!("{}: {message}", path.display())))
    }

    /// Parses and checks the text of an accounts file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: AccountsFile = toml::from_str(text).map_err(|error| error.to_string())?;
        if file.accounts.is_empty() {
            return Err("no [[account]] table".into());
        }
        for (index, account) in file.accounts.iter().enumerate() {
            check_name(&account.name)?;
            if file.accounts[..index]
                .iter()
                .any(|a| a.name == account.name)
            {
                return Err(format!("the account name {:?} is used twice", account.name));
            }
            if let Some(arn) = &account.role_arn {
                check_role_arn(arn).map_err(|m| format!("account {}: {m}", account.name))?;
            }
        }
        Ok(file)
    }

    /// One client per account and Region; an account without `regions` gets
    /// `default_regions`.
    pub async fn clients(
        &self,
        shared: &SdkConfig,
        default_regions: &[String],
    ) -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
        Ok(self
            .places(shared, default_regions)
            .await?
            .iter()
            .map(|place| {
                Arc::new(
                    SdkWorkspaces::new(&place.config, &place.region).in_account(&place.account),
                ) as Arc<dyn WorkspacesApi>
            })
            .collect())
    }

    /// One CloudWatch client per account and Region, as [`AccountsFile::clients`].
    pub async fn cloudwatch_clients(
        &self,
        shared: &SdkConfig,
        default_regions: &[String],
    ) -> Result<Vec<Arc<dyn CloudWatchApi>>, ServerError> {
        Ok(self
            .places(shared, default_regions)
            .await?
            .iter()
            .map(|place| {
                Arc::new(SdkCloudWatch::new(
                    &place.config,
                    &place.region,
                    &place.account,
                )) as Arc<dyn CloudWatchApi>
            })
            .collect())
    }

    /// Every account and Region with the configuration its clients use.
    async fn places(
        &self,
        shared: &SdkConfig,
        default_regions: &[String],
    ) -> Result<Vec<Place>, ServerError> {
        let mut places = Vec::new();
        for account in &self.accounts {
            let regions = if account.regions.is_empty() {
                default_regions
            } else {
                &account.regions
            };
            if regions.is_empty() {
                return Err(ServerError::Config(format!(
                    "account {}: no Region (give it `regions` or set FLEETDESK_REGIONS)",
                    account.name
                )));
            }
            let config = account.config(shared).await;
            for region in regions {
                places.push(Place {
                    config: config.clone(),
                    account: account.name.clone(),
                    region: region.clone(),
                });
            }
        }
        Ok(places)
    }
}

/// One configured account and Region, with the SDK configuration (its credentials)
/// that both its WorkSpaces and its CloudWatch client are built from.
struct Place {
    config: SdkConfig,
    account: String,
    region: String,
}

impl AccountEntry {
    /// The shared configuration with this account's credentials: the base ones, or the
    /// role's, assumed through STS from the base ones.
    async fn config(&self, shared: &SdkConfig) -> SdkConfig {
        let Some(role_arn) = &self.role_arn else {
            return shared.clone();
        };
        let mut builder = AssumeRoleProvider::builder(role_arn)
            .session_name(self.session_name.as_deref().unwrap_or("fleetdesk"))
            .configure(shared);
        if let Some(external_id) = &self.external_id {
            builder = builder.external_id(external_id);
        }
        let provider = builder.build().await;
        shared
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build()
    }
}

/// Names appear in URLs, menus (`name:region`, see `app::model::place_value`) and the
/// audit log: letters, digits, `-`, `_` and `.` only.
fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the account name {name:?} must be 1–{MAX_NAME_CHARS} letters, digits, '-', '_' or '.'"
        ))
    }
}

/// Refuses anything but an IAM role ARN.
fn check_role_arn(arn: &str) -> Result<(), String> {
    if app::server::directories::is_iam_role_arn(arn) {
        Ok(())
    } else {
        Err(format!(
            "{arn:?} is not an IAM role ARN (arn:aws:iam::123456789012:role/Name)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_two_accounts_is_read() {
        let file = AccountsFile::parse(
            r#"
            [[account]]
            name = "prod"
            role_arn = "arn:aws:iam::111111111111:role/FleetdeskAdmin"
            external_id = "x-1"
            regions = ["eu-west-1", "us-east-1"]

            [[account]]
            name = "dev"
            "#,
        )
        .expect("valid");
        assert_eq!(file.accounts.len(), 2);
        assert_eq!(file.accounts[0].regions, ["eu-west-1", "us-east-1"]);
        assert_eq!(
            file.accounts[1].role_arn, None,
            "dev uses the base credentials"
        );
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        let refused = |text: &str| AccountsFile::parse(text).expect_err("refused");
        assert!(refused("").contains("no [[account]]"));
        assert!(refused("[[account]]\nname = \"a:b\"").contains("letters, digits"));
        assert!(refused("[[account]]\nname = \"a\"\n[[account]]\nname = \"a\"").contains("twice"));
        assert!(
            refused("[[account]]\nname = \"a\"\nrole_arn = \"arn:aws:iam::12:role/x\"")
                .contains("not an IAM role ARN")
        );
        assert!(refused("[[account]]\nname = \"a\"\nrole = \"x\"").contains("unknown field"));
    }
}
