-- Shopify webhooks in (internal/shopify/webhook*.go). Every delivery Shopify
-- makes is one row, keyed by its X-Shopify-Webhook-Id: inserting it is the
-- dedupe (a replay finds the row and does no new work), and the job that
-- works it is inserted in the same transaction. payload is the raw body as
-- received (bounded by the route's body limit), kept until shop/redact.
-- No foreign key to shopify_shops: a signed privacy webhook for a shop that
-- is not (or no longer) installed is still recorded and answered.
CREATE TABLE shopify_webhook_events (
    webhook_id TEXT PRIMARY KEY,
    shop TEXT NOT NULL,
    topic TEXT NOT NULL,
    api_version TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMP NOT NULL,
    payload TEXT NOT NULL,
    processed_at TIMESTAMP,
    error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX shopify_webhook_events_shop ON shopify_webhook_events (shop, received_at);

-- Which Luneo product a Shopify product is (internal/shopify/mapping*.go):
-- 'sku' rows are made and removed by products/update and products/delete;
-- 'manual' rows are the brand's and are never overwritten by a webhook.
CREATE TABLE shopify_product_map (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    shop TEXT NOT NULL,
    shopify_product_id TEXT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    matched_by TEXT NOT NULL CHECK (matched_by IN ('sku', 'manual')),
    title TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (shop, shopify_product_id)
);
CREATE INDEX shopify_product_map_brand ON shopify_product_map (brand_id, shop);

-- customers/data_request (internal/shopify/privacy*.go): what a store's
-- customer asked to see, and what Luneo held about them when it arrived
-- (the order ids with that customer reference, as JSON), for the brand's
-- privacy page. customer is Shopify's opaque customer id, never a name.
CREATE TABLE shopify_data_requests (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    shop TEXT NOT NULL,
    customer TEXT NOT NULL,
    orders_requested TEXT NOT NULL,      -- JSON array of Shopify order ids the request names
    held TEXT NOT NULL,                  -- JSON: the Luneo orders held for that customer
    received_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'notified'))
);
CREATE INDEX shopify_data_requests_brand ON shopify_data_requests (brand_id, received_at);
CREATE INDEX shopify_data_requests_customer ON shopify_data_requests (shop, customer);
