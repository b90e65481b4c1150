//! Directories and their self-service, creation and access properties.

use serde::{Deserialize, Serialize};

/// A directory with the number of WorkSpaces in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectorySummary {
    pub directory: Directory,
    pub workspaces: usize,
}

/// The directories page: directories, Regions and whether the caller may change them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectoriesView {
    pub directories: Vec<DirectorySummary>,
    pub regions: Vec<String>,
    pub can_edit: bool,
}

/// A directory registered with WorkSpaces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub id: String,
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    pub alias: Option<String>,
    pub name: Option<String>,
    pub directory_type: Option<String>,
    pub state: Option<String>,
    pub registration_code: Option<String>,
    pub dns_ip_addresses: Vec<String>,
    /// CustomerUserName: the user name of the directory's service account
    /// (000_694e23744a3a4a46.txt:3469); `None` when AWS did not say.
    #[serde(default)]
    pub customer_user_name: Option<String>,
    /// IamRoleId: the IAM role through which WorkSpaces calls other services, such as
    /// EC2, for this directory (000_694e23744a3a4a46.txt:3470); `None` when AWS did not say.
    #[serde(default)]
    pub iam_role_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub ip_group_ids: Vec<String>,
    /// What users may do to their own WorkSpaces; `None` when AWS did not say.
    #[serde(default)]
    pub self_service: Option<SelfService>,
    /// The security group WorkSpaces of this directory get.
    #[serde(default)]
    pub security_group_id: Option<String>,
    /// `SHARED` or `DEDICATED`.
    #[serde(default)]
    pub tenancy: Option<String>,
    /// What new WorkSpaces of this directory get; `None` when AWS did not say.
    #[serde(default)]
    pub creation: Option<CreationProperties>,
    /// Which client platforms may connect; `None` when AWS did not say.
    #[serde(default)]
    pub access: Option<AccessProperties>,
    /// What the WorkSpaces client may do (DescribeClientProperties); `None` when AWS
    /// did not report it.
    #[serde(default)]
    pub client: Option<ClientProperties>,
}

/// The WorkSpaces client settings of a directory (ClientProperties). Each field is
/// `None` when AWS did not report it; in a change, `None` is not sent and keeps its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientProperties {
    /// ReconnectEnabled: users may cache their credentials in the client and reconnect
    /// without entering them again (000_694e23744a3a4a46.txt:2586, :5352).
    pub reconnect: Option<bool>,
    /// LogUploadEnabled: the client may upload its diagnostic logs to WorkSpaces (in the
    /// API model of the SDK; this edition of the reference lists ReconnectEnabled only).
    pub log_upload: Option<bool>,
}

impl ClientProperties {
    /// Each setting with its form key and label, in the page's order.
    pub fn labelled(self) -> [(&'static str, &'static str, Option<bool>); 2] {
        [
            (
                "reconnect",
                "Reconnect without re-entering credentials",
                self.reconnect,
            ),
            (
                "log_upload",
                "Upload client diagnostic logs",
                self.log_upload,
            ),
        ]
    }

    /// What AWS holds once `self` is sent over `before`: fields left `None` are not sent.
    pub fn sent_over(self, before: ClientProperties) -> ClientProperties {
        ClientProperties {
            reconnect: self.reconnect.or(before.reconnect),
            log_upload: self.log_upload.or(before.log_upload),
        }
    }

    /// `ENABLED`, `DISABLED` or blank (not sent) from a form, per setting; the directory
    /// plan refuses a change that sends nothing.
    pub fn from_form(reconnect: &str, log_upload: &str) -> Result<Self, crate::error::AppError> {
        Ok(ClientProperties {
            reconnect: switch_from_form("reconnect", reconnect)?,
            log_upload: switch_from_form("log_upload", log_upload)?,
        })
    }
}

/// A setting posted as `ENABLED`, `DISABLED` or blank (left as it is, not sent) in the
/// form field `field`; anything else is refused.
pub fn switch_from_form(field: &str, value: &str) -> Result<Option<bool>, crate::error::AppError> {
    match value.trim() {
        "" => Ok(None),
        "ENABLED" => Ok(Some(true)),
        "DISABLED" => Ok(Some(false)),
        other => Err(crate::error::AppError::Validation {
            field: field.into(),
            message: format!("{other:?} is not ENABLED or DISABLED"),
        }),
    }
}

/// `ENABLED` or `DISABLED`, the API's word for a client setting.
pub fn enabled_word(on: bool) -> &'static str {
    if on { "ENABLED" } else { "DISABLED" }
}

