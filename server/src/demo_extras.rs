//! What the demo's WorkSpaces have in AWS that the emulator does not model: streaming
//! protocol, operating system, last user connection, and standby pairs across the two
//! demo Regions (CreateStandbyWorkspaces and RelatedWorkspaces, 002_363a3ccb364b572d.txt).
//!
//! One [`DemoExtras`] is shared by the overlays of both demo Regions, because a pair spans
//! them: the primary's Region reports the standby as related and the standby's Region
//! lists the standby itself. Values derive from the WorkSpace id, so every start of the
//! demo looks the same.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use app::model::{
    ConnectionStatus, RelatedWorkspace, StandbyRole, Workspace, WorkspaceDetails, WorkspaceState,
};
use app::server::aws::{ChangeOutcome, DescribedWorkspace, StandbyRequest};
use aws_smithy_types::date_time::{DateTime, Format as DateTimeFormat};

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
}

/// The demo fleet's extras, shared by the overlays of every demo Region.
#[derive(Debug, Default)]
pub struct DemoExtras {
    state: Mutex<State>,
}

/// A number from a WorkSpace id, the same at every start.
fn hash(id: &str) -> u64 {
    id.bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

impl DemoExtras {
    /// Extras with the seeded standby pairs.
    pub fn new(seed: Vec<SeedPair>) -> Self {
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
        DemoExtras {
            state: Mutex::new(State {
                pairs,
                users: HashMap::new(),
            }),
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
                let contractors = ws.directory_id == "d-936a2b77c1";
                ws.operating_system = Some(
                    match (contractors, h % 5) {
                        (true, 0) => "AMAZON_LINUX_2",
                        (true, _) => "UBUNTU_22_04",
                        (false, 0) => "WINDOWS_SERVER_2019",
                        (false, _) => "WINDOWS_SERVER_2022",
                    }
                    .to_string(),
                );
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
                    workspace_id: request.primary_workspace_id.clone(),
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
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        for status in statuses {
            if status.last_known_user_connection.is_some() {
                continue;
            }
            let h = hash(&status.workspace_id);
            if h % 10 == 0 {
                continue; // never connected
            }
            let hours_ago = if h % 10 < 7 { h % 72 } else { 72 + h % (60 * 24) };
            let at = DateTime::from_secs(i64::try_from(now.saturating_sub(hours_ago * 3600)).unwrap_or(0));
            status.last_known_user_connection = at.fmt(DateTimeFormat::DateTime).ok();
        }
    }
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
        subnet_id: None,
        compute_type: Some("STANDARD".into()),
        running_mode: Some("AUTO_STOP".into()),
        auto_stop_timeout_minutes: Some(60),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        root_volume_encrypted: true,
        user_volume_encrypted: true,
        error_code: None,
        error_message: None,
        connection_state: None,
        last_user_connection: None,
        removed_at: None,
        protocols: vec!["WSP".into()],
        operating_system: Some("WINDOWS_SERVER_2022".into()),
        standby_role: Some(StandbyRole::Standby),
    }
}
