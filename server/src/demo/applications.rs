//! Demo only: application management (release note 2023-10, 004_989ae404788726c9.txt),
//! which no emulator implements. One catalog per demo Region (Microsoft Office, Visio and
//! Project under AWS's licence, Adobe Acrobat Reader and Notepad++ for Windows, Remmina
//! for Linux), associations with some WorkSpaces, bundles and images in several states
//! (one failed deployment, DeploymentError.WorkspaceUnreachable), and associate,
//! disassociate and deploy changing them as AWS would: a deployment installs for a while,
//! then completes.
//!
//! Shared by the overlays of both demo Regions through [`super::extras::DemoExtras`].

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use app::model::{AppAssociation, Application, ApplicationFilter};
use app::server::aws::{
    ApplicationChange, AssociatedResource, AwsError, ChangeOutcome, ErrorKind, Page,
};

use super::seed::hash;

/// How long a demo deployment installs or uninstalls.
const DEPLOYMENT_TAKES: Duration = Duration::from_secs(15);

/// Associations per page of DescribeApplicationAssociations (the API pages them).
const PAGE: usize = 25;

const WINDOWS: [&str; 5] = [
    "WINDOWS_10",
    "WINDOWS_11",
    "WINDOWS_SERVER_2016",
    "WINDOWS_SERVER_2019",
    "WINDOWS_SERVER_2022",
];
const LINUX: [&str; 3] = ["AMAZON_LINUX_2", "UBUNTU_20_04", "UBUNTU_22_04"];
/// Microsoft's licensed applications do not run on the Value compute type.
const NOT_VALUE: [&str; 6] = [
    "STANDARD",
    "PERFORMANCE",
    "POWER",
    "POWERPRO",
    "GRAPHICS_G4DN",
    "GRAPHICSPRO_G4DN",
];
const ANY_COMPUTE: [&str; 7] = [
    "VALUE",
    "STANDARD",
    "PERFORMANCE",
    "POWER",
    "POWERPRO",
    "GRAPHICS_G4DN",
    "GRAPHICSPRO_G4DN",
];

/// One application of the demo catalog.
struct Entry {
    /// The middle of its id: `wsa-<code>-eu`.
    code: &'static str,
    name: &'static str,
    description: &'static str,
    licence: &'static str,
    systems: &'static [&'static str],
    compute: &'static [&'static str],
}

const fn entry(
    code: &'static str,
    name: &'static str,
    description: &'static str,
    licence: &'static str,
    systems: &'static [&'static str],
    compute: &'static [&'static str],
) -> Entry {
    Entry {
        code,
        name,
        description,
        licence,
        systems,
        compute,
    }
}

/// The demo catalog, the same in every Region.
const CATALOG: [Entry; 6] = [
    entry(
        "office21",
        "Microsoft Office 2021",
        "Microsoft Office LTSC Professional Plus 2021",
        "LICENSED",
        &WINDOWS,
        &NOT_VALUE,
    ),
    entry(
        "visio21",
        "Microsoft Visio 2021",
        "Microsoft Visio LTSC Professional 2021",
        "LICENSED",
        &WINDOWS,
        &NOT_VALUE,
    ),
    entry(
        "project21",
        "Microsoft Project 2021",
        "Microsoft Project Professional 2021",
        "LICENSED",
        &WINDOWS,
        &NOT_VALUE,
    ),
    entry(
        "acrobat",
        "Adobe Acrobat Reader",
        "Adobe Acrobat Reader DC",
        "UNLICENSED",
        &WINDOWS,
        &ANY_COMPUTE,
    ),
    entry(
        "notepadpp",
        "Notepad++",
        "Notepad++ text editor",
        "UNLICENSED",
        &WINDOWS,
        &ANY_COMPUTE,
    ),
    entry(
        "remmina",
        "Remmina",
        "Remmina remote desktop client (Linux)",
        "UNLICENSED",
        &LINUX,
        &ANY_COMPUTE,
    ),
];

/// The id of the demo application `code` in `region`: `wsa-office21-eu`.
pub fn application_id(code: &str, region: &str) -> String {
    format!("wsa-{code}-{}", region.get(..2).unwrap_or("xx"))
}

