-- The login throttle's counts (auth.rs, repo/login_throttle.rs), shared by every node:
-- per key (a user name at an address, or an address) the attempts since `since_ms`, the
-- lock's end and the refusals during it; and the name-and-address pairs that signed in
-- before, whom a locked address still lets in. Times are Unix milliseconds.
CREATE TABLE login_attempts (
    key             TEXT PRIMARY KEY NOT NULL,
    count           BIGINT NOT NULL,
    since_ms        BIGINT NOT NULL,
    locked_until_ms BIGINT,
    refused         BIGINT NOT NULL
);

CREATE INDEX login_attempts_since ON login_attempts (since_ms);

CREATE TABLE login_known_good (
    pair  TEXT PRIMARY KEY NOT NULL,
    at_ms BIGINT NOT NULL
);

CREATE INDEX login_known_good_at ON login_known_good (at_ms);