/// The defaults a directory gives the WorkSpaces launched in it
/// (DefaultWorkspaceCreationProperties).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreationProperties {
    pub enable_internet_access: bool,
    pub user_enabled_as_local_administrator: bool,
    pub enable_maintenance_mode: bool,
    /// Organizational unit for the computer accounts, e.g. `OU=WorkSpaces,DC=corp,DC=example`.
    pub default_ou: Option<String>,
    /// A security group added to the default one, `sg-…`.
    pub custom_security_group_id: Option<String>,
    /// IAM role the WorkSpaces' instances get (ARN).
    pub instance_iam_role_arn: Option<String>,
    /// EnableWorkDocs: whether the directory's WorkSpaces get Amazon WorkDocs
    /// (000_694e23744a3a4a46.txt:3475 in DescribeWorkspaceDirectories, set with
    /// ModifyWorkspaceCreationProperties :5634). `None` when AWS did not say, and in a
    /// change: not sent, so it keeps its value. Turning it on reaches the existing
    /// WorkSpaces too (:5672); turning it off only new ones (:5668).
    #[serde(default)]
    pub enable_work_docs: Option<bool>,
}

impl CreationProperties {
    /// What AWS holds once these properties are sent over `before`: text fields and
    /// WorkDocs left `None` are not sent, so they keep their old value.
    pub fn sent_over(&self, before: &CreationProperties) -> CreationProperties {
        CreationProperties {
            default_ou: self.default_ou.clone().or(before.default_ou.clone()),
            custom_security_group_id: self
                .custom_security_group_id
                .clone()
                .or(before.custom_security_group_id.clone()),
            instance_iam_role_arn: self
                .instance_iam_role_arn
                .clone()
                .or(before.instance_iam_role_arn.clone()),
            enable_work_docs: self.enable_work_docs.or(before.enable_work_docs),
            ..self.clone()
        }
    }
}

/// How one client platform may reach a directory's WorkSpaces (an AccessPropertyValue).
///
/// `Trust` (trusted devices only: managed devices with valid certificates) exists for
/// Windows and macOS only (000_694e23744a3a4a46.txt:3683, :3690 for
/// DescribeWorkspaceDirectories; :5537, :5544 for ModifyWorkspaceAccessProperties); the
/// other platforms are `ALLOW` or `DENY`. Serialized as the API's words (`"ALLOW"`,
/// `"DENY"`, `"TRUST"`), so an audit entry's before/after reads like the API; cached
/// rows written when access was a boolean still read (`true` is `Allow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Access {
    Allow,
    /// Trusted (managed) devices only.
    Trust,
    #[default]
    Deny,
}

impl Access {
    /// Every value, in the order the page offers them.
    pub const ALL: [Access; 3] = [Access::Allow, Access::Trust, Access::Deny];

    /// The API's word: `ALLOW`, `TRUST` or `DENY`.
    pub fn as_api(self) -> &'static str {
        match self {
            Access::Allow => "ALLOW",
            Access::Trust => "TRUST",
            Access::Deny => "DENY",
        }
    }

    /// The API's word read back; `None` for anything else.
    pub fn from_api(value: &str) -> Option<Access> {
        match value {
            "ALLOW" => Some(Access::Allow),
            "TRUST" => Some(Access::Trust),
            "DENY" => Some(Access::Deny),
            _ => None,
        }
    }

    /// What the page and the CSV say.
    pub fn label(self) -> &'static str {
        match self {
            Access::Allow => "allowed",
            Access::Trust => "trusted devices only",
            Access::Deny => "denied",
        }
    }
}

impl<'de> Deserialize<'de> for Access {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Today's words, or the boolean of cache rows and audit entries written before
        /// TRUST was modelled.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Allowed(bool),
            Word(String),
        }
        match Stored::deserialize(deserializer)? {
            Stored::Allowed(true) => Ok(Access::Allow),
            Stored::Allowed(false) => Ok(Access::Deny),
            Stored::Word(word) => Access::from_api(&word)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown access value {word}"))),
        }
    }
}

/// A client platform of [`AccessProperties`]: its form key, label and whether the API
/// lets it be restricted to trusted devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    pub key: &'static str,
    pub label: &'static str,
    /// `TRUST` is allowed: Windows and macOS only (000_694e23744a3a4a46.txt:5537, :5544).
    pub trust: bool,
}

impl Platform {
    /// The values the page offers for this platform.
    pub fn choices(self) -> &'static [Access] {
        if self.trust {
            &Access::ALL
        } else {
            &[Access::Allow, Access::Deny]
        }
    }
}

/// Which client platforms may connect to a directory's WorkSpaces
/// (WorkspaceAccessProperties), each allowed, denied or (Windows, macOS) limited to
/// trusted devices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessProperties {
    pub windows: Access,
    pub macos: Access,
    pub linux: Access,
    pub web: Access,
    pub ios: Access,
    pub android: Access,
    pub chrome_os: Access,
    pub zero_client: Access,
    pub thin_client: Access,
}