/// A demo WorkSpace as the seed sees it.
#[derive(Debug, Clone)]
pub struct SeedWorkspace {
    pub id: String,
    pub region: String,
    pub operating_system: String,
    pub compute_type: String,
}

#[derive(Debug, Clone)]
struct Kept {
    region: String,
    association: AppAssociation,
    /// When an INSTALLING or UNINSTALLING association settles.
    settles_at: Option<Instant>,
}

/// The catalogs and associations of every demo Region.
#[derive(Debug, Default)]
pub struct DemoApplications {
    catalog: Vec<Application>,
    kept: Mutex<Vec<Kept>>,
}

fn now_text() -> String {
    app::server::repo::inventory::now()
}

fn association(app: &str, kind: &str, resource: &str, state: &str) -> AppAssociation {
    AppAssociation {
        application_id: app.to_string(),
        resource_type: kind.to_string(),
        resource_id: resource.to_string(),
        state: Some(state.to_string()),
        created: Some("2026-10-01T09:00:00Z".into()),
        updated: Some("2026-11-20T07:30:00Z".into()),
        ..AppAssociation::default()
    }
}

impl DemoApplications {
    /// The catalogs of `regions` and associations for `workspaces`: Office on about a
    /// quarter of the Windows WorkSpaces, Visio on some (the first one's deployment
    /// failed), Project waiting for deployment on a few, Acrobat Reader on others, Remmina
    /// on a third of the Linux ones; the office bundles and images carry Office.
    pub fn new(regions: &[&str], workspaces: &[SeedWorkspace]) -> Self {
        let catalog: Vec<Application> = regions
            .iter()
            .flat_map(|region| {
                CATALOG.iter().map(move |e| Application {
                    id: application_id(e.code, region),
                    account: String::new(),
                    region: region.to_string(),
                    name: e.name.to_string(),
                    description: Some(e.description.to_string()),
                    license_type: Some(e.licence.to_string()),
                    owner: Some("Amazon".into()),
                    state: Some("AVAILABLE".into()),
                    compute_types: e.compute.iter().map(|c| c.to_string()).collect(),
                    operating_systems: e.systems.iter().map(|s| s.to_string()).collect(),
                    created: Some("2026-06-01T08:00:00Z".into()),
                })
            })
            .collect();
        let mut kept = Vec::new();
        let mut keep = |region: &str, association: AppAssociation| {
            kept.push(Kept {
                region: region.to_string(),
                association,
                settles_at: None,
            })
        };
        let mut failed_one = false;
        for ws in workspaces {
            let h = hash(&ws.id);
            let id = |code: &str| application_id(code, &ws.region);
            let windows = WINDOWS.contains(&ws.operating_system.as_str());
            let value = ws.compute_type == "VALUE";
            if windows && !value && h.is_multiple_of(4) {
                keep(
                    &ws.region,
                    association(&id("office21"), "WORKSPACE", &ws.id, "COMPLETED"),
                );
            }
            if windows && !value && h % 9 == 1 {
                let mut visio = association(&id("visio21"), "WORKSPACE", &ws.id, "COMPLETED");
                if !failed_one {
                    failed_one = true;
                    visio.state = Some("ERROR".into());
                    visio.error_code = Some("DeploymentError.WorkspaceUnreachable".into());
                    visio.error_message = Some(
                        "The WorkSpace could not be reached to install the application.".into(),
                    );
                }
                keep(&ws.region, visio);
            }
            if windows && !value && h % 13 == 2 {
                keep(
                    &ws.region,
                    association(
                        &id("project21"),
                        "WORKSPACE",
                        &ws.id,
                        "PENDING_INSTALL_DEPLOYMENT",
                    ),
                );
            }
            if windows && h % 6 == 3 {
                keep(
                    &ws.region,
                    association(&id("acrobat"), "WORKSPACE", &ws.id, "COMPLETED"),
                );
            }
            if !windows && h.is_multiple_of(3) {
                keep(
                    &ws.region,
                    association(&id("remmina"), "WORKSPACE", &ws.id, "COMPLETED"),
                );
            }
        }
        for region in regions {
            let suffix = if *region == "eu-west-1" { "eu" } else { "us" };
            let id = |code: &str| application_id(code, region);
            for bundle in ["wsb-office-std", "wsb-office-perf"] {
                keep(
                    region,
                    association(
                        &id("office21"),
                        "BUNDLE",
                        &format!("{bundle}-{suffix}"),
                        "COMPLETED",
                    ),
                );
            }
            keep(
                region,
                association(
                    &id("remmina"),
                    "BUNDLE",
                    &format!("wsb-dev-power-{suffix}"),
                    "PENDING_INSTALL",
                ),
            );
        }
        keep(
            "eu-west-1",
            association(
                &application_id("office21", "eu-west-1"),
                "IMAGE",
                "wsi-0f2c9a7b1",
                "COMPLETED",
            ),
        );
        keep(
            "eu-west-1",
            association(
                &application_id("visio21", "eu-west-1"),
                "IMAGE",
                "wsi-0f2c9a7b1",
                "PENDING_INSTALL",
            ),
        );
        keep(
            "eu-west-1",
            association(
                &application_id("remmina", "eu-west-1"),
                "IMAGE",
                "wsi-0a81d44e6",
                "COMPLETED",
            ),
        );
        DemoApplications {
            catalog,
            kept: Mutex::new(kept),
        }
    }

