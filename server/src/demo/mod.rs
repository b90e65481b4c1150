//! Demo mode: the production SDK client, with its HTTP client served in-process by the
//! `winterbaume-workspaces` emulator, seeded with a believable fleet.
//!
//! Everything above the HTTP client is the code that runs against AWS: the same
//! `SdkWorkspaces`, the same request serialisation and response parsing. Only the seed
//! is written straight into the emulator's state, because the WorkSpaces API cannot
//! create WorkSpaces in states such as `ERROR` or give them distinct IP addresses.
//! The fleet is generated from a fixed seed, so every demo start looks the same.
//!
//! Gated by the `demo` cargo feature (on by default): a production build made with
//! `--no-default-features` leaves the emulator out. The module's parts: `seed` (the
//! fleet written into the emulator), `overlay` (what the emulator does not keep),
//! `extras` (standby pairs, protocols, BYOL), `applications` (application management)
//! and `metrics` (CloudWatch's session health).

mod applications;
mod extras;
mod metrics;
mod overlay;
mod seed;

use std::sync::Arc;

use app::model::{Access, AccessProperties, CreationProperties, SelfService};
use app::server::aws::WorkspacesApi;
use app::server::cloudwatch::CloudWatchApi;
use metrics::DemoCloudWatch;
use winterbaume_core::{MockAws, StatefulService, default_account_id};
use winterbaume_workspaces::{WorkSpacesService, WorkSpacesStateView};

use crate::aws_sdk::SdkWorkspaces;
use crate::error::ServerError;
use applications::{DemoApplications, SeedWorkspace};
use extras::{DemoExtras, SeedPair};
use overlay::{DemoOverlay, DirectoryExtras, OverlaySeed};
use seed::{DIRECTORIES, region_state};

/// The Regions of the demo fleet.
pub const DEMO_REGIONS: [&str; 2] = ["eu-west-1", "us-east-1"];

/// The demo fleet `serve --demo` runs on: [`demo_clients`], each wrapped in a
/// [`DemoOverlay`] that keeps what the emulator forgets.
pub async fn demo_fleet() -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
    let extras = Arc::new(DemoExtras::new(standby_pairs(), demo_applications()));
    Ok(demo_clients()
        .await?
        .into_iter()
        .map(|client| {
            let seed = overlay_seed(client.region());
            Arc::new(DemoOverlay::new(client, seed, extras.clone())) as Arc<dyn WorkspacesApi>
        })
        .collect())
}

/// The demo's CloudWatch, one per demo Region, over the demo fleet's clients (so that
/// stopped WorkSpaces have no data).
pub fn demo_cloudwatch(fleet: &[Arc<dyn WorkspacesApi>]) -> Vec<Arc<dyn CloudWatchApi>> {
    fleet
        .iter()
        .map(|client| Arc::new(DemoCloudWatch::new(client.clone())) as Arc<dyn CloudWatchApi>)
        .collect()
}

/// The demo's application catalogs and associations, for the WorkSpaces the emulator is
/// seeded with (their system as the overlay reports it, their bundle's compute type).
fn demo_applications() -> DemoApplications {
    let mut seeded = Vec::new();
    for region in DEMO_REGIONS {
        let state = region_state(region);
        let (Some(workspaces), Some(bundles)) = (
            state["workspaces"].as_object(),
            state["bundles"].as_object(),
        ) else {
            continue;
        };
        let mut ids: Vec<&String> = workspaces.keys().collect();
        ids.sort();
        for id in ids {
            let ws = &workspaces[id];
            let compute = ws["bundle_id"]
                .as_str()
                .and_then(|bundle| bundles.get(bundle))
                .and_then(|bundle| bundle["compute_type_name"].as_str())
                .unwrap_or("STANDARD");
            seeded.push(SeedWorkspace {
                id: id.clone(),
                region: region.to_string(),
                operating_system: extras::operating_system(
                    id,
                    ws["directory_id"].as_str().unwrap_or_default(),
                )
                .to_string(),
                compute_type: compute.to_string(),
            });
        }
    }
    DemoApplications::new(&DEMO_REGIONS, &seeded)
}

/// Every 20th running or stopped office WorkSpace of eu-west-1 has a standby in the
/// us-east-1 corporate directory.
fn standby_pairs() -> Vec<SeedPair> {
    let state = region_state("eu-west-1");
    let Some(workspaces) = state["workspaces"].as_object() else {
        return Vec::new();
    };
    let mut ids: Vec<&String> = workspaces.keys().collect();
    ids.sort();
    ids.into_iter()
        .filter_map(|id| {
            let ws = &workspaces[id];
            let settled = matches!(ws["state"].as_str(), Some("AVAILABLE" | "STOPPED"));
            (settled && ws["directory_id"] == "d-93670c1e5a").then(|| SeedPair {
                primary_id: id.clone(),
                primary_region: "eu-west-1".into(),
                user_name: ws["user_name"].as_str().unwrap_or_default().to_string(),
                standby_region: "us-east-1".into(),
                standby_directory: "d-9067a3f4e2".into(),
            })
        })
        .step_by(20)
        .collect()
}

