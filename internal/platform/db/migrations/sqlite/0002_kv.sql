-- The SQL backend of the key-value store (internal/platform/kv). expires_at is
-- Unix milliseconds written by Go, so both dialects compare the same numbers.
CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
);
CREATE INDEX kv_expires_at ON kv (expires_at);
