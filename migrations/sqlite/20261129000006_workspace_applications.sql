-- The applications associated with each WorkSpace (DescribeApplicationAssociations with
-- the WORKSPACE resource type, release note 2023-10), so the fleet can be filtered by
-- application ("who has Visio") and exported with its applications without one AWS call
-- per WorkSpace. Filled by the sync's applications step, kept up to date by associate and
-- disassociate. The catalog itself (names, supported systems) is kept in
-- inventory_items with kind 'application'.
CREATE TABLE workspace_applications (
    workspace_id   TEXT NOT NULL,
    application_id TEXT NOT NULL,
    region         TEXT NOT NULL,
    state          TEXT NOT NULL, -- AssociationState: PENDING_INSTALL, …, COMPLETED, ERROR
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (workspace_id, application_id)
) STRICT;

-- The fleet's application filter looks WorkSpaces up by application.
CREATE INDEX workspace_applications_application
    ON workspace_applications (application_id, state, workspace_id);
