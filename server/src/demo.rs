//! Demo mode: the production SDK client, with its HTTP client served in-process by the
//! `winterbaume-workspaces` emulator, seeded with a believable fleet.
//!
//! Everything above the HTTP client is the code that runs against AWS: the same
//! `SdkWorkspaces`, the same request serialisation and response parsing. Only the seed
//! is written straight into the emulator's state, because the WorkSpaces API cannot
//! create WorkSpaces in states such as `ERROR` or give them distinct IP addresses.
//! The fleet is generated from a fixed seed, so every demo start looks the same.

use std::sync::Arc;

use app::model::{Access, AccessProperties, CreationProperties, SelfService};
use app::server::aws::WorkspacesApi;
use serde_json::{Value, json};
use winterbaume_core::{MockAws, StatefulService, default_account_id};
use winterbaume_workspaces::{WorkSpacesService, WorkSpacesStateView};

use crate::aws_sdk::SdkWorkspaces;
use crate::demo_applications::{DemoApplications, SeedWorkspace};
use crate::demo_extras::{DemoExtras, SeedPair};
use crate::demo_overlay::{DemoOverlay, DirectoryExtras, OverlaySeed};
use crate::error::ServerError;

/// The Regions of the demo fleet.
pub const DEMO_REGIONS: [&str; 2] = ["eu-west-1", "us-east-1"];

/// How many WorkSpaces each demo directory holds.
const DIRECTORIES: [DemoDirectory; 3] = [
    DemoDirectory {
        region: "eu-west-1",
        id: "d-93670c1e5a",
        name: "corp.example.com",
        alias: "example-corp",
        directory_type: "AD_CONNECTOR",
        subnet_base: "10.20",
        workspaces: 150,
    },
    DemoDirectory {
        region: "eu-west-1",
        id: "d-936a2b77c1",
        name: "contractors.example.com",
        alias: "example-contractors",
        directory_type: "SIMPLE_AD",
        subnet_base: "10.21",
        workspaces: 40,
    },
    DemoDirectory {
        region: "us-east-1",
        id: "d-9067a3f4e2",
        name: "us.corp.example.com",
        alias: "example-us",
        directory_type: "AD_CONNECTOR",
        subnet_base: "10.40",
        workspaces: 90,
    },
];

struct DemoDirectory {
    region: &'static str,
    id: &'static str,
    name: &'static str,
    alias: &'static str,
    directory_type: &'static str,
    subnet_base: &'static str,
    workspaces: usize,
}

const FIRST_NAMES: [&str; 32] = [
    "anna", "ben", "carla", "david", "elena", "felix", "grace", "hannah", "ivan", "julia", "karim",
    "lena", "marco", "nina", "oliver", "paula", "quentin", "rosa", "samir", "tara", "ulrich",
    "vera", "william", "ximena", "yusuf", "zoe", "amir", "beatriz", "chen", "dmitri", "emma",
    "fatima",
];

const LAST_NAMES: [&str; 32] = [
    "schmidt", "okafor", "rossi", "nguyen", "kowalski", "garcia", "muller", "tanaka", "smith",
    "dubois", "jensen", "silva", "novak", "haddad", "obrien", "fischer", "larsen", "moreau", "kim",
    "petrov", "weber", "costa", "brown", "ivanova", "sato", "wagner", "lopez", "meyer", "andersen",
    "popescu", "walsh", "becker",
];

const DEPARTMENTS: [&str; 6] = ["Finance", "Engineering", "Sales", "Support", "HR", "Legal"];

