-- One-time tokens of change forms (issue 27): every review form carries a random token,
-- stored here when its change is sent, so the same form sent again (a second click on
-- "Reboot now", a resent post) is refused instead of sending every change twice.
CREATE TABLE used_form_tokens (
    token    TEXT PRIMARY KEY,
    user_id  INTEGER NOT NULL,
    used_at  TEXT NOT NULL
);
CREATE INDEX used_form_tokens_used_at ON used_form_tokens (used_at);
