-- The fleet's tag filter looks WorkSpaces up by (key, value); a covering index answers
-- it from the index alone (measured: 41 ms -> see docs/performance.md at 10,000).
DROP INDEX workspace_tags_key_value;
CREATE INDEX workspace_tags_key_value_workspace ON workspace_tags (key, value, workspace_id);
