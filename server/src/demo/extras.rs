//! What the demo's WorkSpaces have in AWS that the emulator does not model: streaming
//! protocol, operating system, last user connection, standby pairs across the two demo
//! Regions (CreateStandbyWorkspaces and RelatedWorkspaces, 002_363a3ccb364b572d.txt), and
//! each Region's BYOL configuration with its history (003_73a90d7ae4a9d914.txt).
//!
//! One [`DemoExtras`] is shared by the overlays of both demo Regions, because a pair spans
//! them: the primary's Region reports the standby as related and the standby's Region
//! lists the standby itself. Values derive from the WorkSpace id, so every start of the
//! demo looks the same.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use std::time::{Duration, Instant};

use app::model::{
    AccountInfo, AccountModification, ConnectionStatus, RelatedWorkspace, StandbyRole, Workspace,
    WorkspaceDetails, WorkspaceState,
};
use app::server::aws::{ChangeOutcome, DescribedWorkspace, Page, StandbyRequest};
use aws_smithy_types::date_time::{DateTime, Format as DateTimeFormat};

use super::seed::hash;

/// A primary in one Region and its standby in the other.
#[derive(Debug, Clone)]
struct Pair {
    primary_id: String,
    primary_region: String,
    /// The standby WorkSpace, as its Region lists it.
    standby: Workspace,
}

/// A demo WorkSpace to pair at start: its id, Region and user, and where its standby goes.
#[derive(Debug, Clone)]
pub struct SeedPair {
    pub primary_id: String,
    pub primary_region: String,
    pub user_name: String,
    pub standby_region: String,
    pub standby_directory: String,
}

#[derive(Debug, Default)]
struct State {
    pairs: Vec<Pair>,
    /// User names of the WorkSpaces seen so far, by id (a new standby takes its primary's).
    users: HashMap<String, String>,
    /// Per Region: the BYOL configuration and its modifications, oldest first, each with
    /// the moment a pending one completes.
    accounts: HashMap<String, (AccountInfo, Vec<(AccountModification, Option<Instant>)>)>,
}

/// How long a BYOL modification stays PENDING in the demo.
const MODIFICATION_TAKES: Duration = Duration::from_secs(20);

/// /16 ranges the demo network already uses (its VPC subnets), never offered.
const USED_RANGES: [&str; 4] = [
    "10.20.0.0/16",
    "10.21.0.0/16",
    "10.40.0.0/16",
    "10.200.0.0/16",
];

/// The demo fleet's extras, shared by the overlays of every demo Region.
#[derive(Debug, Default)]
pub struct DemoExtras {
    state: Mutex<State>,
    /// Application catalogs and associations (no emulator has them).
    pub applications: super::applications::DemoApplications,
}

