-- The Shopify app's installations (internal/shopify): one row per shop
-- domain, whichever brand installed it; a reinstall updates the row (the
-- domain is the key), so a shop is never listed twice, and a brand may
-- have several shops. The offline access token is sealed (internal/
-- platform/seal, context "shopify token:" + shop): the row alone never
-- gives it away. uninstalled_at is set by app/uninstalled (or a brand
-- disconnecting), which also blanks the token; the row stays until
-- shop/redact.
CREATE TABLE shopify_shops (
    shop TEXT PRIMARY KEY,                 -- x.myshopify.com
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    access_token TEXT NOT NULL,            -- sealed; '' once uninstalled
    scopes TEXT NOT NULL,                  -- granted, comma-separated
    primary_domain TEXT NOT NULL,          -- the storefront's host ('' when unknown)
    installed_at TIMESTAMPTZ NOT NULL,
    uninstalled_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX shopify_shops_brand ON shopify_shops (brand_id);

-- Origins allowed to FRAME a brand's widget without being allowed to run
-- its handshake (internal/embed): https://admin.shopify.com, where the
-- theme editor previews the store. source names who added the row
-- ("shopify:" + shop), so an uninstall can take back what its install
-- added.
CREATE TABLE embed_frame_origins (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (brand_id, origin, source)
);
