-- Leases (leader.rs): which node runs the work only one node may run (the background
-- sync, cost insight's readings and the month-end policy, settling entries a dead node
-- left pending), until when (Unix seconds of the database's clock).
CREATE TABLE leases (
    name       TEXT PRIMARY KEY NOT NULL,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- A sync asked for on a node that does not lead, for the leader to run (sync_status.rs).
CREATE TABLE sync_requests (
    id           INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    requested_at TEXT NOT NULL
);
