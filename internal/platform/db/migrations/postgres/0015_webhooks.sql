-- Brand webhooks out (internal/webhook). An endpoint is a URL of the brand's
-- that receives the topics it subscribes to; its signing secret is sealed
-- (internal/platform/seal, bound to the endpoint id) because every delivery
-- must read it back to sign. topics is a JSON array of topic names.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    topics TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_brand ON webhook_endpoints (brand_id, id);

-- One row per event per endpoint: the exact body sent (payload, kept as
-- text so every attempt sends the same bytes), where it stands and the
-- answer of its last attempt. Rows older than 30 days are purged.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    event_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'gave_up')),
    next_attempt_at TIMESTAMPTZ,
    response_status INTEGER NOT NULL DEFAULT 0,
    response_body TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (brand_id, endpoint_id, id);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

-- Every attempt of a delivery with the answer it got, for the delivery log
-- (the delivery row keeps only the last one).
CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    response_status INTEGER NOT NULL DEFAULT 0,
    response_body TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0,
    attempted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
