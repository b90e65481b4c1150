//! The demo fleet's seed: three directories with their WorkSpaces, images, bundles, IP
//! groups, client properties and connection aliases, written as the emulator's state JSON.
//! A fixed-seed generator makes every start look the same.

use serde_json::{Value, json};
use winterbaume_core::default_account_id;

/// How many WorkSpaces each demo directory holds.
pub(super) const DIRECTORIES: [DemoDirectory; 3] = [
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

pub(super) struct DemoDirectory {
    pub(super) region: &'static str,
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) alias: &'static str,
    pub(super) directory_type: &'static str,
    pub(super) subnet_base: &'static str,
    pub(super) workspaces: usize,
}

pub(super) const FIRST_NAMES: [&str; 32] = [
    "anna", "ben", "carla", "david", "elena", "felix", "grace", "hannah", "ivan", "julia", "karim",
    "lena", "marco", "nina", "oliver", "paula", "quentin", "rosa", "samir", "tara", "ulrich",
    "vera", "william", "ximena", "yusuf", "zoe", "amir", "beatriz", "chen", "dmitri", "emma",
    "fatima",
];

pub(super) const LAST_NAMES: [&str; 32] = [
    "schmidt", "okafor", "rossi", "nguyen", "kowalski", "garcia", "muller", "tanaka", "smith",
    "dubois", "jensen", "silva", "novak", "haddad", "obrien", "fischer", "larsen", "moreau", "kim",
    "petrov", "weber", "costa", "brown", "ivanova", "sato", "wagner", "lopez", "meyer", "andersen",
    "popescu", "walsh", "becker",
];

pub(super) const DEPARTMENTS: [&str; 6] =
    ["Finance", "Engineering", "Sales", "Support", "HR", "Legal"];

/// A number from a WorkSpace id, the same at every start.
pub(super) fn hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A tiny deterministic generator (SplitMix64), enough to vary the demo data.
pub(super) struct Rng(u64);

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

/// The emulator state of one demo Region as the emulator's JSON state view.
pub(super) fn region_state(region: &str) -> Value {
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
pub(super) fn demo_client_properties(region: &str) -> Value {
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
pub(super) const SHARED_ALIAS: &str = "wsca-7c41e09b2d5f4a8e91c3b6d20";

/// Connection aliases for cross-Region redirection: `desktop.example.com` in both
/// Regions (associated with the corporate directory in the EU, not yet in the US), and
/// `partners.example.com` in the EU, shared with a partner account.
pub(super) fn demo_aliases(region: &str, account: &str) -> Value {
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

pub(super) fn demo_alias_permissions(region: &str) -> Value {
    if region != "eu-west-1" {
        return json!({});
    }
    json!({
        SHARED_ALIAS: [{"shared_account_id": "210987654321", "allow_association": true}],
    })
}

/// Mostly running or stopped desktops, and a few in every other state a help desk sees.
pub(super) fn demo_state(rng: &mut Rng) -> &'static str {
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

pub(super) fn demo_images(region: &str, account: &str) -> serde_json::Map<String, Value> {
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

pub(super) fn demo_bundles(region: &str, account: &str) -> serde_json::Map<String, Value> {
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

pub(super) fn demo_ip_groups(region: &str) -> Value {
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
