//! The fleet listing: every WorkSpace of every configured Region, searched, filtered,
//! sorted and cut into pages.
//!
//! For now it asks AWS directly (through [`WorkspacesApi`]) on each request; the
//! inventory cache replaces these live calls.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::error::AppError;
use crate::model::{FLEET_PAGE_SIZE, FleetPage, FleetQuery, Workspace};
use crate::server::aws::{BundleOwner, WorkspacesApi, all_pages};
use crate::server::state::AppState;

/// One page of the fleet for `query`, read live from every configured Region.
pub async fn fleet_page(state: &AppState, query: &FleetQuery) -> Result<FleetPage, AppError> {
    let mut fleet = Vec::new();
    for api in state.regions.iter() {
        fleet.extend(region_workspaces(api.as_ref()).await?);
    }
    Ok(select_page(fleet, query, state.region_names()))
}

/// All WorkSpaces of one Region, with the compute type taken from the bundle where the
/// WorkSpace's own properties leave it out.
async fn region_workspaces(api: &dyn WorkspacesApi) -> Result<Vec<Workspace>, AppError> {
    let mut workspaces = all_pages(|token| api.describe_workspaces(token)).await?;
    let bundles = all_pages(|token| api.describe_bundles(BundleOwner::Account, token)).await?;
    let compute_by_bundle: HashMap<String, String> = bundles
        .into_iter()
        .filter_map(|bundle| bundle.compute_type.map(|compute| (bundle.id, compute)))
        .collect();
    for workspace in &mut workspaces {
        if workspace.compute_type.is_none() {
            workspace.compute_type = compute_by_bundle.get(&workspace.bundle_id).cloned();
        }
    }
    Ok(workspaces)
}

/// Applies search, filters and sort to `fleet` and returns the requested page.
pub fn select_page(fleet: Vec<Workspace>, query: &FleetQuery, regions: Vec<String>) -> FleetPage {
    let needle = query.q.trim().to_lowercase();
    let searched: Vec<Workspace> = fleet
        .into_iter()
        .filter(|ws| query.region.is_empty() || ws.region == query.region)
        .filter(|ws| needle.is_empty() || matches_search(ws, &needle))
        .collect();

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for ws in &searched {
        *counts.entry(ws.state.as_api().to_string()).or_default() += 1;
    }

    let mut matching: Vec<Workspace> = searched
        .into_iter()
        .filter(|ws| query.state.is_empty() || ws.state.as_api() == query.state)
        .collect();
    matching.sort_by(|a, b| {
        let order = compare(a, b, &query.sort).then_with(|| a.id.cmp(&b.id));
        if query.desc { order.reverse() } else { order }
    });

    let total = matching.len();
    let rows = matching
        .into_iter()
        .skip(query.page * FLEET_PAGE_SIZE)
        .take(FLEET_PAGE_SIZE)
        .collect();
    FleetPage {
        rows,
        total,
        state_counts: counts.into_iter().collect(),
        regions,
    }
}

fn matches_search(ws: &Workspace, needle: &str) -> bool {
    ws.id.to_lowercase().contains(needle)
        || ws.user_name.to_lowercase().contains(needle)
        || ws
            .computer_name
            .as_deref()
            .is_some_and(|name| name.to_lowercase().contains(needle))
        || ws
            .ip_address
            .as_deref()
            .is_some_and(|ip| ip.starts_with(needle))
}

fn compare(a: &Workspace, b: &Workspace, column: &str) -> Ordering {
    match column {
        "id" => a.id.cmp(&b.id),
        "computer" => a.computer_name.cmp(&b.computer_name),
        "state" => a.state.as_api().cmp(b.state.as_api()),
        "directory" => a.directory_id.cmp(&b.directory_id),
        "bundle" => a.bundle_id.cmp(&b.bundle_id),
        "region" => a.region.cmp(&b.region),
        "ip" => ip_key(&a.ip_address).cmp(&ip_key(&b.ip_address)),
        _ => a.user_name.to_lowercase().cmp(&b.user_name.to_lowercase()),
    }
}

