-- Users signed in through OpenID Connect (single sign-on). Their identity is the
-- provider's (issuer, subject) pair, never the name, which the provider may change; they
-- have no password (the placeholder hash below never verifies, and password logins only
-- look at local users). Their role is set from the provider's groups at each sign-in.
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
    CHECK (source IN ('local', 'oidc'));
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;

CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject)
    WHERE source = 'oidc';
