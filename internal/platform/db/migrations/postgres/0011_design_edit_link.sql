-- The design link (internal/design link.go): a third share token of a
-- design, "de_…", that lets whoever holds it reopen a shopper's design in
-- the widget and save new versions of it (the store page's URL carries it,
-- so a cart line or an email finds the design again). Made like the
-- preview and AR tokens (edit_salt kept, only the SHA-256 of the token
-- stored) and revocable on its own. designs_creator serves the widget's
-- list of one shopper's designs of a product.
ALTER TABLE designs ADD COLUMN edit_salt TEXT;
ALTER TABLE designs ADD COLUMN edit_hash TEXT;
CREATE UNIQUE INDEX designs_edit_hash ON designs (edit_hash);
CREATE INDEX designs_creator ON designs (brand_id, creator_kind, creator_id, product_id, id);
