//! SQL of the inventory cache: WorkSpaces with their state timeline, tags, connection
//! status and applications, the smaller resources (directories, bundles, images, IP
//! groups, connection aliases, the application catalog) as JSON, and the sync status
//! per account, Region and resource. Only the sync and the executor of changes
//! (`changes::execute`, through each plan's `CacheOp`s) write here.
//!
//! One file per table group: `workspaces` (rows, state timeline, migrations), `items`
//! (the small resources as JSON), `sync_status`, `tags`, `connections`, `applications`,
//! and `fleet_query`, the tuned filtered and sorted fleet query with its counts and the
//! CSV export that shares its filters.

mod applications;
mod connections;
mod fleet_query;
mod items;
mod sync_status;
mod tags;
mod workspaces;

pub use applications::{
    application_names, applications_of, replace_workspace_applications, set_workspace_application,
};
pub use connections::{
    connection_rows, connections_page, send_connection_records, store_connection_status,
};
pub use fleet_query::{
    EXPORT_COLUMNS, RECORD_FIELD_SEPARATOR, count_by, count_using, facets, fleet_ids, fleet_page,
    fleet_rows, send_fleet_records, state_counts, workspaces_with_tags,
};
pub(crate) use fleet_query::{like_escape, offset};
pub use items::{delete_item, items, put_item, replace_items};
pub use sync_status::{record_sync, request_sync, sync_statuses, take_sync_request};
pub use tags::{
    clear_unlisted_tags, edit_tags, store_tag_listing, store_tags, workspaces_needing_tags,
};
pub use workspaces::{
    REMOVED_STATE, RunningWorkspace, WorkspaceRecord, link_migration, mark_removed, migrations_of,
    refresh_statistics, running_workspaces, set_state, store_workspaces, upsert_workspace,
    workspace, workspaces_by_id,
};

use super::write;

/// The current time as stored in the database: RFC 3339, UTC, milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The kinds of small resources kept whole as JSON in `inventory_items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Directory,
    Bundle,
    Image,
    IpGroup,
    ConnectionAlias,
    /// The application catalog (DescribeApplications).
    Application,
    /// The applications of one bundle or image (its associations, keyed by its id).
    ResourceApplications,
}

impl ItemKind {
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Directory => "directory",
            ItemKind::Bundle => "bundle",
            ItemKind::Image => "image",
            ItemKind::IpGroup => "ip_group",
            ItemKind::ConnectionAlias => "connection_alias",
            ItemKind::Application => "application",
            ItemKind::ResourceApplications => "resource_applications",
        }
    }
}