/// The directory properties and bundle images of a demo Region that the emulator does
/// not report: the corporate directories (AD Connector) are set up for office staff, the
/// contractors' directory for web access only.
fn overlay_seed(region: &str) -> OverlaySeed {
    let directories = DIRECTORIES
        .iter()
        .filter(|d| d.region == region)
        .map(|d| {
            let corporate = d.directory_type == "AD_CONNECTOR";
            let suffix = d.id.trim_start_matches("d-");
            let extras = DirectoryExtras {
                dns_ip_addresses: vec![
                    format!("{}.0.10", d.subnet_base),
                    format!("{}.1.10", d.subnet_base),
                ],
                subnet_ids: vec![format!("subnet-{suffix}a"), format!("subnet-{suffix}b")],
                ip_group_ids: if region == "eu-west-1" && corporate {
                    vec!["wsipg-offices01".into()]
                } else {
                    Vec::new()
                },
                self_service: Some(SelfService {
                    restart: true,
                    increase_volume_size: corporate,
                    change_compute_type: false,
                    switch_running_mode: corporate,
                    rebuild: false,
                }),
                creation: Some(CreationProperties {
                    enable_internet_access: corporate,
                    user_enabled_as_local_administrator: false,
                    enable_maintenance_mode: true,
                    default_ou: corporate
                        .then(|| format!("OU=WorkSpaces,DC={}", d.name.replace('.', ",DC="))),
                    custom_security_group_id: None,
                    instance_iam_role_arn: None,
                    enable_work_docs: Some(false),
                }),
                access: Some({
                    let allow = |on: bool| if on { Access::Allow } else { Access::Deny };
                    AccessProperties {
                        // Corporate directories admit only managed Windows devices.
                        windows: if corporate {
                            Access::Trust
                        } else {
                            Access::Allow
                        },
                        macos: Access::Allow,
                        linux: allow(corporate),
                        web: allow(!corporate),
                        ios: allow(corporate),
                        android: allow(corporate),
                        chrome_os: allow(corporate),
                        zero_client: Access::Deny,
                        thin_client: Access::Deny,
                    }
                }),
                tenancy: Some("SHARED".into()),
                log_upload: None,
            };
            (d.id.to_string(), extras)
        })
        .collect();
    let bundle_images = if region == "eu-west-1" {
        [
            ("wsb-office-std-eu", "wsi-0f2c9a7b1"),
            ("wsb-office-perf-eu", "wsi-0f2c9a7b1"),
            ("wsb-dev-power-eu", "wsi-0a81d44e6"),
        ]
        .iter()
        .map(|(bundle, image)| (bundle.to_string(), image.to_string()))
        .collect()
    } else {
        Default::default()
    };
    OverlaySeed {
        directories,
        bundle_images,
    }
}

/// Starts the emulator, seeds the demo fleet and returns one SDK client per Region.
pub async fn demo_clients() -> Result<Vec<Arc<dyn WorkspacesApi>>, ServerError> {
    let mock = demo_emulator().await?;
    let mut clients: Vec<Arc<dyn WorkspacesApi>> = Vec::new();
    for region in DEMO_REGIONS {
        let config = mock.sdk_config(region).await;
        clients.push(Arc::new(SdkWorkspaces::new(&config, region)));
    }
    Ok(clients)
}

/// The emulator with the demo fleet seeded in every demo Region, for callers that build
/// their own SDK configuration over its HTTP client (the fault tests put faults there).
pub async fn demo_emulator() -> Result<MockAws, ServerError> {
    let service = Arc::new(WorkSpacesService::new());
    let mock = MockAws::builder().with_service(service.clone()).build();
    for region in DEMO_REGIONS {
        seed_region(&service, region).await?;
    }
    Ok(mock)
}

async fn seed_region(service: &WorkSpacesService, region: &str) -> Result<(), ServerError> {
    let view: WorkSpacesStateView =
        serde_json::from_value(region_state(region)).map_err(|error| {
            ServerError::Demo(format!(
                "the seed does not match the emulator's state layout: {error}"
            ))
        })?;
    service
        .merge(default_account_id(), region, view)
        .await
        .map_err(|error| ServerError::Demo(format!("the emulator refused the seed: {error:?}")))
}

#[cfg(test)]
mod tests {
    use super::seed::region_state;
    use super::*;

    #[test]
    fn the_seed_is_a_valid_emulator_state_with_the_promised_fleet() {
        let mut total = 0;
        for region in DEMO_REGIONS {
            let view: WorkSpacesStateView =
                serde_json::from_value(region_state(region)).expect("valid view");
            total += view.workspaces.len();
            let states: std::collections::HashSet<_> = view
                .workspaces
                .values()
                .map(|ws| ws.state.clone())
                .collect();
            assert!(states.len() >= 5, "{region} has too few states: {states:?}");
        }
        assert!(total >= 250, "only {total} demo WorkSpaces");
    }
}
