-- People who may use Fleetdesk, and the audit log of everything done through it.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- Argon2id PHC string; never leaves the server.
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'helpdesk', 'admin')),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- One row per action or event: who, when, from where, what, why, and the outcome.
-- Rows are written 'pending' before AWS is called and finished afterwards; the
-- triggers below make the table append-only apart from that one step.
CREATE TABLE audit_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL,
    actor_role  TEXT,
    client_addr TEXT,
    user_agent  TEXT,
    action      TEXT NOT NULL,
    params      TEXT NOT NULL DEFAULT '{}',
    reason      TEXT,
    -- pending, succeeded, failed, partial or interrupted
    outcome     TEXT NOT NULL,
    detail      TEXT,
    finished_at TEXT,
    -- Position in the hash chain, given when the row is finished.
    chain_seq   INTEGER UNIQUE,
    prev_hash   TEXT,
    hash        TEXT
) STRICT;

CREATE INDEX audit_entries_at ON audit_entries (at);
CREATE INDEX audit_entries_actor ON audit_entries (actor_name COLLATE NOCASE, at);
CREATE INDEX audit_entries_action ON audit_entries (action, at);
CREATE INDEX audit_entries_outcome ON audit_entries (outcome, at);

-- One row per target of an action, with what AWS answered for it.
CREATE TABLE audit_targets (
    entry_id      INTEGER NOT NULL REFERENCES audit_entries (id),
    target        TEXT NOT NULL,
    region        TEXT,
    outcome       TEXT NOT NULL,
    error_code    TEXT,
    error_message TEXT,
    request_id    TEXT,
    PRIMARY KEY (entry_id, target)
) STRICT;

CREATE INDEX audit_targets_target ON audit_targets (target);

CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_entries_finish_only BEFORE UPDATE ON audit_entries
WHEN OLD.outcome != 'pending'
    OR NEW.id != OLD.id OR NEW.at != OLD.at OR NEW.actor_name != OLD.actor_name
    OR NEW.action != OLD.action OR NEW.params != OLD.params
    OR NEW.reason IS NOT OLD.reason OR NEW.actor_id IS NOT OLD.actor_id
    OR NEW.actor_role IS NOT OLD.actor_role OR NEW.client_addr IS NOT OLD.client_addr
    OR NEW.user_agent IS NOT OLD.user_agent
BEGIN
    SELECT RAISE(ABORT, 'finished audit entries cannot be changed');
END;

CREATE TRIGGER audit_targets_no_delete BEFORE DELETE ON audit_targets
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_targets_no_update BEFORE UPDATE ON audit_targets
WHEN (SELECT outcome FROM audit_entries WHERE id = OLD.entry_id) != 'pending'
BEGIN
    SELECT RAISE(ABORT, 'finished audit entries cannot be changed');
END;
