-- Augmented reality (internal/ar). ar_assets caches the USDZ made from a
-- canonical GLB: keyed by the GLB's SHA-256 and the converter's version, so
-- the same model is converted once whichever products and brands use it
-- (the row holds no brand data: only content hashes). conversions counts the
-- conversions actually run, which proves the cache works.
CREATE TABLE ar_assets (
    glb_sha256 TEXT NOT NULL,
    converter_version TEXT NOT NULL,
    usdz_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    job_id BIGINT,                         -- the convert_usdz job, while pending
    conversions INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (glb_sha256, converter_version)
);

-- One row per AR page view ('opened') and per AR session started
-- ('ar_launched'), with the platform guessed from the User-Agent.
CREATE TABLE ar_views (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    event TEXT NOT NULL CHECK (event IN ('opened', 'ar_launched')),
    platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'desktop', 'other')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ar_views_product ON ar_views (brand_id, product_id, created_at);
