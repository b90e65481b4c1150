//! Application management (release note 2023-10, 004_989ae404788726c9.txt): the catalog
//! of applications AWS can install on WorkSpaces, and their associations with WorkSpaces,
//! bundles and images. Shared by the server and the pages so both judge compatibility
//! (an application supports some operating systems and compute types) the same way.

use serde::{Deserialize, Serialize};

/// One application of a Region's catalog (DescribeApplications,
/// 004_989ae404788726c9.txt:150).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub region: String,
    /// The configured account it belongs to (`""`: the one account of a setup
    /// without an accounts file).
    #[serde(default)]
    pub account: String,
    pub name: String,
    pub description: Option<String>,
    /// `LICENSED` (AWS provides the licence) or `UNLICENSED` (bring your own).
    pub license_type: Option<String>,
    pub owner: Option<String>,
    /// `PENDING`, `ERROR`, `AVAILABLE` or `UNINSTALL_ONLY` (004_989ae404788726c9.txt:157).
    pub state: Option<String>,
    /// SupportedComputeTypeNames, e.g. `STANDARD`.
    pub compute_types: Vec<String>,
    /// SupportedOperatingSystemNames, e.g. `WINDOWS_SERVER_2022`.
    pub operating_systems: Vec<String>,
    pub created: Option<String>,
}

impl Application {
    /// This application in `region`'s catalog: the same id, or the same name (two
    /// Regions' catalogs name the same application).
    pub fn in_region<'a>(
        &self,
        catalog: &'a [Application],
        region: &str,
    ) -> Option<&'a Application> {
        catalog
            .iter()
            .find(|a| a.region == region && a.id == self.id)
            .or_else(|| {
                catalog
                    .iter()
                    .find(|a| a.region == region && a.name == self.name)
            })
    }

    /// Why this application cannot be associated with a WorkSpace running
    /// `operating_system` on `compute_type`, if it cannot: it must list both among its
    /// supported names (004_989ae404788726c9.txt:158-162), and be installable (an
    /// `UNINSTALL_ONLY` or failed application takes no new associations). A WorkSpace whose
    /// system or compute type is not known yet is refused too: AWS would decide blind.
    pub fn refusal(
        &self,
        operating_system: Option<&str>,
        compute_type: Option<&str>,
    ) -> Option<String> {
        if let Some(state) = self.state.as_deref().filter(|s| *s != "AVAILABLE") {
            return Some(format!("{} is {state}, not AVAILABLE", self.name));
        }
        let Some(os) = operating_system else {
            return Some("the WorkSpace's operating system is not known yet (run a sync)".into());
        };
        if !self
            .operating_systems
            .iter()
            .any(|supported| supported == os)
        {
            return Some(format!(
                "{} does not support {}",
                self.name,
                super::operating_system_label(os)
            ));
        }
        let Some(compute) = compute_type else {
            return Some("the WorkSpace's compute type is not known yet (run a sync)".into());
        };
        if !self
            .compute_types
            .iter()
            .any(|supported| supported == compute)
        {
            return Some(format!(
                "{} does not support the {compute} compute type",
                self.name
            ));
        }
        None
    }
}

/// The states of an association (004_989ae404788726c9.txt:53).
pub const ASSOCIATION_STATES: [&str; 9] = [
    "PENDING_INSTALL",
    "PENDING_INSTALL_DEPLOYMENT",
    "PENDING_UNINSTALL",
    "PENDING_UNINSTALL_DEPLOYMENT",
    "INSTALLING",
    "UNINSTALLING",
    "ERROR",
    "COMPLETED",
    "REMOVED",
];

/// An association between an application and a WorkSpace, bundle or image, whichever
/// call reported it (DescribeApplicationAssociations, DescribeWorkspaceAssociations,
/// DescribeBundleAssociations, DescribeImageAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppAssociation {
    pub application_id: String,
    /// `WORKSPACE`, `BUNDLE` or `IMAGE`.
    pub resource_type: String,
    /// The WorkSpace, bundle or image id.
    pub resource_id: String,
    /// One of [`ASSOCIATION_STATES`].
    pub state: Option<String>,
    /// StateReason.ErrorCode, e.g. `DeploymentError.WorkspaceUnreachable`.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
}

impl AppAssociation {
    /// Waiting for a DeployWorkspaceApplications call (004_989ae404788726c9.txt:517).
    pub fn awaits_deployment(&self) -> bool {
        matches!(
            self.state.as_deref(),
            Some("PENDING_INSTALL_DEPLOYMENT" | "PENDING_UNINSTALL_DEPLOYMENT")
        )
    }

    /// A failed deployment, which only a forced deployment retries
    /// (004_989ae404788726c9.txt:549).
    pub fn failed(&self) -> bool {
        self.state.as_deref() == Some("ERROR")
    }

    /// Installed or on its way in: what "the WorkSpace has the application" means for the
    /// fleet filter and the export. Uninstalls and removed associations do not count.
    pub fn counts_as_installed(state: &str) -> bool {
        !matches!(
            state,
            "PENDING_UNINSTALL" | "PENDING_UNINSTALL_DEPLOYMENT" | "UNINSTALLING" | "REMOVED"
        )
    }
}

/// The catalog filters DescribeApplications offers (004_989ae404788726c9.txt:112), as the
/// applications page takes them from its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFilter {
    /// ComputeTypeNames; empty for any.
    #[serde(default)]
    pub compute: Vec<String>,
    /// `LICENSED`, `UNLICENSED` or empty.
    #[serde(default)]
    pub license: String,
    /// OperatingSystemNames; empty for any.
    #[serde(default)]
    pub os: Vec<String>,
    #[serde(default)]
    pub owner: String,
}

