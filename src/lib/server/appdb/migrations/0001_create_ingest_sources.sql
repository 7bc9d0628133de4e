-- Ingest sources allowed to push events (tianshu source add|list|revoke).
-- The token is shown once at creation; only its sha256 is kept.
CREATE TABLE ingest_sources (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    -- Event types of the ingest contract this source may send.
    event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- One active source per name; a revoked name can be issued again.
CREATE UNIQUE INDEX ingest_sources_active_name ON ingest_sources (name) WHERE revoked_at IS NULL;
