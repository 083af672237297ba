-- Brands are the tenants: every brand-owned row elsewhere carries brand_id.
CREATE TABLE brands (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