    /// The associations, with finished deployments settled (INSTALLING → COMPLETED,
    /// UNINSTALLING → gone).
    fn kept(&self) -> MutexGuard<'_, Vec<Kept>> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        for entry in kept.iter_mut() {
            if entry.settles_at.is_some_and(|at| at <= now) {
                entry.settles_at = None;
                let done = match entry.association.state.as_deref() {
                    Some("UNINSTALLING") => "REMOVED",
                    _ => "COMPLETED",
                };
                entry.association.state = Some(done.into());
                entry.association.updated = Some(now_text());
            }
        }
        kept.retain(|e| e.association.state.as_deref() != Some("REMOVED"));
        kept
    }

    /// DescribeApplications in `region` with `filter`, in one page.
    pub fn applications(&self, region: &str, filter: &ApplicationFilter) -> Page<Application> {
        let overlaps = |wanted: &[String], offered: &[String]| {
            wanted.is_empty() || wanted.iter().any(|w| offered.contains(w))
        };
        let items = self
            .catalog
            .iter()
            .filter(|a| a.region == region)
            .filter(|a| overlaps(&filter.compute, &a.compute_types))
            .filter(|a| overlaps(&filter.os, &a.operating_systems))
            .filter(|a| {
                filter.license.is_empty()
                    || a.license_type.as_deref() == Some(filter.license.as_str())
            })
            .filter(|a| {
                filter.owner.is_empty() || a.owner.as_deref() == Some(filter.owner.as_str())
            })
            .cloned()
            .collect();
        Page {
            items,
            next_token: None,
        }
    }

    /// DescribeApplicationAssociations: [`PAGE`] a page, the token is the next index.
    pub fn application_associations(
        &self,
        region: &str,
        application_id: &str,
        types: &[String],
        next_token: Option<&str>,
    ) -> Page<AppAssociation> {
        let all: Vec<AppAssociation> = self
            .kept()
            .iter()
            .filter(|e| e.region == region && e.association.application_id == application_id)
            .filter(|e| types.contains(&e.association.resource_type))
            .map(|e| e.association.clone())
            .collect();
        let start: usize = next_token.and_then(|t| t.parse().ok()).unwrap_or(0);
        let end = (start + PAGE).min(all.len());
        Page {
            items: all
                .get(start..end)
                .map(<[AppAssociation]>::to_vec)
                .unwrap_or_default(),
            next_token: (end < all.len()).then(|| end.to_string()),
        }
    }

    /// DescribeWorkspaceAssociations, DescribeBundleAssociations, DescribeImageAssociations.
    pub fn resource_associations(
        &self,
        region: &str,
        resource: &AssociatedResource,
    ) -> Vec<AppAssociation> {
        let (kind, id) = match resource {
            AssociatedResource::Workspace(id) => ("WORKSPACE", id),
            AssociatedResource::Bundle(id) => ("BUNDLE", id),
            AssociatedResource::Image(id) => ("IMAGE", id),
        };
        self.kept()
            .iter()
            .filter(|e| e.region == region && e.association.resource_type == kind)
            .filter(|e| &e.association.resource_id == id)
            .map(|e| e.association.clone())
            .collect()
    }

    /// AssociateWorkspaceApplication, DisassociateWorkspaceApplication and
    /// DeployWorkspaceApplications in `region`, answered as AWS does: with the association
    /// and its new state (004_989ae404788726c9.txt:48-58, :885-895), or the deployed ones
    /// (:556-571).
    pub fn apply(
        &self,
        region: &str,
        change: &ApplicationChange,
    ) -> Result<ChangeOutcome, AwsError> {
        let refused = |kind, code: &str, message: String| AwsError {
            kind,
            code: code.into(),
            message,
        };
        let mut kept = self.kept();
        let now = now_text();
        let mut answered = Vec::new();
        match change {
            ApplicationChange::Associate {
                workspace_id,
                application_id,
            } => {
                if !self
                    .catalog
                    .iter()
                    .any(|a| a.region == region && &a.id == application_id)
                {
                    return Err(refused(
                        ErrorKind::NotFound,
                        "ResourceNotFoundException",
                        format!("Application {application_id} not found."),
                    ));
                }
                let existing = kept.iter_mut().find(|e| {
                    e.region == region
                        && e.association.resource_id == *workspace_id
                        && e.association.application_id == *application_id
                });
                match existing {
                    Some(entry)
                        if AppAssociation::counts_as_installed(
                            entry.association.state.as_deref().unwrap_or(""),
                        ) =>
                    {
                        return Err(refused(
                            ErrorKind::InvalidInput,
                            "ResourceAlreadyExistsException",
                            format!("{application_id} is already associated with {workspace_id}."),
                        ));
                    }
                    Some(entry) => {
                        entry.association.state = Some("PENDING_INSTALL_DEPLOYMENT".into());
                        entry.association.updated = Some(now.clone());
                        entry.settles_at = None;
                        answered.push(entry.association.clone());
                    }
                    None => {
                        let mut new = association(
                            application_id,
                            "WORKSPACE",
                            workspace_id,
                            "PENDING_INSTALL_DEPLOYMENT",
                        );
                        new.created = Some(now.clone());
                        new.updated = Some(now.clone());
                        answered.push(new.clone());
                        kept.push(Kept {
                            region: region.to_string(),
                            association: new,
                            settles_at: None,
                        });
                    }
                }
            }
            ApplicationChange::Disassociate {
                workspace_id,
                application_id,
            } => {
                let Some(entry) = kept.iter_mut().find(|e| {
                    e.region == region
                        && e.association.resource_id == *workspace_id
                        && e.association.application_id == *application_id
                }) else {
                    return Err(refused(
                        ErrorKind::NotFound,
                        "ResourceNotFoundException",
                        format!("{application_id} is not associated with {workspace_id}."),
                    ));
                };
                entry.association.state = Some("PENDING_UNINSTALL_DEPLOYMENT".into());
                entry.association.error_code = None;
                entry.association.error_message = None;
                entry.association.updated = Some(now.clone());
                entry.settles_at = None;
                answered.push(entry.association.clone());
            }
            ApplicationChange::Deploy {
                workspace_id,
                force,
            } => {
                let settles_at = Some(Instant::now() + DEPLOYMENT_TAKES);
                for entry in kept.iter_mut().filter(|e| {
                    e.region == region
                        && e.association.resource_type == "WORKSPACE"
                        && e.association.resource_id == *workspace_id
                }) {
                    let next = match entry.association.state.as_deref() {
                        Some("PENDING_INSTALL_DEPLOYMENT") => "INSTALLING",
                        Some("PENDING_UNINSTALL_DEPLOYMENT") => "UNINSTALLING",
                        // Force retries failed deployments (004_989ae404788726c9.txt:549).
                        Some("ERROR") if *force => "INSTALLING",
                        _ => continue,
                    };
                    entry.association.state = Some(next.into());
                    entry.association.error_code = None;
                    entry.association.error_message = None;
                    entry.association.updated = Some(now.clone());
                    entry.settles_at = settles_at;
                    answered.push(entry.association.clone());
                }
            }
        }
        Ok(ChangeOutcome {
            request_id: Some(format!("demo-{}", now.replace([':', '.', '-'], ""))),
            associations: answered,
            ..ChangeOutcome::default()
        })
    }
}
