-- Per-design 3D files and AR (internal/render model and hq renders, the design AR
-- page). A 'model' render makes a design version's GLB, USDZ and 3D views
-- from its design textures. ar_salt/ar_hash are the design's AR share
-- token (like preview_salt/preview_hash, revocable on its own: revoking a
-- shared AR page must not break the preview images on orders), and
-- design_ar_views counts that page's visits and AR launches by platform.
ALTER TABLE renders DROP CONSTRAINT renders_kind_check;
ALTER TABLE renders ADD CONSTRAINT renders_kind_check CHECK (kind IN ('compose', 'produce', 'model', 'hq'));

ALTER TABLE designs ADD COLUMN ar_salt TEXT;
ALTER TABLE designs ADD COLUMN ar_hash TEXT;
CREATE UNIQUE INDEX designs_ar_hash ON designs (ar_hash);

CREATE TABLE design_ar_views (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    design_id TEXT NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
    event TEXT NOT NULL CHECK (event IN ('opened', 'ar_launched')),
    platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'desktop', 'other')),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX design_ar_views_design ON design_ar_views (brand_id, design_id, created_at);
