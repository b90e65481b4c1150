-- The fleet's busiest views at 50,000 WorkSpaces (docs/performance.md): a state within
-- a Region sorted by IP address, and the counts by state within a Region.
--
-- The first index hands SQLite the rows of one state in one Region already in IP order
-- (id breaks ties, as the page's ORDER BY does), so a page reads 50 index entries
-- instead of sorting every match; the second answers the counts by state within a
-- Region from the index alone.
CREATE INDEX workspaces_state_region_ip
    ON workspaces (state, region, removed_at, ip_sort, id);
CREATE INDEX workspaces_region_state
    ON workspaces (region, removed_at, state);
