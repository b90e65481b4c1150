-- An audit entry enters the table pending and outside the chain; only finishing it (the
-- UPDATE that the finish-only trigger allows once) gives it an outcome, a place in the
-- chain and a hash. Targets are written only to entries still pending.
CREATE TRIGGER audit_entries_insert_pending BEFORE INSERT ON audit_entries
WHEN NEW.outcome != 'pending' OR NEW.chain_seq IS NOT NULL OR NEW.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'audit entries are inserted pending and chained when finished');
END;

CREATE TRIGGER audit_targets_insert_pending BEFORE INSERT ON audit_targets
WHEN (SELECT outcome FROM audit_entries WHERE id = NEW.entry_id) IS NOT 'pending'
BEGIN
    SELECT RAISE(ABORT, 'targets belong to an entry that is still pending');
END;
