-- Customization prices (internal/catalog/pricing.go): what a shopper pays on
-- top of the product's price for what they add. One row per rule; a rule
-- names a zone (NULL: every zone of the product) and a layer type ('':
-- once per customized zone). The list is replaced as a whole, so order is
-- its position.
CREATE TABLE price_rules (
    brand_id TEXT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    zone_id TEXT REFERENCES product_zones (id) ON DELETE CASCADE,
    layer_type TEXT NOT NULL CHECK (layer_type IN ('', 'text', 'image', 'colour')),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    position INTEGER NOT NULL
);
CREATE INDEX price_rules_product ON price_rules (product_id, position);
