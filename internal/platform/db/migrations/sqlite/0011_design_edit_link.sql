-- The design link: see the PostgreSQL migration of the same number.
ALTER TABLE designs ADD COLUMN edit_salt TEXT;
ALTER TABLE designs ADD COLUMN edit_hash TEXT;
CREATE UNIQUE INDEX designs_edit_hash ON designs (edit_hash);
CREATE INDEX designs_creator ON designs (brand_id, creator_kind, creator_id, product_id, id);
