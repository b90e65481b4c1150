-- Several AWS accounts in one console (`--accounts FILE`). Every cached resource now
-- names the account it was read from, by the name the accounts file gives it; '' is the
-- one account of a setup without an accounts file (the standard AWS configuration
-- chain), so an existing database keeps working unchanged.
--
-- Directories, bundles, images, IP groups, aliases and applications are keyed by
-- account + Region + kind + id: Amazon's public bundles and an image shared between
-- accounts have the same id in every account that sees them.
ALTER TABLE workspaces ADD COLUMN account TEXT NOT NULL DEFAULT '';
CREATE INDEX workspaces_account ON workspaces (account, region, removed_at);

CREATE TABLE inventory_items_by_account (
    account   TEXT NOT NULL,
    region    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    json      TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (account, region, kind, id)
) STRICT;
INSERT INTO inventory_items_by_account (account, region, kind, id, json, synced_at)
    SELECT '', region, kind, id, json, synced_at FROM inventory_items;
DROP TABLE inventory_items;
ALTER TABLE inventory_items_by_account RENAME TO inventory_items;

CREATE TABLE sync_status_by_account (
    account          TEXT NOT NULL,
    region           TEXT NOT NULL,
    resource         TEXT NOT NULL,
    last_attempt_at  TEXT,
    last_success_at  TEXT,
    last_error       TEXT,
    item_count       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, region, resource)
) STRICT;
INSERT INTO sync_status_by_account
    (account, region, resource, last_attempt_at, last_success_at, last_error, item_count)
    SELECT '', region, resource, last_attempt_at, last_success_at, last_error, item_count
    FROM sync_status;
DROP TABLE sync_status;
ALTER TABLE sync_status_by_account RENAME TO sync_status;

-- The catalog join of the fleet's application filter needs the account too.
ALTER TABLE workspace_applications ADD COLUMN account TEXT NOT NULL DEFAULT '';

-- The accounts a user may see and act on: NULL for every account, else a JSON array of
-- account names. SSO users get theirs from their groups at each sign-in.
ALTER TABLE users ADD COLUMN accounts TEXT;
