-- A provisioning request between the "New WorkSpaces" form and its review page: the
-- form as posted (a list of up to 500 users does not fit in a link), whether it has
-- been sent to AWS (sent_at, so that it runs once), and AWS's answer per user.
CREATE TABLE provision_requests (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    form_json   TEXT NOT NULL,
    sent_at     TEXT,
    report_json TEXT
) STRICT;