impl DemoExtras {
    /// Extras with the seeded standby pairs and applications.
    pub fn new(seed: Vec<SeedPair>, applications: super::applications::DemoApplications) -> Self {
        let pairs = seed
            .into_iter()
            .map(|p| Pair {
                standby: standby_workspace(
                    &p.primary_id,
                    &p.standby_region,
                    &p.standby_directory,
                    &p.user_name,
                    WorkspaceState::Stopped,
                ),
                primary_id: p.primary_id,
                primary_region: p.primary_region,
            })
            .collect();
        let modification =
            |state: &str, support: &str, cidr: &str, at: &str, error: Option<(&str, &str)>| {
                AccountModification {
                    state: Some(state.into()),
                    dedicated_tenancy_support: Some(support.into()),
                    management_cidr: Some(cidr.into()),
                    start_time: Some(at.into()),
                    error_code: error.map(|e| e.0.into()),
                    error_message: error.map(|e| e.1.into()),
                }
            };
        // eu-west-1 runs BYOL images: one failed attempt (an overlapping range), then the
        // range that worked. us-east-1 has never used BYOL.
        let eu = (
            AccountInfo {
                dedicated_tenancy_support: Some("ENABLED".into()),
                management_cidr: Some("10.200.0.0/16".into()),
            },
            vec![
                (
                    modification(
                        "FAILED",
                        "ENABLED",
                        "10.20.0.0/16",
                        "2026-02-10T09:14:00Z",
                        Some((
                            "InvalidParameterValuesException",
                            "The management CIDR range 10.20.0.0/16 overlaps a subnet of directory d-93670c1e5a.",
                        )),
                    ),
                    None,
                ),
                (
                    modification(
                        "COMPLETED",
                        "ENABLED",
                        "10.200.0.0/16",
                        "2026-02-11T08:02:00Z",
                        None,
                    ),
                    None,
                ),
            ],
        );
        let us = (
            AccountInfo {
                dedicated_tenancy_support: Some("DISABLED".into()),
                management_cidr: None,
            },
            Vec::new(),
        );
        DemoExtras {
            state: Mutex::new(State {
                pairs,
                users: HashMap::new(),
                accounts: HashMap::from([
                    ("eu-west-1".to_string(), eu),
                    ("us-east-1".to_string(), us),
                ]),
            }),
            applications,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Lays protocol, operating system and pair over WorkSpaces of `region` as listed.
    pub fn fill(&self, region: &str, items: &mut [DescribedWorkspace]) {
        let mut state = self.state();
        for item in items.iter_mut() {
            let ws = &mut item.workspace;
            state.users.insert(ws.id.clone(), ws.user_name.clone());
            let h = hash(&ws.id);
            if ws.protocols.is_empty() {
                ws.protocols = vec![if h % 10 < 7 { "WSP" } else { "PCOIP" }.to_string()];
            }
            if ws.operating_system.is_none() {
                ws.operating_system = Some(operating_system(&ws.id, &ws.directory_id).to_string());
            }
            item.details.related_workspaces = related(&state.pairs, region, &ws.id);
            ws.standby_role = StandbyRole::from_related(&item.details.related_workspaces);
        }
    }

    /// The standbys living in `region`, as DescribeWorkspaces would list them; with
    /// `ids`, only those.
    pub fn standbys(&self, region: &str, ids: Option<&[String]>) -> Vec<DescribedWorkspace> {
        let state = self.state();
        state
            .pairs
            .iter()
            .filter(|p| p.standby.region == region)
            .filter(|p| ids.is_none_or(|ids| ids.contains(&p.standby.id)))
            .map(|p| {
                let related = related(&state.pairs, region, &p.standby.id);
                let mut workspace = p.standby.clone();
                workspace.standby_role = StandbyRole::from_related(&related);
                DescribedWorkspace {
                    workspace,
                    details: WorkspaceDetails {
                        related_workspaces: related,
                        ..WorkspaceDetails::default()
                    },
                }
            })
            .collect()
    }

    /// CreateStandbyWorkspaces sent to `region`: the standby exists at once, stopped, as a
    /// new standby does once AWS has built it.
    pub fn create_standby(
        &self,
        region: &str,
        primary_region: &str,
        request: &StandbyRequest,
    ) -> ChangeOutcome {
        let mut state = self.state();
        if state
            .pairs
            .iter()
            .any(|p| p.primary_id == request.primary_workspace_id)
        {
            return ChangeOutcome {
                failed: vec![app::server::aws::FailedRequest {
                    target: request.primary_workspace_id.clone(),
                    code: "ResourceAlreadyExistsException".into(),
                    message: "The WorkSpace already has a standby.".into(),
                }],
                ..ChangeOutcome::default()
            };
        }
        let user = state
            .users
            .get(&request.primary_workspace_id)
            .cloned()
            .unwrap_or_default();
        let standby = standby_workspace(
            &request.primary_workspace_id,
            region,
            &request.directory_id,
            &user,
            WorkspaceState::Stopped,
        );
        let id = standby.id.clone();
        state.pairs.push(Pair {
            primary_id: request.primary_workspace_id.clone(),
            primary_region: primary_region.to_string(),
            standby,
        });
        ChangeOutcome {
            created_id: Some(id),
            ..ChangeOutcome::default()
        }
    }

    /// Lays a last user connection over connection statuses that have none: most demo
    /// users connected within the last weeks, some never (the idle report has work).
    pub fn fill_connections(&self, statuses: &mut [ConnectionStatus]) {
        for status in statuses {
            if status.last_known_user_connection.is_some() {
                continue;
            }
            let h = hash(&status.workspace_id);
            if h % 10 == 0 {
                continue; // never connected
            }
            let hours_ago = if h % 10 < 7 {
                h % 72
            } else {
                72 + h % (60 * 24)
            };
            status.last_known_user_connection = Some(aws_time(hours_ago * 3600));
        }
    }

    /// DescribeAccount of `region`.
    pub fn account(&self, region: &str) -> AccountInfo {
        self.settle(region);
        self.state()
            .accounts
            .get(region)
            .map(|(info, _)| info.clone())
            .unwrap_or_default()
    }

    /// DescribeAccountModifications of `region`, newest first, in one page.
    pub fn account_modifications(&self, region: &str) -> Page<AccountModification> {
        self.settle(region);
        let items = self
            .state()
            .accounts
            .get(region)
            .map(|(_, list)| list.iter().rev().map(|(m, _)| m.clone()).collect())
            .unwrap_or_default();
        Page {
            items,
            next_token: None,
        }
    }

    /// ModifyAccount: a PENDING modification that completes after a while, as in AWS.
    pub fn enable_byol(&self, region: &str, cidr: &str) {
        let mut state = self.state();
        let (_, list) = state.accounts.entry(region.to_string()).or_default();
        list.push((
            AccountModification {
                state: Some("PENDING".into()),
                dedicated_tenancy_support: Some("ENABLED".into()),
                management_cidr: Some(cidr.to_string()),
                start_time: Some(aws_time(0)),
                error_code: None,
                error_message: None,
            },
            Some(Instant::now() + MODIFICATION_TAKES),
        ));
    }

    /// Completes the modifications whose time has come, applying them to the account.
    fn settle(&self, region: &str) {
        let mut state = self.state();
        let Some((info, list)) = state.accounts.get_mut(region) else {
            return;
        };
        for (modification, done_at) in list.iter_mut() {
            if done_at.is_some_and(|at| at <= Instant::now()) {
                *done_at = None;
                modification.state = Some("COMPLETED".into());
                info.dedicated_tenancy_support = modification.dedicated_tenancy_support.clone();
                info.management_cidr = modification.management_cidr.clone();
            }
        }
    }

    /// ListAvailableManagementCidrRanges: the /16 ranges within `constraint` the demo
    /// network does not use, 25 a page (the token is the index of the next range).
    pub fn management_cidr_ranges(
        &self,
        constraint: &str,
        next_token: Option<&str>,
    ) -> Page<String> {
        let ranges: Vec<String> = match app::cidr::parse_rule(constraint) {
            Ok(cidr) if cidr.prefix <= 16 => {
                let first = cidr.network() >> 16;
                let count = 1u32 << (16 - cidr.prefix);
                (first..first + count)
                    .map(|n| format!("{}.{}.0.0/16", n >> 8, n & 255))
                    .filter(|range| !USED_RANGES.contains(&range.as_str()))
                    .collect()
            }
            _ => Vec::new(),
        };
        let start: usize = next_token.and_then(|t| t.parse().ok()).unwrap_or(0);
        let end = (start + 25).min(ranges.len());
        Page {
            items: ranges
                .get(start..end)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            next_token: (end < ranges.len()).then(|| end.to_string()),
        }
    }
}

/// The operating system of a demo WorkSpace: the contractors' directory runs Linux,
/// the others Windows Server.
pub fn operating_system(id: &str, directory_id: &str) -> &'static str {
    let contractors = directory_id == "d-936a2b77c1";
    match (contractors, hash(id) % 5) {
        (true, 0) => "AMAZON_LINUX_2",
        (true, _) => "UBUNTU_22_04",
        (false, 0) => "WINDOWS_SERVER_2019",
        (false, _) => "WINDOWS_SERVER_2022",
    }
}

/// The time `seconds_ago` as AWS writes it (RFC 3339, whole seconds, UTC).
fn aws_time(seconds_ago: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    DateTime::from_secs(i64::try_from(now.saturating_sub(seconds_ago)).unwrap_or(0))
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
}

/// The related WorkSpaces of `id` in `region`: its standby, or its primary.
fn related(pairs: &[Pair], region: &str, id: &str) -> Vec<RelatedWorkspace> {
    pairs
        .iter()
        .filter_map(|p| {
            if p.primary_id == id && p.primary_region == region {
                Some(RelatedWorkspace {
                    id: p.standby.id.clone(),
                    region: Some(p.standby.region.clone()),
                    relation: Some("STANDBY".into()),
                    state: Some(p.standby.state.as_api().to_string()),
                })
            } else if p.standby.id == id && p.standby.region == region {
                Some(RelatedWorkspace {
                    id: p.primary_id.clone(),
                    region: Some(p.primary_region.clone()),
                    relation: Some("PRIMARY".into()),
                    state: None,
                })
            } else {
                None
            }
        })
        .collect()
}

/// The standby of `primary_id`: same user, a directory of the standby's Region.
fn standby_workspace(
    primary_id: &str,
    region: &str,
    directory_id: &str,
    user_name: &str,
    state: WorkspaceState,
) -> Workspace {
    let h = hash(primary_id);
    Workspace {
        id: format!("ws-5b{:07x}", h % 0x1000_0000),
        region: region.to_string(),
        directory_id: directory_id.to_string(),
        user_name: user_name.to_string(),
        computer_name: Some(format!("WSAMZN-SB{:06X}", h % 0x100_0000)),
        ip_address: Some(format!("10.41.9.{}", 10 + h % 200)),
        state,
        bundle_id: "wsb-standby-us".into(),
        compute_type: Some("STANDARD".into()),
        running_mode: Some("AUTO_STOP".into()),
        auto_stop_timeout_minutes: Some(60),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        root_volume_encrypted: true,
        user_volume_encrypted: true,
        protocols: vec!["WSP".into()],
        operating_system: Some("WINDOWS_SERVER_2022".into()),
        standby_role: Some(StandbyRole::Standby),
        ..Workspace::default()
    }
}
