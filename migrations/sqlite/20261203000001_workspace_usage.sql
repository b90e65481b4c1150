-- Cost insight (issue 24): each WorkSpace's usage from CloudWatch's UserConnected, read
-- once a day by the background task and kept here, so that /cost survives restarts and
-- every node of a shared database shows the same figures.
CREATE TABLE workspace_usage (
    account           TEXT NOT NULL,
    region            TEXT NOT NULL,
    workspace_id      TEXT NOT NULL,
    -- When CloudWatch was read for this WorkSpace (RFC 3339, UTC).
    read_at           TEXT NOT NULL,
    -- The last 30 days, and the month so far (UTC), by Cost Optimizer's rules.
    sessions_30d      INTEGER NOT NULL,
    billable_hours_30d REAL NOT NULL,
    sessions_mtd      INTEGER NOT NULL,
    billable_hours_mtd REAL NOT NULL,
    -- The last 5-minute point a user was connected (RFC 3339); NULL: none in the range.
    last_connected_at TEXT,
    PRIMARY KEY (account, region, workspace_id)
) STRICT;
CREATE INDEX workspace_usage_read_at ON workspace_usage (read_at);

-- Each account and Region's last reading: when, how many metrics it requested, and what
-- CloudWatch answered when it refused.
CREATE TABLE usage_reads (
    account           TEXT NOT NULL,
    region            TEXT NOT NULL,
    attempted_at      TEXT NOT NULL,
    succeeded_at      TEXT,
    metrics_requested INTEGER NOT NULL DEFAULT 0,
    problem           TEXT,
    PRIMARY KEY (account, region)
) STRICT;

-- The month-end cost policy's runs, one per month (YYYY-MM): the row is claimed before
-- the policy acts, so it runs once a month however many checks or nodes see the day.
CREATE TABLE cost_policy_runs (
    month  TEXT PRIMARY KEY NOT NULL,
    ran_at TEXT NOT NULL,
    mode   TEXT NOT NULL
) STRICT;
