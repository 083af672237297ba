-- Designs (internal/design): what a shopper or the brand's staff made on a
-- product, as immutable versions of a canonical JSON document, plus the
-- image assets and brand fonts designs use. Every row carries brand_id.
-- designs.product_id has no foreign key on purpose: a design an order locked
-- outlives its product. Times are written from Go in UTC.

-- Print settings of zones (internal/catalog): bleed and safe area in mm, and
-- the print-quality floors designs are checked against.
ALTER TABLE product_zones ADD COLUMN bleed_mm DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE product_zones ADD COLUMN safe_mm DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE product_zones ADD COLUMN min_image_dpi INTEGER NOT NULL DEFAULT 100;
ALTER TABLE product_zones ADD COLUMN min_text_pt DOUBLE PRECISION NOT NULL DEFAULT 6;

CREATE TABLE designs (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    variant_id TEXT,                       -- of the latest version
    name TEXT NOT NULL DEFAULT '',
    creator_kind TEXT NOT NULL CHECK (creator_kind IN ('staff', 'api_key', 'shopper')),
    creator_id TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    preview_salt TEXT,                     -- random; the preview token is derived from it
    preview_hash TEXT UNIQUE,              -- SHA-256 of the preview token; NULL = none
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ                   -- hidden; purged later unless locked
);
CREATE INDEX designs_product ON designs (brand_id, product_id, id);
CREATE INDEX designs_retention ON designs (creator_kind, updated_at);

CREATE TABLE design_versions (
    design_id TEXT NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,                  -- of the canonical document
    document TEXT NOT NULL,                -- canonical JSON
    warnings TEXT NOT NULL,                -- JSON: [{zone_id, layer, message}]
    produce BOOLEAN NOT NULL,
    creator_kind TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    locked_at TIMESTAMPTZ,                   -- set by an order; never purged then
    locked_by TEXT,
    PRIMARY KEY (design_id, version)
);

-- The assets each version references, so unreferenced assets are found in SQL.
CREATE TABLE design_version_assets (
    design_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    brand_id TEXT NOT NULL,
    asset_sha256 TEXT NOT NULL,
    PRIMARY KEY (design_id, version, asset_sha256),
    FOREIGN KEY (design_id, version) REFERENCES design_versions (design_id, version) ON DELETE CASCADE
);
CREATE INDEX design_version_assets_asset ON design_version_assets (brand_id, asset_sha256);

CREATE TABLE design_assets (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,                  -- of the stored bytes
    upload_sha256 TEXT NOT NULL,           -- of the uploaded bytes (dedup)
    blob_key TEXT NOT NULL,
    format TEXT NOT NULL,                  -- png, jpeg, webp
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size BIGINT NOT NULL,
    filename TEXT NOT NULL,
    creator_kind TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ NOT NULL,            -- last upload or reference; collection waits after it
    PRIMARY KEY (brand_id, sha256)
);
CREATE INDEX design_assets_upload ON design_assets (brand_id, upload_sha256);

CREATE TABLE design_fonts (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    family TEXT NOT NULL,
    style TEXT NOT NULL,
    format TEXT NOT NULL,                  -- ttf, otf
    glyphs INTEGER NOT NULL,
    size BIGINT NOT NULL,
    blob_key TEXT NOT NULL,
    filename TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (brand_id, sha256)
);
CREATE UNIQUE INDEX design_fonts_style ON design_fonts (brand_id, lower(family), lower(style));
