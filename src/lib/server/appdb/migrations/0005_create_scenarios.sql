-- Evaluators' saved what-if scenarios (issue 16): per user, by name; the payload is the
-- methodology (a built-in's id or an uploaded document), the data source, the edits and
-- the weights, validated by the code that writes it (zod, at most 64 kB).
-- The id is random and goes in a shareable URL; only the owner reads a scenario unless it
-- is shared, and then only evaluators whose regions cover its region (NULL: uploaded data,
-- no region of the platform's).
CREATE TABLE scenarios (
    id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{12,32}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    region integer CHECK (region IS NULL OR region = 0 OR region BETWEEN 110000 AND 829999),
    shared boolean NOT NULL DEFAULT false,
    payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= 65536),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, name)
);
CREATE INDEX scenarios_shared ON scenarios (shared, region) WHERE shared;
