-- Sign-in sessions in a table of our own (repo/sessions.rs), the same on both backends:
-- the expiry as Unix seconds. tower-sessions' SQLite store kept its `tower_sessions`
-- table outside the migrations; its sessions end with this upgrade (users sign in again).
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    data       BLOB NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_expires_at ON sessions (expires_at);

DROP TABLE IF EXISTS tower_sessions;
