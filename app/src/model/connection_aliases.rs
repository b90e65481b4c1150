//! Connection aliases for cross-Region redirection: an FQDN users enter as their
//! registration code, associated with a directory per Region, and shared with other AWS
//! accounts.

use serde::{Deserialize, Serialize};

use super::Directory;

/// A connection alias as DescribeConnectionAliases reports it
/// (000_694e23744a3a4a46.txt:2734), with the accounts it is shared with
/// (DescribeConnectionAliasPermissions, :2607), which the sync stores alongside.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionAlias {
    /// The AliasId, `wsca-…`.
    pub id: String,
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    /// The FQDN, e.g. `desktop.example.com`.
    pub connection_string: String,
    /// `CREATING`, `CREATED` or `DELETING`.
    pub state: Option<String>,
    pub owner_account_id: Option<String>,
    pub associations: Vec<AliasAssociation>,
    /// The accounts the owner allowed (or no longer allows) to associate the alias.
    #[serde(default)]
    pub permissions: Vec<AliasPermission>,
    /// Why the permissions could not be read, if they could not.
    #[serde(default)]
    pub permissions_error: Option<String>,
}

/// One association of an alias with a directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AliasAssociation {
    /// The account that associated the alias.
    pub associated_account_id: Option<String>,
    /// The directory (`d-…`).
    pub resource_id: Option<String>,
    /// What goes into the DNS TXT record of the routing policy.
    pub connection_identifier: Option<String>,
    /// `NOT_ASSOCIATED`, `ASSOCIATED_WITH_OWNER_ACCOUNT`, `ASSOCIATED_WITH_SHARED_ACCOUNT`,
    /// `PENDING_ASSOCIATION` or `PENDING_DISASSOCIATION`; `None` when AWS did not say.
    pub status: Option<String>,
}

impl AliasAssociation {
    /// Whether the association holds (or is on its way in or out): every status but
    /// `NOT_ASSOCIATED`. An association AWS lists with a directory but no status counts
    /// as holding, so nothing is deleted on a guess.
    pub fn is_active(&self) -> bool {
        self.resource_id.is_some() && self.status.as_deref() != Some("NOT_ASSOCIATED")
    }
}

/// Whether one account may associate an alias (a ConnectionAliasPermission).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasPermission {
    pub account_id: String,
    pub allow_association: bool,
}

impl ConnectionAlias {
    /// The state the reference asks for before associating, disassociating or changing
    /// permissions (000_694e23744a3a4a46.txt:218, :4704, :6833).
    pub const READY: &'static str = "CREATED";

    /// The state AWS gives a new alias until it is made (000_694e23744a3a4a46.txt:2806),
    /// and so the state a new alias is cached in.
    pub const CREATING: &'static str = "CREATING";

    /// The state of an alias on its way out (000_694e23744a3a4a46.txt:2806).
    pub const DELETING: &'static str = "DELETING";

    /// What a form sends to name this alias: its account and id ([`alias_key`]). The
    /// cache keeps one copy of an alias per configured account that sees it (its
    /// owner's, and each configured account it is shared with), so the id alone does
    /// not say which copy, nor in which account a change is made.
    pub fn key(&self) -> String {
        alias_key(&self.account, &self.id)
    }

    /// The associations that hold.
    pub fn active_associations(&self) -> impl Iterator<Item = &AliasAssociation> {
        self.associations.iter().filter(|a| a.is_active())
    }

    /// The accounts allowed to associate the alias.
    pub fn shared_with(&self) -> Vec<&str> {
        self.permissions
            .iter()
            .filter(|p| p.allow_association)
            .map(|p| p.account_id.as_str())
            .collect()
    }

    /// Whether the alias may be in the state changes need: the reference names three
    /// states (000_694e23744a3a4a46.txt:2806) and changes need `CREATED`, so an alias
    /// `CREATING` or `DELETING` is not ready. A state the reference does not name (or
    /// none) is left for AWS to judge rather than refused on a guess.
    pub fn is_ready(&self) -> bool {
        !matches!(self.state.as_deref(), Some(Self::CREATING | Self::DELETING))
    }
}

/// The key of the alias `id` in the configured `account` (`""`: the one account of a
/// setup without an accounts file): `account:wsca-…`, or the bare id without accounts,
/// as [`crate::model::place_value`] writes a place.
pub fn alias_key(account: &str, id: &str) -> String {
    super::place_value(account, id)
}

