-- Accounts, tenancy and security records (internal/auth, internal/brand,
-- internal/audit, internal/mail). Times are written from Go in UTC.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,           -- stored lowercased
    name TEXT NOT NULL,
    password_hash TEXT,                   -- NULL for accounts that only log in with OIDC
    email_confirmed_at TIMESTAMPTZ,
    mfa_secret TEXT,                      -- AES-GCM sealed TOTP secret
    mfa_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE mfa_backup_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE memberships (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (brand_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ
);
CREATE INDEX invitations_brand ON invitations (brand_id);

CREATE TABLE identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

-- A session is one refresh-token family: one login on one device.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    brand_id TEXT,                        -- the brand the session currently acts for
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    revoked_reason TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,                 -- the visible start of the key, to recognise it
    secret_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,                 -- space-separated
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_keys_brand ON api_keys (brand_id);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    brand_id TEXT,
    user_id TEXT,
    event TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    detail TEXT NOT NULL,                 -- JSON object
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_events_brand ON audit_events (brand_id, created_at);
CREATE INDEX audit_events_user ON audit_events (user_id, created_at);

CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
