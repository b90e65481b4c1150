-- Fleet columns and filters for the streaming protocol, the operating system and the
-- WorkSpace's part in a primary/standby pair (they were only in detail_json before).
ALTER TABLE workspaces ADD COLUMN protocols TEXT;        -- comma-separated: PCOIP, WSP
ALTER TABLE workspaces ADD COLUMN operating_system TEXT; -- OperatingSystemName
ALTER TABLE workspaces ADD COLUMN standby_role TEXT;     -- 'primary', 'standby' or NULL

CREATE INDEX workspaces_operating_system ON workspaces (operating_system);
CREATE INDEX workspaces_standby_role ON workspaces (standby_role);

-- Custom bundles, directories, images and IP groups carry their tags in their JSON;
-- WorkSpace tags are refreshed by age, so find the oldest quickly.
CREATE INDEX workspaces_tags_loaded ON workspaces (tags_loaded_at);