impl AccessProperties {
    /// The platforms in the console's order.
    pub const PLATFORMS: [Platform; 9] = [
        Platform {
            key: "windows",
            label: "Windows",
            trust: true,
        },
        Platform {
            key: "macos",
            label: "macOS",
            trust: true,
        },
        Platform {
            key: "linux",
            label: "Linux",
            trust: false,
        },
        Platform {
            key: "web",
            label: "Web Access",
            trust: false,
        },
        Platform {
            key: "ios",
            label: "iOS",
            trust: false,
        },
        Platform {
            key: "android",
            label: "Android",
            trust: false,
        },
        Platform {
            key: "chrome_os",
            label: "ChromeOS",
            trust: false,
        },
        Platform {
            key: "zero_client",
            label: "Zero Client",
            trust: false,
        },
        Platform {
            key: "thin_client",
            label: "WorkSpaces Thin Client",
            trust: false,
        },
    ];

    /// Each platform with its access, in the console's order.
    pub fn labelled(self) -> [(Platform, Access); 9] {
        let values = [
            self.windows,
            self.macos,
            self.linux,
            self.web,
            self.ios,
            self.android,
            self.chrome_os,
            self.zero_client,
            self.thin_client,
        ];
        let mut out = [(Self::PLATFORMS[0], Access::Deny); 9];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = (Self::PLATFORMS[i], values[i]);
        }
        out
    }

    /// The access of the platform with form key `key`, if there is one.
    fn slot(&mut self, key: &str) -> Option<&mut Access> {
        Some(match key {
            "windows" => &mut self.windows,
            "macos" => &mut self.macos,
            "linux" => &mut self.linux,
            "web" => &mut self.web,
            "ios" => &mut self.ios,
            "android" => &mut self.android,
            "chrome_os" => &mut self.chrome_os,
            "zero_client" => &mut self.zero_client,
            "thin_client" => &mut self.thin_client,
            _ => return None,
        })
    }

    /// The platforms named in `keys` allowed, every other one denied.
    pub fn from_keys(keys: &[String]) -> Self {
        let mut access = AccessProperties::default();
        for key in keys {
            if let Some(slot) = access.slot(key) {
                *slot = Access::Allow;
            }
        }
        access
    }

    /// Reads the directories page's access form: one `(platform key, API word)` pair
    /// per platform. Every platform must be there exactly once, with a value the API
    /// accepts for it (TRUST for Windows and macOS only), so what is sent is exactly
    /// what the admin chose and a missing field never turns into DENY.
    pub fn from_form<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, crate::error::AppError> {
        let invalid = |field: &str, message: String| crate::error::AppError::Validation {
            field: format!("access[{field}]"),
            message,
        };
        let mut access = AccessProperties::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, word) in fields {
            let platform = Self::PLATFORMS
                .iter()
                .find(|p| p.key == key)
                .ok_or_else(|| invalid(key, "not a client platform".into()))?;
            if seen.contains(&platform.key) {
                return Err(invalid(key, "given twice".into()));
            }
            seen.push(platform.key);
            let value = Access::from_api(word)
                .filter(|value| platform.choices().contains(value))
                .ok_or_else(|| {
                    let allowed: Vec<&str> =
                        platform.choices().iter().map(|a| a.as_api()).collect();
                    invalid(
                        key,
                        format!("{} must be one of {}", platform.label, allowed.join(", ")),
                    )
                })?;
            if let Some(slot) = access.slot(platform.key) {
                *slot = value;
            }
        }
        if let Some(missing) = Self::PLATFORMS.iter().find(|p| !seen.contains(&p.key)) {
            return Err(invalid(
                missing.key,
                format!("{} is missing", missing.label),
            ));
        }
        Ok(access)
    }

    /// True when no platform may connect at all (every one denied).
    pub fn denies_everyone(self) -> bool {
        self.labelled().iter().all(|(_, a)| *a == Access::Deny)
    }

    /// The labels of the platforms with access `value`, or `none`.
    pub fn text_for(self, value: Access) -> String {
        let names: Vec<&str> = self
            .labelled()
            .iter()
            .filter(|(_, a)| *a == value)
            .map(|(p, _)| p.label)
            .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }

    /// The labels of the allowed platforms, or `none`.
    pub fn allowed_text(self) -> String {
        self.text_for(Access::Allow)
    }
}

/// A directory's self-service permissions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfService {
    pub restart: bool,
    pub increase_volume_size: bool,
    pub change_compute_type: bool,
    pub switch_running_mode: bool,
    pub rebuild: bool,
}

impl SelfService {
    /// Each permission with its label, in the console's order.
    pub fn labelled(self) -> [(&'static str, &'static str, bool); 5] {
        [
            ("restart", "Restart", self.restart),
            (
                "increase_volume_size",
                "Increase volume size",
                self.increase_volume_size,
            ),
            (
                "change_compute_type",
                "Change compute type",
                self.change_compute_type,
            ),
            (
                "switch_running_mode",
                "Switch running mode",
                self.switch_running_mode,
            ),
            ("rebuild", "Rebuild", self.rebuild),
        ]
    }
}

/// The change a directories form asks for (its `op` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryOp {
    Register,
    Deregister,
    SelfService,
    Creation,
    Access,
    Client,
}