/// A tiny deterministic generator (SplitMix64), enough to vary the demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| format!("{:x}", self.below(16))).collect()
    }
}

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
                operating_system: crate::demo_extras::operating_system(
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

/// The emulator state of one demo Region as the emulator's JSON state view.
fn region_state(region: &str) -> Value {
    let account = default_account_id();
    let mut rng = Rng(match region {
        "eu-west-1" => 0x5eed_0001,
        _ => 0x5eed_0002,
    });

    let images = demo_images(region, account);
    let bundles = demo_bundles(region, account);
    // Regular WorkSpaces come from regular bundles; standby bundles serve standbys only.
    let bundle_ids: Vec<String> = bundles
        .keys()
        .filter(|id| !id.starts_with("wsb-standby"))
        .cloned()
        .collect();

    let mut directories = serde_json::Map::new();
    let mut workspaces = serde_json::Map::new();
    let mut tags = serde_json::Map::new();
    let mut user_number = 0;
    for dir in DIRECTORIES.iter().filter(|dir| dir.region == region) {
        directories.insert(
            dir.id.to_string(),
            json!({
                "directory_id": dir.id,
                "directory_name": dir.name,
                "directory_type": dir.directory_type,
                "alias": dir.alias,
                "state": "REGISTERED",
                "registration_code": format!("SLiad+{}", rng.hex(6).to_uppercase()),
                "workspace_security_group_id": format!("sg-0{}", rng.hex(16)),
                "iam_role_id": format!("arn:aws:iam::{account}:role/workspaces_DefaultRole"),
            }),
        );
        for n in 0..dir.workspaces {
            user_number += 1;
            let first = FIRST_NAMES[rng.below(FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.below(LAST_NAMES.len())];
            let user = if dir.id.ends_with("c1") {
                format!("ext.{first}.{last}{user_number}")
            } else {
                format!("{}{last}{user_number}", &first[..1])
            };
            let id = format!("ws-{}", rng.hex(9));
            let state = demo_state(&mut rng);
            let always_on = rng.below(10) < 3;
            let bundle_id = &bundle_ids[rng.below(bundle_ids.len())];
            workspaces.insert(
                id.clone(),
                json!({
                    "workspace_id": id,
                    "directory_id": dir.id,
                    "user_name": user,
                    "bundle_id": bundle_id,
                    "state": state,
                    "ip_address": format!("{}.{}.{}", dir.subnet_base, 1 + n / 200, 10 + n % 200),
                    "computer_name": format!("WSAMZN-{}", rng.hex(8).to_uppercase()),
                    "subnet_id": format!("subnet-0{}", rng.hex(16)),
                    "root_volume_size_gib": 80,
                    "user_volume_size_gib": if rng.below(4) == 0 { 100 } else { 50 },
                    "volume_encryption_key": null,
                    "user_volume_encryption_enabled": dir.id != "d-936a2b77c1",
                    "root_volume_encryption_enabled": dir.id != "d-936a2b77c1",
                    "running_mode": if always_on { "ALWAYS_ON" } else { "AUTO_STOP" },
                    "running_mode_auto_stop_timeout_in_minutes": if always_on { 0 } else { 60 },
                }),
            );
            tags.insert(
                id,
                json!([
                    {"key": "Department", "value": DEPARTMENTS[rng.below(DEPARTMENTS.len())]},
                    {"key": "CostCenter", "value": format!("CC-{}", 1000 + rng.below(40))},
                ]),
            );
        }
    }

    // Every other resource carries the tags an organised account gives it.
    let ip_groups = demo_ip_groups(region);
    let owned = |map: &serde_json::Map<String, Value>, owner: &str| -> Vec<String> {
        map.iter()
            .filter(|(_, item)| {
                item["owner"].as_str().or(item["owner_account_id"].as_str()) == Some(owner)
            })
            .map(|(id, _)| id.clone())
            .collect()
    };
    let mut resources: Vec<(String, &str)> = Vec::new();
    resources.extend(directories.keys().map(|id| (id.clone(), "Identity")));
    resources.extend(
        owned(&images, account)
            .into_iter()
            .map(|id| (id, "Imaging")),
    );
    resources.extend(
        owned(&bundles, account)
            .into_iter()
            .map(|id| (id, "Imaging")),
    );
    if let Some(groups) = ip_groups.as_object() {
        resources.extend(groups.keys().map(|id| (id.clone(), "Network")));
    }
    for (id, team) in resources {
        tags.insert(
            id,
            json!([
                {"key": "Owner", "value": format!("{team} team")},
                {"key": "Environment", "value": "production"},
            ]),
        );
    }

    json!({
        "workspaces": workspaces,
        "directories": directories,
        "tags": tags,
        "images": images,
        "bundles": bundles,
        "ip_groups": ip_groups,
        "client_properties": demo_client_properties(region),
        "connection_aliases": demo_aliases(region, account),
        "connection_alias_permissions": demo_alias_permissions(region),
    })
}

/// The WorkSpaces client settings: the corporate directories let users reconnect
/// without their password, the contractors' directory does not; only the corporate EU
/// directory uploads client logs.
fn demo_client_properties(region: &str) -> Value {
    let word = |on: bool| app::model::enabled_word(on);
    DIRECTORIES
        .iter()
        .filter(|d| d.region == region)
        .map(|d| {
            let corporate = d.directory_type == "AD_CONNECTOR";
            (
                d.id.to_string(),
                json!({
                    "reconnect_enabled": word(corporate),
                    "log_upload_enabled": word(corporate && region == "eu-west-1"),
                }),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The id of the EU alias that is shared with a partner account.
const SHARED_ALIAS: &str = "wsca-7c41e09b2d5f4a8e91c3b6d20";

/// Connection aliases for cross-Region redirection: `desktop.example.com` in both
/// Regions (associated with the corporate directory in the EU, not yet in the US), and
/// `partners.example.com` in the EU, shared with a partner account.
fn demo_aliases(region: &str, account: &str) -> Value {
    let alias = |id: &str, connection_string: &str, associations: Value| {
        json!({
            "alias_id": id,
            "connection_string": connection_string,
            "owner_account_id": account,
            "state": "CREATED",
            "associations": associations,
        })
    };
    if region == "eu-west-1" {
        json!({
            "wsca-3f9a1c0d7e2b4c6a85d1e0f47": alias(
                "wsca-3f9a1c0d7e2b4c6a85d1e0f47",
                "desktop.example.com",
                json!([{
                    "connection_identifier": "6e0a5f3c2b1d",
                    "resource_id": "d-93670c1e5a",
                    "associated_account_id": account,
                }]),
            ),
            SHARED_ALIAS: alias(SHARED_ALIAS, "partners.example.com", json!([])),
        })
    } else {
        json!({
            "wsca-9b2e4d6f8a0c1e3f5a7b9d1c3": alias(
                "wsca-9b2e4d6f8a0c1e3f5a7b9d1c3",
                "desktop.example.com",
                json!([]),
            ),
        })
    }
}

fn demo_alias_permissions(region: &str) -> Value {
    if region != "eu-west-1" {
        return json!({});
    }
    json!({
        SHARED_ALIAS: [{"shared_account_id": "210987654321", "allow_association": true}],
    })
}

/// Mostly running or stopped desktops, and a few in every other state a help desk sees.
fn demo_state(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..=67 => "AVAILABLE",
        68..=84 => "STOPPED",
        85..=87 => "REBOOTING",
        88..=89 => "STARTING",
        90 => "STOPPING",
        91..=92 => "PENDING",
        93..=94 => "UNHEALTHY",
        95 => "ERROR",
        96..=97 => "ADMIN_MAINTENANCE",
        98 => "IMPAIRED",
        _ => "SUSPENDED",
    }
}

fn demo_images(region: &str, account: &str) -> serde_json::Map<String, Value> {
    let all = [
        (
            "eu-west-1",
            "wsi-0f2c9a7b1",
            "Win2022-Office-2026-10",
            "Windows Server 2022 with Microsoft 365 Apps, October patches",
            "AVAILABLE",
            "WINDOWS",
            "2026-10-14T09:12:00Z",
        ),
        (
            "eu-west-1",
            "wsi-0a81d44e6",
            "Ubuntu22-Dev-2026-09",
            "Ubuntu 22.04 with developer tools",
            "AVAILABLE",
            "LINUX",
            "2026-09-02T15:40:00Z",
        ),
        (
            "eu-west-1",
            "wsi-0d9b71c3e",
            "Win10-BYOL-2026-08",
            "Windows 10 Enterprise 22H2 under the company's own licence",
            "AVAILABLE",
            "WINDOWS",
            "2026-08-20T10:00:00Z",
        ),
        (
            "us-east-1",
            "wsi-0b7e3c912",
            "Win2022-Analytics-2026-11",
            "Windows Server 2022 with Power BI and Python",
            "PENDING",
            "WINDOWS",
            "2026-11-20T18:05:00Z",
        ),
    ];
    all.iter()
        .filter(|image| image.0 == region)
        .map(|(_, id, name, description, state, os, created)| {
            (
                id.to_string(),
                json!({
                    "image_id": id,
                    "name": name,
                    "description": description,
                    "state": state,
                    "operating_system_type": os,
                    "owner_account_id": account,
                    // BYOL images run on dedicated hardware (003_73a90d7ae4a9d914.txt).
                    "required_tenancy": if name.contains("BYOL") { "DEDICATED" } else { "DEFAULT" },
                    "created": created,
                }),
            )
        })
        .collect()
}

fn demo_bundles(region: &str, account: &str) -> serde_json::Map<String, Value> {
    let all = [
        (
            "wsb-office-std",
            "Office Standard",
            "Windows 2022, Microsoft 365 Apps",
            "STANDARD",
            80,
            50,
        ),
        (
            "wsb-office-perf",
            "Office Performance",
            "Windows 2022, Microsoft 365 Apps, more memory",
            "PERFORMANCE",
            80,
            100,
        ),
        (
            "wsb-dev-power",
            "Developer Power",
            "Ubuntu 22.04 developer desktop",
            "POWER",
            175,
            100,
        ),
        (
            "wsb-kiosk-value",
            "Kiosk Value",
            "Shared front-desk terminal",
            "VALUE",
            80,
            10,
        ),
        (
            "wsb-standby",
            "Standby Standard",
            "Standby WorkSpaces of eu-west-1 primaries",
            "STANDARD",
            80,
            50,
        ),
    ];
    let suffix = if region == "eu-west-1" { "eu" } else { "us" };
    all.iter()
        // Standbys of the eu-west-1 primaries live in us-east-1.
        .filter(|(id, ..)| *id != "wsb-standby" || region == "us-east-1")
        .map(|(id, name, description, compute, root, user)| {
            let id = format!("{id}-{suffix}");
            (
                id.clone(),
                json!({
                    "bundle_id": id,
                    "name": name,
                    "owner": account,
                    "description": description,
                    // 002_363a3ccb364b572d.txt:142: REGULAR or STANDBY.
                    "bundle_type": if id.starts_with("wsb-standby") { "STANDBY" } else { "REGULAR" },
                    "compute_type_name": compute,
                    "root_storage_capacity": root,
                    "user_storage_capacity": user,
                    "creation_time": "2026-06-01T08:00:00Z",
                }),
            )
        })
        .collect()
}

fn demo_ip_groups(region: &str) -> Value {
    if region != "eu-west-1" {
        return json!({});
    }
    json!({
        "wsipg-offices01": {
            "group_id": "wsipg-offices01",
            "group_name": "Office networks",
            "group_desc": "Head office and branches",
            "user_rules": [
                {"ip_rule": "203.0.113.0/24", "rule_desc": "Berlin head office"},
                {"ip_rule": "198.51.100.0/25", "rule_desc": "Munich branch"},
            ],
        },
        "wsipg-vpn00002": {
            "group_id": "wsipg-vpn00002",
            "group_name": "VPN egress",
            "group_desc": "Remote access VPN gateways",
            "user_rules": [
                {"ip_rule": "192.0.2.10/32", "rule_desc": "VPN gateway A"},
                {"ip_rule": "192.0.2.11/32", "rule_desc": "VPN gateway B"},
            ],
        },
    })
}

#[cfg(test)]
mod tests {
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
