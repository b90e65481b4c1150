-- Bumped whenever a user's password, role or enabled state changes; a session remembers
-- the version it logged in with and ends when it no longer matches.
ALTER TABLE users ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0;
