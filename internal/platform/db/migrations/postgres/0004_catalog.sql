-- The product catalog (internal/catalog): products with their variants, the
-- current 3D model of each product and its print zones. Every row carries
-- brand_id; times are written from Go in UTC; prices are integer minor units
-- of an ISO 4217 currency; JSON columns are TEXT.
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',         -- '' when the product has none
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
    price BIGINT NOT NULL CHECK (price >= 0),
    currency TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX products_brand ON products (brand_id, id);
CREATE UNIQUE INDEX products_brand_sku ON products (brand_id, sku) WHERE sku <> '';

CREATE TABLE product_variants (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    price_delta BIGINT NOT NULL           -- added to the product's price
);
CREATE INDEX product_variants_product ON product_variants (product_id, position);
CREATE UNIQUE INDEX product_variants_brand_sku ON product_variants (brand_id, sku) WHERE sku <> '';

-- The current model of a product (at most one); its files live in blob storage.
CREATE TABLE product_models (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL UNIQUE REFERENCES products (id) ON DELETE CASCADE,
    format TEXT NOT NULL CHECK (format IN ('glb', 'gltf', 'zip')),
    filename TEXT NOT NULL,
    original_key TEXT NOT NULL,
    original_content_type TEXT NOT NULL,
    original_size BIGINT NOT NULL,
    original_sha256 TEXT NOT NULL,
    canonical_key TEXT NOT NULL,
    canonical_size BIGINT NOT NULL,
    canonical_sha256 TEXT NOT NULL,
    triangles BIGINT NOT NULL,
    materials TEXT NOT NULL,              -- JSON: [{index, name, uv_sets}]
    stats TEXT NOT NULL,                  -- JSON: gltf.Statistics
    report TEXT NOT NULL,                 -- JSON: the validator's warnings and notes
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX product_models_brand ON product_models (brand_id);

CREATE TABLE product_zones (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('print', 'colour')),
    material TEXT NOT NULL,
    u0 DOUBLE PRECISION,                  -- UV rectangle: all NULL or all set
    v0 DOUBLE PRECISION,
    u1 DOUBLE PRECISION,
    v1 DOUBLE PRECISION,
    width_mm DOUBLE PRECISION,            -- NULL for colour zones without a size
    height_mm DOUBLE PRECISION,
    dpi INTEGER,
    layer_types TEXT NOT NULL,            -- JSON: ["text", "image", "colour"]
    max_layers INTEGER NOT NULL,
    max_chars INTEGER NOT NULL,
    fonts TEXT NOT NULL,                  -- JSON: ["Inter", …]
    colours TEXT NOT NULL,                -- JSON: ["#ff0000", …]
    colour_options TEXT NOT NULL,         -- JSON: [{name, hex}] of colour zones
    mask_key TEXT,
    mask_width INTEGER,
    mask_height INTEGER,
    mask_size BIGINT,
    mask_sha256 TEXT,
    position INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX product_zones_product ON product_zones (product_id, position);
CREATE UNIQUE INDEX product_zones_name ON product_zones (product_id, name);