/// Splits a key made by [`alias_key`] into (account, alias id).
pub fn split_alias_key(key: &str) -> (&str, &str) {
    super::split_place(key.trim())
}

/// The connection aliases page: aliases, the directories they can be associated with,
/// the Regions, and whether the caller may change them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectionAliasesView {
    pub aliases: Vec<ConnectionAlias>,
    pub directories: Vec<Directory>,
    pub regions: Vec<String>,
    pub can_edit: bool,
}

/// The change a connection aliases form asks for (its `op` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasOp {
    Create,
    Delete,
    Associate,
    Disassociate,
    Share,
    Unshare,
}

/// The longest connection string the API takes.
pub const MAX_CONNECTION_STRING: usize = 255;

/// Checks a connection string: a fully qualified domain name such as
/// `www.example.com` (000_694e23744a3a4a46.txt:678, :2843), of at most
/// [`MAX_CONNECTION_STRING`] characters, made of letters, digits, hyphens and dots (the
/// API's pattern `^[.0-9a-zA-Z\-]{1,255}$`), with two or more labels of 1–63 characters
/// that neither start nor end with a hyphen. Returns it trimmed and in lower case (DNS
/// names do not differ by case).
pub fn check_connection_string(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('.');
    if value.is_empty() {
        return Err("give the connection string, a domain name such as desktop.example.com".into());
    }
    if value.len() > MAX_CONNECTION_STRING {
        return Err(format!(
            "a connection string has at most {MAX_CONNECTION_STRING} characters"
        ));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
    {
        return Err(format!(
            "{bad:?} is not allowed: letters, digits, hyphens and dots only"
        ));
    }
    let labels: Vec<&str> = value.split('.').collect();
    if labels.len() < 2 {
        return Err(format!(
            "{value} is not a fully qualified domain name (e.g. desktop.example.com)"
        ));
    }
    for label in &labels {
        if label.is_empty() || label.len() > 63 {
            return Err(format!(
                "each part between dots needs 1 to 63 characters ({value})"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "{label} starts or ends with a hyphen, which a domain name cannot"
            ));
        }
    }
    Ok(value.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 000_694e23744a3a4a46.txt:678: "a fully qualified domain name (FQDN), such as
    /// www.example.com".
    #[test]
    fn connection_strings_are_fully_qualified_domain_names() {
        assert_eq!(
            check_connection_string(" Desktop.Example.com. "),
            Ok("desktop.example.com".into())
        );
        assert_eq!(
            check_connection_string("www.example.com"),
            Ok("www.example.com".into())
        );
        for bad in [
            "",
            "localhost",
            "desk top.example.com",
            "desktop..example.com",
            "-desk.example.com",
            "desk-.example.com",
            "desk_top.example.com",
            "https://desktop.example.com",
        ] {
            assert!(check_connection_string(bad).is_err(), "{bad:?} accepted");
        }
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert!(check_connection_string(&long_label).is_err());
        let long = format!("{}.com", ["abcdefghij"; 25].join("."));
        assert!(long.len() > MAX_CONNECTION_STRING);
        assert!(check_connection_string(&long).is_err());
    }

    #[test]
    fn an_alias_key_names_its_account_and_id() {
        assert_eq!(alias_key("prod", "wsca-1"), "prod:wsca-1");
        assert_eq!(split_alias_key("prod:wsca-1"), ("prod", "wsca-1"));
        assert_eq!(alias_key("", "wsca-1"), "wsca-1");
        assert_eq!(split_alias_key(" wsca-1 "), ("", "wsca-1"));
    }

    #[test]
    fn only_holding_associations_count() {
        let association = |status: Option<&str>, resource: Option<&str>| AliasAssociation {
            associated_account_id: None,
            resource_id: resource.map(str::to_string),
            connection_identifier: None,
            status: status.map(str::to_string),
        };
        assert!(association(Some("ASSOCIATED_WITH_OWNER_ACCOUNT"), Some("d-1")).is_active());
        assert!(association(Some("PENDING_DISASSOCIATION"), Some("d-1")).is_active());
        assert!(association(None, Some("d-1")).is_active());
        assert!(!association(Some("NOT_ASSOCIATED"), Some("d-1")).is_active());
        assert!(!association(None, None).is_active());
    }
}
