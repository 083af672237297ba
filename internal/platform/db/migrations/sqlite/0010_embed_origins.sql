-- The widget's embed settings (internal/embed): the store origins a brand
-- allows to embed it, one row per normalised origin. The handshake checks
-- an origin with one indexed lookup; the iframe's frame-ancestors lists
-- them all.
CREATE TABLE embed_origins (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    PRIMARY KEY (brand_id, origin)
);
CREATE INDEX embed_origins_origin ON embed_origins (origin);
