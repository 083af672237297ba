-- Orders (internal/order): one row per store order (a Shopify order or one
-- posted to POST /api/orders), its lines with the design version each locked,
-- the production record of its ZIP, the brand's order settings and the
-- Idempotency-Key answers of POST /api/orders. Every row carries brand_id.
-- order_lines.design_id has no foreign key on purpose: a locked version is
-- never purged, and a refused line has no design at all.

CREATE TABLE orders (
    id TEXT PRIMARY KEY,                   -- UUIDv7
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('api', 'shopify')),
    store TEXT NOT NULL DEFAULT '',        -- '' for api; the shop domain for shopify
    external_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    customer_ref TEXT NOT NULL DEFAULT '', -- opaque; never a name, email or address
    status TEXT NOT NULL CHECK (status IN ('received', 'producing', 'ready', 'fulfilled', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (brand_id, source, store, external_id)
);
CREATE INDEX orders_brand ON orders (brand_id, id);
CREATE INDEX orders_customer ON orders (brand_id, store, customer_ref);

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,              -- 1-based, in the order's order
    design_id TEXT NOT NULL DEFAULT '',    -- '' for a refused line
    design_version INTEGER NOT NULL DEFAULT 0,
    product_id TEXT NOT NULL DEFAULT '',
    variant_id TEXT NOT NULL DEFAULT '',
    sku TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    external_line_id TEXT NOT NULL DEFAULT '',
    flag TEXT NOT NULL DEFAULT '',         -- why a line is not produced ('' = produced)
    PRIMARY KEY (order_id, line_no)
);

-- The production ZIP of an order (one row per order once production started).
CREATE TABLE order_production (
    order_id TEXT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    zip_key TEXT NOT NULL DEFAULT '',
    zip_size BIGINT NOT NULL DEFAULT 0,
    zip_sha256 TEXT NOT NULL DEFAULT '',
    files INTEGER NOT NULL DEFAULT 0,
    ready_at TIMESTAMPTZ,
    error TEXT NOT NULL DEFAULT '',        -- the last failure, shown to the brand
    notified_at TIMESTAMPTZ,                 -- OnReady (webhook) and email done
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE order_settings (
    brand_id TEXT PRIMARY KEY REFERENCES brands (id) ON DELETE CASCADE,
    file_pattern TEXT NOT NULL,
    notify_email BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- POST /api/orders answers by Idempotency-Key, kept 24 hours.
CREATE TABLE order_idempotency (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (brand_id, idem_key)
);
CREATE INDEX order_idempotency_created ON order_idempotency (created_at);
