-- Nothing to change on SQLite: its indexes already keep NULLs first, as the fleet sorts
-- them. (migrations/postgres/ has the same version, which rebuilds PostgreSQL's sort
-- indexes with NULLS FIRST; both folders keep the same list of versions.)
SELECT 1;