/// What the applications page asks for: the catalog filters, and the application whose
/// associations to show (`app`, an application id, empty for none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationsQuery {
    #[serde(default)]
    pub filter: ApplicationFilter,
    #[serde(default)]
    pub app: String,
}

/// The compute types the reference names (004_989ae404788726c9.txt:117).
pub const COMPUTE_TYPE_NAMES: [&str; 9] = [
    "VALUE",
    "STANDARD",
    "PERFORMANCE",
    "POWER",
    "GRAPHICS",
    "POWERPRO",
    "GRAPHICSPRO",
    "GRAPHICS_G4DN",
    "GRAPHICSPRO_G4DN",
];

/// The operating system names the reference names (004_989ae404788726c9.txt:121).
pub const OPERATING_SYSTEM_NAMES: [&str; 11] = [
    "AMAZON_LINUX_2",
    "UBUNTU_18_04",
    "UBUNTU_20_04",
    "UBUNTU_22_04",
    "UNKNOWN",
    "WINDOWS_10",
    "WINDOWS_11",
    "WINDOWS_7",
    "WINDOWS_SERVER_2016",
    "WINDOWS_SERVER_2019",
    "WINDOWS_SERVER_2022",
];

/// One Region's catalog, read live.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionApplications {
    /// The configured account (`""`: the only one).
    #[serde(default)]
    pub account: String,
    pub region: String,
    pub applications: Vec<Application>,
    pub error: Option<String>,
}

/// The chosen application and every resource associated with it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub application: Application,
    pub associations: Vec<AppAssociation>,
    /// The user name of each associated WorkSpace the cache knows, by id.
    pub workspace_users: Vec<(String, String)>,
    pub error: Option<String>,
}

/// The applications page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationsView {
    pub regions: Vec<RegionApplications>,
    pub selected: Option<ApplicationDetail>,
}

/// An association with the name of its application: a row of a WorkSpace's applications
/// card, or of a bundle's or image's applications on the images page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedAssociation {
    pub association: AppAssociation,
    /// The application's name from the catalog (its id when the catalog lacks it).
    pub name: String,
}

/// A WorkSpace's applications card: its associations read live, what may be associated,
/// and what the caller may do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceApplications {
    pub workspace_id: String,
    pub applications: Vec<NamedAssociation>,
    /// DescribeWorkspaceAssociations failed: why.
    pub error: Option<String>,
    /// Applications of the Region's catalog that fit the WorkSpace and are not associated
    /// yet: (id, name).
    pub compatible: Vec<(String, String)>,
    /// Help desk and up: may deploy.
    pub can_deploy: bool,
    /// Admins: may associate and disassociate.
    pub can_manage: bool,
}

impl WorkspaceApplications {
    /// Something to deploy without force: an association waiting for deployment.
    pub fn has_pending(&self) -> bool {
        self.applications
            .iter()
            .any(|a| a.association.awaits_deployment())
    }

    /// A failed deployment a forced deployment would retry.
    pub fn has_failed(&self) -> bool {
        self.applications.iter().any(|a| a.association.failed())
    }
}

/// The bulk association review: the catalog to choose from, the chosen application, and
/// each checked WorkSpace with why it would be skipped (`None`: it will be associated).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkApplicationReview {
    pub catalog: Vec<Application>,
    pub chosen: Option<Application>,
    pub rows: Vec<(super::Workspace, Option<String>)>,
    /// The one-time token of the review's form (see `server::form_token`).
    #[serde(default)]
    pub form_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Application {
        Application {
            id: "wsa-office".into(),
            name: "Microsoft Office 2021".into(),
            state: Some("AVAILABLE".into()),
            compute_types: vec!["STANDARD".into(), "PERFORMANCE".into()],
            operating_systems: vec!["WINDOWS_SERVER_2022".into()],
            ..Application::default()
        }
    }

    #[test]
    fn an_application_fits_only_its_systems_and_compute_types() {
        let app = office();
        assert_eq!(
            app.refusal(Some("WINDOWS_SERVER_2022"), Some("STANDARD")),
            None
        );
        assert!(
            app.refusal(Some("UBUNTU_22_04"), Some("STANDARD"))
                .is_some_and(|r| r.contains("does not support Ubuntu 22.04"))
        );
        assert!(
            app.refusal(Some("WINDOWS_SERVER_2022"), Some("VALUE"))
                .is_some_and(|r| r.contains("VALUE compute type"))
        );
        assert!(app.refusal(None, Some("STANDARD")).is_some());
        assert!(app.refusal(Some("WINDOWS_SERVER_2022"), None).is_some());
        let retiring = Application {
            state: Some("UNINSTALL_ONLY".into()),
            ..office()
        };
        assert!(
            retiring
                .refusal(Some("WINDOWS_SERVER_2022"), Some("STANDARD"))
                .is_some_and(|r| r.contains("UNINSTALL_ONLY"))
        );
    }

    #[test]
    fn uninstalls_do_not_count_as_having_the_application() {
        assert!(AppAssociation::counts_as_installed("COMPLETED"));
        assert!(AppAssociation::counts_as_installed(
            "PENDING_INSTALL_DEPLOYMENT"
        ));
        assert!(AppAssociation::counts_as_installed("ERROR"));
        assert!(!AppAssociation::counts_as_installed(
            "PENDING_UNINSTALL_DEPLOYMENT"
        ));
        assert!(!AppAssociation::counts_as_installed("REMOVED"));
    }
}
