-- Accounts, their regions, sign-in sessions, wall-screen tokens and sign-in attempts (issue 13).
-- Secrets are never stored: passwords as argon2id PHC strings, session and wall tokens as sha256.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$'),
    role text NOT NULL CHECK (role IN ('leader', 'analyst', 'evaluator', 'service_manager', 'admin')),
    password_hash text CHECK (password_hash LIKE '$argon2id$%'),
    -- A one-time password (first admin, reset): the first sign-in leads to /account/password.
    must_change_password boolean NOT NULL DEFAULT false,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    disabled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz
);

-- Each user sees these regions and what lies below them (0 = the nation); at least one, checked by the code that writes them.
CREATE TABLE user_regions (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    adcode integer NOT NULL CHECK (adcode = 0 OR adcode BETWEEN 110000 AND 829999),
    PRIMARY KEY (user_id, adcode)
);

CREATE TABLE sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- Absolute expiry; the idle one is last_seen_at + the idle limit, checked by the code.
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    address text
);
CREATE INDEX sessions_active_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- A command centre's wall: one region, the cockpit only, read-only.
CREATE TABLE wall_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (name ~ '^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\u4e00-\u9fff-]{0,63}$'),
    token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    adcode integer NOT NULL CHECK (adcode = 0 OR adcode BETWEEN 110000 AND 829999),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    revoked_at timestamptz,
    last_used_at timestamptz,
    last_used_from text
);
CREATE UNIQUE INDEX wall_tokens_active_name ON wall_tokens (name) WHERE revoked_at IS NULL;

-- Failed sign-ins per address, for the per-address limit (the per-account one is users.failed_logins).
CREATE TABLE login_failures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    address text NOT NULL,
    username text NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);
