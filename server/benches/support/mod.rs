//! What the benchmarks share: a synthetic fleet of any size and the cache filled with it.

// Each benchmark uses part of this module.
#![allow(dead_code)]

use std::collections::HashMap;

use app::model::{ConnectionStatus, Tag, Workspace, WorkspaceDetails, WorkspaceState};
use app::server::aws::DescribedWorkspace;
use app::server::repo::inventory;

const STATES: [WorkspaceState; 4] = [
    WorkspaceState::Available,
    WorkspaceState::Stopped,
    WorkspaceState::Rebooting,
    WorkspaceState::Error,
];

/// The `n`th WorkSpace of the synthetic fleet: two Regions, seven directories, five
/// bundles, four states, an IPv4 address each.
pub fn workspace(n: usize) -> DescribedWorkspace {
    DescribedWorkspace {
        workspace: Workspace {
            id: format!("ws-{n:09x}"),
            region: if n % 3 == 0 { "us-east-1" } else { "eu-west-1" }.into(),
            directory_id: format!("d-{:010}", n % 7),
            user_name: format!("user{:06}", (n * 7919) % 1_000_003),
            computer_name: Some(format!("WSAMZN-{n:08X}")),
            ip_address: Some(format!(
                "10.{}.{}.{}",
                n / 65536 % 256,
                n / 256 % 256,
                n % 256
            )),
            state: STATES[n % 10 % 4].clone(),
            bundle_id: format!("wsb-{}", n % 5),
            compute_type: Some(["STANDARD", "PERFORMANCE", "POWER"][n % 3].into()),
            running_mode: Some(if n % 4 == 0 { "ALWAYS_ON" } else { "AUTO_STOP" }.into()),
            auto_stop_timeout_minutes: Some(60),
            root_volume_gib: Some(80),
            user_volume_gib: Some(50),
            root_volume_encrypted: true,
            user_volume_encrypted: true,
            ..Workspace::default()
        },
        details: WorkspaceDetails::default(),
    }
}

/// Fills the cache with `count` WorkSpaces, connection status on all and a tag on every
/// tenth.
pub async fn fill(pool: &sqlx::AnyPool, count: usize) {
    let now = inventory::now();
    let none = HashMap::new();
    for start in (0..count).step_by(1000) {
        let batch: Vec<_> = (start..(start + 1000).min(count)).map(workspace).collect();
        inventory::store_workspaces(pool, &batch, &none, &now)
            .await
            .expect("store");
        let statuses: Vec<_> = batch
            .iter()
            .map(|item| ConnectionStatus {
                workspace_id: item.workspace.id.clone(),
                region: item.workspace.region.clone(),
                connection_state: Some("DISCONNECTED".into()),
                connection_state_checked: None,
                last_known_user_connection: Some("2026-10-01T08:00:00Z".into()),
            })
            .collect();
        inventory::store_connection_status(pool, &statuses)
            .await
            .expect("status");
    }
    for n in (0..count).step_by(10) {
        let tags = [Tag {
            key: "Department".into(),
            value: format!("D{}", n % 6),
        }];
        inventory::store_tags(pool, &format!("ws-{n:09x}"), &tags, &now)
            .await
            .expect("tags");
    }
}
