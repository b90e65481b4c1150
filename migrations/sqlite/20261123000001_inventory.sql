-- Inventory cache: what the background sync last saw in AWS, per Region.
-- Pages read from here; only the sync and the actions write.

CREATE TABLE workspaces (
    id                        TEXT PRIMARY KEY NOT NULL,
    region                    TEXT NOT NULL,
    directory_id              TEXT NOT NULL,
    user_name                 TEXT NOT NULL,
    computer_name             TEXT,
    ip_address                TEXT,
    -- The IPv4 address zero-padded (010.020.001.009) so that it sorts numerically.
    ip_sort                   TEXT,
    state                     TEXT NOT NULL,
    bundle_id                 TEXT NOT NULL,
    subnet_id                 TEXT,
    compute_type              TEXT,
    running_mode              TEXT,
    auto_stop_timeout_minutes INTEGER,
    root_volume_gib           INTEGER,
    user_volume_gib           INTEGER,
    root_volume_encrypted     INTEGER NOT NULL DEFAULT 0,
    user_volume_encrypted     INTEGER NOT NULL DEFAULT 0,
    error_code                TEXT,
    error_message             TEXT,
    connection_state          TEXT,
    connection_checked_at     TEXT,
    last_user_connection_at   TEXT,
    -- Properties shown only on the detail page (modification states, protocols,
    -- operating system, related and standby WorkSpaces), as JSON.
    detail_json               TEXT NOT NULL DEFAULT '{}',
    -- When the tags were last fetched (one API call per WorkSpace); NULL: not yet.
    tags_loaded_at            TEXT,
    first_seen_at             TEXT NOT NULL,
    last_seen_at              TEXT NOT NULL,
    -- Set when a full sync of the Region no longer returns the WorkSpace.
    removed_at                TEXT
) STRICT;

CREATE INDEX workspaces_region ON workspaces (region, removed_at);
CREATE INDEX workspaces_state ON workspaces (state, removed_at);
CREATE INDEX workspaces_user ON workspaces (user_name COLLATE NOCASE);
CREATE INDEX workspaces_directory ON workspaces (directory_id);
CREATE INDEX workspaces_bundle ON workspaces (bundle_id);
CREATE INDEX workspaces_computer ON workspaces (computer_name COLLATE NOCASE);
CREATE INDEX workspaces_ip ON workspaces (ip_address);
CREATE INDEX workspaces_ip_sort ON workspaces (ip_sort);
CREATE INDEX workspaces_compute ON workspaces (compute_type);
CREATE INDEX workspaces_running_mode ON workspaces (running_mode);
CREATE INDEX workspaces_connection ON workspaces (connection_state);
CREATE INDEX workspaces_last_connection ON workspaces (last_user_connection_at);

-- Every state change the sync or an action observed: the WorkSpace's timeline.
CREATE TABLE workspace_state_changes (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    from_state   TEXT,
    to_state     TEXT NOT NULL,
    observed_at  TEXT NOT NULL
) STRICT;

CREATE INDEX workspace_state_changes_workspace ON workspace_state_changes (workspace_id, observed_at);

CREATE TABLE workspace_tags (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (workspace_id, key)
) STRICT;

CREATE INDEX workspace_tags_key_value ON workspace_tags (key, value);

-- Directories, bundles, images and IP groups: few per Region, read whole, so each is
-- kept as the JSON of its model type.
CREATE TABLE inventory_items (
    region    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    json      TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (region, kind, id)
) STRICT;

-- Per Region and resource kind: when the sync last succeeded and its last error.
CREATE TABLE sync_status (
    region           TEXT NOT NULL,
    resource         TEXT NOT NULL,
    last_attempt_at  TEXT,
    last_success_at  TEXT,
    last_error       TEXT,
    item_count       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region, resource)
) STRICT;
