-- Substring search on WorkSpace id, user name and computer name without scanning every
-- row: an FTS5 index with the trigram tokenizer (any 3+ character substring, case-
-- insensitive), external-content over `workspaces` and kept in step by triggers.
CREATE VIRTUAL TABLE workspaces_search USING fts5(
    id, user_name, computer_name,
    content = 'workspaces', content_rowid = 'rowid', tokenize = 'trigram'
);

INSERT INTO workspaces_search (workspaces_search) VALUES ('rebuild');

CREATE TRIGGER workspaces_search_insert AFTER INSERT ON workspaces BEGIN
    INSERT INTO workspaces_search (rowid, id, user_name, computer_name)
    VALUES (new.rowid, new.id, new.user_name, new.computer_name);
END;

CREATE TRIGGER workspaces_search_delete AFTER DELETE ON workspaces BEGIN
    INSERT INTO workspaces_search (workspaces_search, rowid, id, user_name, computer_name)
    VALUES ('delete', old.rowid, old.id, old.user_name, old.computer_name);
END;

-- Only a change of a searched column touches the index (syncs rewrite every row).
CREATE TRIGGER workspaces_search_update AFTER UPDATE OF id, user_name, computer_name ON workspaces
WHEN old.id IS NOT new.id OR old.user_name IS NOT new.user_name
    OR old.computer_name IS NOT new.computer_name
BEGIN
    INSERT INTO workspaces_search (workspaces_search, rowid, id, user_name, computer_name)
    VALUES ('delete', old.rowid, old.id, old.user_name, old.computer_name);
    INSERT INTO workspaces_search (rowid, id, user_name, computer_name)
    VALUES (new.rowid, new.id, new.user_name, new.computer_name);
END;
