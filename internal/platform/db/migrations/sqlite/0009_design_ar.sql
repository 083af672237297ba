-- Per-design 3D files and AR: see the PostgreSQL migration of the same
-- number. SQLite cannot change a CHECK constraint, so renders is rebuilt
-- with the 'model' kind allowed.
CREATE TABLE renders_new (
    id TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    design_id TEXT NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('compose', 'produce', 'model', 'hq')),
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
INSERT INTO renders_new SELECT id, brand_id, design_id, version, kind, status, progress, error, files, job_id, attempts,
    created_at, updated_at, started_at, finished_at FROM renders;
DROP TABLE renders;
ALTER TABLE renders_new RENAME TO renders;
CREATE INDEX renders_design ON renders (brand_id, design_id, created_at);

ALTER TABLE designs ADD COLUMN ar_salt TEXT;
ALTER TABLE designs ADD COLUMN ar_hash TEXT;
CREATE UNIQUE INDEX designs_ar_hash ON designs (ar_hash);

CREATE TABLE design_ar_views (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    design_id TEXT NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
    event TEXT NOT NULL CHECK (event IN ('opened', 'ar_launched')),
    platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'desktop', 'other')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX design_ar_views_design ON design_ar_views (brand_id, design_id, created_at);