/// Sorts IPv4 addresses numerically (10.0.0.9 before 10.0.0.10); others after them.
fn ip_key(ip: &Option<String>) -> (u8, Vec<u32>, String) {
    let text = ip.clone().unwrap_or_default();
    let parts: Option<Vec<u32>> = text.split('.').map(|part| part.parse().ok()).collect();
    match parts {
        Some(numbers) if numbers.len() == 4 => (0, numbers, text),
        _ => (1, Vec::new(), text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkspaceState;

    fn ws(id: &str, user: &str, state: WorkspaceState, ip: &str, region: &str) -> Workspace {
        Workspace {
            id: id.into(),
            region: region.into(),
            directory_id: "d-1".into(),
            user_name: user.into(),
            computer_name: Some(format!("PC-{id}")),
            ip_address: Some(ip.into()),
            state,
            bundle_id: "wsb-1".into(),
            subnet_id: None,
            compute_type: None,
            running_mode: None,
            auto_stop_timeout_minutes: None,
            root_volume_gib: None,
            user_volume_gib: None,
            root_volume_encrypted: false,
            user_volume_encrypted: false,
            error_code: None,
            error_message: None,
        }
    }

    fn fleet() -> Vec<Workspace> {
        vec![
            ws("ws-a", "carol", WorkspaceState::Available, "10.0.0.10", "eu-west-1"),
            ws("ws-b", "Alice", WorkspaceState::Stopped, "10.0.0.9", "eu-west-1"),
            ws("ws-c", "bob", WorkspaceState::Available, "10.1.0.1", "us-east-1"),
        ]
    }

    fn ids(page: &FleetPage) -> Vec<&str> {
        page.rows.iter().map(|ws| ws.id.as_str()).collect()
    }

    #[test]
    fn sorts_by_user_name_ignoring_case_by_default() {
        let page = select_page(fleet(), &FleetQuery::default(), vec![]);
        assert_eq!(ids(&page), vec!["ws-b", "ws-c", "ws-a"]);
        assert_eq!(page.total, 3);
    }

    #[test]
    fn search_matches_user_computer_and_ip_prefix() {
        let query = |q: &str| FleetQuery { q: q.into(), ..FleetQuery::default() };
        assert_eq!(ids(&select_page(fleet(), &query("ALI"), vec![])), vec!["ws-b"]);
        assert_eq!(ids(&select_page(fleet(), &query("pc-ws-c"), vec![])), vec!["ws-c"]);
        assert_eq!(ids(&select_page(fleet(), &query("10.1."), vec![])), vec!["ws-c"]);
        // An IP matches by prefix only, not anywhere in the address.
        assert!(select_page(fleet(), &query("0.1"), vec![]).rows.is_empty());
    }

    #[test]
    fn state_filter_keeps_counts_of_every_state() {
        let query = FleetQuery { state: "AVAILABLE".into(), ..FleetQuery::default() };
        let page = select_page(fleet(), &query, vec![]);
        assert_eq!(ids(&page), vec!["ws-c", "ws-a"]);
        assert_eq!(
            page.state_counts,
            vec![("AVAILABLE".to_string(), 2), ("STOPPED".to_string(), 1)]
        );
    }

    #[test]
    fn ip_sort_is_numeric_and_desc_reverses() {
        let query = FleetQuery { sort: "ip".into(), desc: true, ..FleetQuery::default() };
        assert_eq!(ids(&select_page(fleet(), &query, vec![])), vec!["ws-c", "ws-a", "ws-b"]);
    }

    #[test]
    fn pages_cut_the_sorted_list() {
        let many: Vec<Workspace> = (0..120)
            .map(|n| ws(&format!("ws-{n:03}"), &format!("u{n:03}"), WorkspaceState::Available, "10.0.0.1", "r"))
            .collect();
        let query = FleetQuery { page: 2, ..FleetQuery::default() };
        let page = select_page(many, &query, vec![]);
        assert_eq!(page.total, 120);
        assert_eq!(ids(&page).first(), Some(&"ws-100"));
        assert_eq!(page.rows.len(), 20);
    }
}
