//! The fleet and connections queries on a small, known cache: each filter, each sort,
//! paging and the counts by state.

use std::collections::HashMap;

use app::model::{
    ConnectionStatus, ConnectionsQuery, FleetQuery, StandbyRole, Tag, Workspace, WorkspaceDetails,
    WorkspaceState,
};
use app::server::aws::DescribedWorkspace;
use app::server::repo::inventory;

struct Fixture {
    id: &'static str,
    user: &'static str,
    state: WorkspaceState,
    region: &'static str,
    directory: &'static str,
    bundle: &'static str,
    compute: Option<&'static str>,
    mode: &'static str,
    ip: &'static str,
}

const FLEET: [Fixture; 4] = [
    Fixture {
        id: "ws-aaa",
        user: "carol",
        state: WorkspaceState::Available,
        region: "eu-west-1",
        directory: "d-1",
        bundle: "wsb-std",
        compute: Some("STANDARD"),
        mode: "AUTO_STOP",
        ip: "10.0.0.10",
    },
    Fixture {
        id: "ws-bbb",
        user: "Alice",
        state: WorkspaceState::Stopped,
        region: "eu-west-1",
        directory: "d-2",
        bundle: "wsb-pow",
        compute: None,
        mode: "ALWAYS_ON",
        ip: "10.0.0.9",
    },
    Fixture {
        id: "ws-ccc",
        user: "bob",
        state: WorkspaceState::Available,
        region: "us-east-1",
        directory: "d-3",
        bundle: "wsb-std",
        compute: Some("STANDARD"),
        mode: "AUTO_STOP",
        ip: "10.1.0.1",
    },
    Fixture {
        id: "ws-ddd",
        user: "dave_x",
        state: WorkspaceState::Error,
        region: "us-east-1",
        directory: "d-3",
        bundle: "wsb-pow",
        compute: None,
        mode: "AUTO_STOP",
        ip: "192.168.0.1",
    },
];

async fn cache() -> (tempfile::TempDir, sqlx::AnyPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = crate::common::test_pool(&dir, "q").await;
    let items: Vec<DescribedWorkspace> = FLEET
        .iter()
        .map(|f| DescribedWorkspace {
            workspace: Workspace {
                id: f.id.into(),
                region: f.region.into(),
                directory_id: f.directory.into(),
                user_name: f.user.into(),
                computer_name: Some(format!("PC-{}", f.id.to_uppercase())),
                ip_address: Some(f.ip.into()),
                state: f.state.clone(),
                bundle_id: f.bundle.into(),
                compute_type: f.compute.map(str::to_string),
                running_mode: Some(f.mode.into()),
                ..Workspace::default()
            },
            details: WorkspaceDetails::default(),
        })
        .collect();
    let mut items = items;
    // Protocols, operating systems and a standby pair (002_363a3ccb364b572d.txt:179, :294).
    for (item, protocol, os, role) in [
        (0, "WSP", "WINDOWS_SERVER_2022", Some(StandbyRole::Primary)),
        (1, "PCOIP", "UBUNTU_22_04", Some(StandbyRole::Standby)),
        (2, "WSP", "WINDOWS_SERVER_2022", None),
    ] {
        let ws = &mut items[item].workspace;
        ws.protocols = vec![protocol.to_string()];
        ws.operating_system = Some(os.to_string());
        ws.standby_role = role;
    }
    let compute_by_bundle = HashMap::from([("wsb-pow".to_string(), "POWER".to_string())]);
    inventory::store_workspaces(&pool, &items, &compute_by_bundle, &inventory::now())
        .await
        .expect("store");
    let status = |id: &str, state: &str, last: Option<&str>| ConnectionStatus {
        workspace_id: id.into(),
        region: String::new(),
        connection_state: Some(state.into()),
        connection_state_checked: None,
        last_known_user_connection: last.map(str::to_string),
    };
    inventory::store_connection_status(
        &pool,
        &[
            status("ws-aaa", "CONNECTED", Some("2099-01-01T00:00:00Z")),
            status("ws-bbb", "DISCONNECTED", Some("2020-01-01T00:00:00Z")),
            status("ws-ccc", "DISCONNECTED", None),
        ],
    )
    .await
    .expect("status");
    let tag = |key: &str, value: &str| Tag {
        key: key.into(),
        value: value.into(),
    };
    inventory::store_tags(
        &pool,
        "ws-aaa",
        &[tag("Department", "HR")],
        "2026-01-01T00:00:00Z",
    )
    .await
    .expect("tags");
    inventory::store_tags(
        &pool,
        "ws-ccc",
        &[tag("Department", "Sales")],
        "2026-01-01T00:00:00Z",
    )
    .await
    .expect("tags");
    (dir, pool)
}

async fn ids(pool: &sqlx::AnyPool, query: FleetQuery) -> Vec<String> {
    inventory::fleet_rows(pool, &query, None)
        .await
        .expect("query")
        .into_iter()
        .map(|ws| ws.id)
        .collect()
}

