-- The audit log (issue 13): who did what, when, from where, and over which regions.
-- Append-only: rows are added by recordAudit() and never changed; a trigger refuses
-- UPDATE, DELETE and TRUNCATE for every role (the owner included), so an entry
-- cannot be edited away by the application or a stray statement.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- clock_timestamp(): the moment of the insert, not the start of its transaction.
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- user: users.id (null for a sign-in attempt under an unknown name); wall_token: wall_tokens.id; system: none.
    actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'wall_token', 'system')),
    actor_id bigint CHECK (actor_kind <> 'system' OR actor_id IS NULL),
    -- The user's or token's name at the time (names can be reused after a revocation).
    actor_name text NOT NULL CHECK (length(actor_name) BETWEEN 1 AND 128),
    -- The client address the request came from; null for the system.
    address text CHECK (length(address) <= 100),
    -- One of the closed list in src/lib/server/audit/actions.ts (a zod enum).
    action text NOT NULL CHECK (action ~ '^[a-z][a-z_]{1,39}$'),
    detail jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
    -- The regions the action concerned (GB/T 2260 codes, 0 = the nation); empty when none.
    regions integer[] NOT NULL DEFAULT '{}',
    request_id text CHECK (length(request_id) <= 64)
);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor_name, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_regions ON audit_log USING gin (regions);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
