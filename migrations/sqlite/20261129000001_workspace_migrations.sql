-- MigrateWorkspace gives the WorkSpace a new id (TargetWorkspaceId in the API reference);
-- each pair is kept so that the detail pages of both link to each other.
CREATE TABLE workspace_migrations (
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    audit_id  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (source_id, target_id)
) STRICT;

CREATE INDEX workspace_migrations_target ON workspace_migrations (target_id);