fn q(change: impl FnOnce(&mut FleetQuery)) -> FleetQuery {
    let mut query = FleetQuery::default();
    change(&mut query);
    query
}

#[tokio::test]
async fn each_filter_narrows_the_fleet() {
    let (_dir, pool) = cache().await;
    assert_eq!(ids(&pool, q(|q| q.q = "ALI".into())).await, ["ws-bbb"]);
    assert_eq!(ids(&pool, q(|q| q.q = "pc-ws-c".into())).await, ["ws-ccc"]);
    assert_eq!(ids(&pool, q(|q| q.q = "10.1.".into())).await, ["ws-ccc"]);
    assert!(
        ids(&pool, q(|q| q.q = "0.1".into())).await.is_empty(),
        "IP matches by prefix only"
    );
    assert_eq!(
        ids(&pool, q(|q| q.q = "_".into())).await,
        ["ws-ddd"],
        "LIKE wildcards are literal"
    );
    assert_eq!(
        ids(&pool, q(|q| q.region = "us-east-1".into())).await,
        ["ws-ccc", "ws-ddd"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.directory = "d-2".into())).await,
        ["ws-bbb"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.state = "AVAILABLE".into())).await,
        ["ws-ccc", "ws-aaa"]
    );
    // Issue 27, item 7: the connections page's idle views, as a fleet filter.
    assert_eq!(ids(&pool, q(|q| q.idle = "30".into())).await, ["ws-bbb"]);
    assert_eq!(
        ids(&pool, q(|q| q.idle = "never".into())).await,
        ["ws-ccc", "ws-ddd"]
    );
    // Issue 27, item 6: several states at once (the chips add states).
    assert_eq!(
        ids(&pool, q(|q| q.state = "ERROR,STOPPED".into())).await,
        ["ws-bbb", "ws-ddd"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.compute = "POWER".into())).await,
        ["ws-bbb", "ws-ddd"],
        "from the bundle"
    );
    assert_eq!(
        ids(&pool, q(|q| q.mode = "ALWAYS_ON".into())).await,
        ["ws-bbb"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.bundle = "wsb-std".into())).await,
        ["ws-ccc", "ws-aaa"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.connection = "CONNECTED".into())).await,
        ["ws-aaa"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.connection = "UNKNOWN".into())).await,
        ["ws-ddd"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.tag = "Department=HR".into())).await,
        ["ws-aaa"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.tag = "Department".into())).await,
        ["ws-ccc", "ws-aaa"]
    );
    assert_eq!(
        ids(
            &pool,
            q(|q| {
                q.region = "us-east-1".into();
                q.state = "ERROR".into();
            })
        )
        .await,
        ["ws-ddd"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.protocol = "WSP".into())).await,
        ["ws-ccc", "ws-aaa"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.os = "UBUNTU_22_04".into())).await,
        ["ws-bbb"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.standby = "primary".into())).await,
        ["ws-aaa"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.standby = "standby".into())).await,
        ["ws-bbb"]
    );
    assert_eq!(
        ids(&pool, q(|q| q.standby = "none".into())).await,
        ["ws-ccc", "ws-ddd"]
    );
}

#[tokio::test]
async fn search_uses_the_trigram_index_and_follows_renames() {
    let (_dir, pool) = cache().await;
    assert_eq!(
        ids(&pool, q(|q| q.q = "Ws-AaA".into())).await,
        ["ws-aaa"],
        "any case"
    );
    assert!(
        ids(&pool, q(|q| q.q = "x\"y OR z".into())).await.is_empty(),
        "quotes and FTS words are literal text"
    );
    // A sync that renames a user (or a computer) updates the index through the trigger.
    let mut renamed = inventory::workspaces_by_id(&pool, &["ws-ddd".to_string()])
        .await
        .expect("cached")
        .remove(0);
    renamed.user_name = "marguerite".into();
    let item = DescribedWorkspace {
        workspace: renamed,
        details: WorkspaceDetails::default(),
    };
    inventory::store_workspaces(&pool, &[item], &HashMap::new(), &inventory::now())
        .await
        .expect("store");
    assert_eq!(ids(&pool, q(|q| q.q = "guer".into())).await, ["ws-ddd"]);
    assert!(ids(&pool, q(|q| q.q = "dave".into())).await.is_empty());
}

