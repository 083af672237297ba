-- Design renders (internal/render). One row per render of a design version:
-- kind 'compose' makes the design textures and zone previews, 'produce' the
-- print files. The row is what the API and the dashboard show (status,
-- progress, files), kept apart from the queue's own job rows so it outlives
-- the queue's retention and reads the same on both databases. files is a
-- JSON array of {zone_id, role, material, key, sha256, mime, width, height,
-- dpi, size}; the blobs are content-addressed, so two renders may list the
-- same key.
CREATE TABLE renders (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    design_id TEXT NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('compose', 'produce')),
    status TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
    progress INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    files TEXT NOT NULL DEFAULT '[]',
    job_id BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE INDEX renders_design ON renders (brand_id, design_id, created_at);

-- The files renders made, by what went into them: input_sha256 hashes the
-- inputs (zone settings, layers, assets, base texture, sizes, renderer
-- version), so a render whose zone did not change finds its file here and
-- does not draw it again. Rows no render lists any more are collected
-- (render.Collect) with their blobs.
CREATE TABLE render_files (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    input_sha256 TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (brand_id, input_sha256)
);
