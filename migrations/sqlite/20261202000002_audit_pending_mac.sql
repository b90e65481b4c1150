-- A pending audit entry is signed when it is written (HMAC under the audit key over its
-- content and id), and checked before it is finished: a pending row inserted past
-- Fleetdesk has no valid signature and is never finished into the chain (issue 20).
-- Rows pending before this migration have none either: `fleetdesk audit verify`
-- reports them, as it cannot tell them from forged ones.
ALTER TABLE audit_entries ADD COLUMN pending_mac TEXT;