#[tokio::test]
async fn the_csv_export_streams_every_row_in_order_past_one_chunk() {
    let (_dir, pool) = cache().await;
    let template = inventory::workspaces_by_id(&pool, &["ws-aaa".to_string()])
        .await
        .expect("cached")
        .remove(0);
    // More rows than one chunk of the stream (500), in users that sort after the four.
    let many: Vec<DescribedWorkspace> = (0..1234)
        .map(|n| DescribedWorkspace {
            workspace: Workspace {
                id: format!("ws-bulk{n:05}"),
                user_name: format!("zz-user{n:05}"),
                ..template.clone()
            },
            details: WorkspaceDetails::default(),
        })
        .collect();
    inventory::store_workspaces(&pool, &many, &HashMap::new(), &inventory::now())
        .await
        .expect("store");
    let body = app::server::export::fleet_csv_stream(pool.clone(), FleetQuery::default(), false)
        .await
        .expect("export");
    let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 1 + 4 + 1234, "header, the four, the bulk rows");
    assert!(lines[0].starts_with("\"workspace_id\",\"user_name\""));
    assert!(
        lines[5].starts_with("\"ws-bulk00000\""),
        "sorted by user: {}",
        lines[5]
    );
    assert!(lines[1238].starts_with("\"ws-bulk01233\""));
    // A search the fleet page refuses is refused before anything streams.
    let long = FleetQuery {
        q: "x".repeat(300),
        ..FleetQuery::default()
    };
    assert!(
        app::server::export::fleet_csv_stream(pool, long, false)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn each_sort_orders_the_fleet() {
    let (_dir, pool) = cache().await;
    let sorted = |column: &str, desc: bool| {
        q(|q| {
            q.sort = column.into();
            q.desc = desc;
        })
    };
    assert_eq!(
        ids(&pool, sorted("", false)).await,
        ["ws-bbb", "ws-ccc", "ws-aaa", "ws-ddd"],
        "user, any case"
    );
    assert_eq!(
        ids(&pool, sorted("id", true)).await,
        ["ws-ddd", "ws-ccc", "ws-bbb", "ws-aaa"]
    );
    assert_eq!(
        ids(&pool, sorted("ip", false)).await,
        ["ws-bbb", "ws-aaa", "ws-ccc", "ws-ddd"],
        "numeric"
    );
    assert_eq!(
        ids(&pool, sorted("state", false)).await,
        ["ws-aaa", "ws-ccc", "ws-ddd", "ws-bbb"]
    );
    assert_eq!(
        ids(&pool, sorted("region", true)).await,
        ["ws-ddd", "ws-ccc", "ws-bbb", "ws-aaa"]
    );
    assert_eq!(
        ids(&pool, sorted("compute", false)).await,
        ["ws-bbb", "ws-ddd", "ws-aaa", "ws-ccc"]
    );
    assert_eq!(
        ids(&pool, sorted("last_connection", false)).await[2..],
        ["ws-bbb", "ws-aaa"]
    );
    for column in app::model::FLEET_SORT_COLUMNS {
        assert_eq!(ids(&pool, sorted(column, false)).await.len(), 4, "{column}");
    }
}

#[tokio::test]
async fn pages_and_counts_by_state() {
    let (_dir, pool) = cache().await;
    let page = inventory::fleet_page(&pool, &q(|q| q.state = "AVAILABLE".into()))
        .await
        .expect("page");
    assert_eq!(page.total, 2);
    assert_eq!(
        page.state_counts,
        vec![
            ("AVAILABLE".to_string(), 2),
            ("ERROR".to_string(), 1),
            ("STOPPED".to_string(), 1)
        ],
        "counts ignore the state filter so every state stays clickable"
    );
    // Issue 27, item 6: "select all matching" takes the ids in the query's order, capped.
    let both = q(|q| q.state = "AVAILABLE,ERROR".into());
    let all = inventory::fleet_ids(&pool, &both, 10).await.expect("ids");
    assert_eq!(all.len(), 3);
    assert_eq!(all, ids(&pool, both.clone()).await, "the query's order");
    assert_eq!(
        inventory::fleet_ids(&pool, &both, 2).await.expect("ids"),
        all[..2]
    );
    let several = inventory::fleet_page(&pool, &q(|q| q.state = "AVAILABLE,ERROR".into()))
        .await
        .expect("page");
    assert_eq!(several.total, 3, "the total counts every chosen state");
    let beyond = inventory::fleet_page(&pool, &q(|q| q.page = 1))
        .await
        .expect("page");
    assert!(beyond.rows.is_empty());
    assert_eq!(beyond.total, 4);
}

#[tokio::test]
async fn connection_views_find_idle_and_never_connected_workspaces() {
    let (_dir, pool) = cache().await;
    let view = |name: &str| ConnectionsQuery {
        view: name.into(),
        ..ConnectionsQuery::default()
    };
    let page = inventory::connections_page(&pool, &view("idle"))
        .await
        .expect("page");
    let ids: Vec<_> = page.rows.iter().map(|ws| ws.id.as_str()).collect();
    assert_eq!(ids, ["ws-bbb"], "last connected in 2020");
    assert_eq!(
        page.counts,
        vec![
            ("all".into(), 4),
            ("connected".into(), 1),
            ("idle".into(), 1),
            ("never".into(), 2)
        ],
        "ws-ccc (disconnected) and ws-ddd (no status) have never connected"
    );
    let never = inventory::connections_page(&pool, &view("never"))
        .await
        .expect("page");
    assert_eq!(never.total, 2);
}
