package design

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Design is a saved design: its identity and latest state. Its content is
// in its versions.
type Design struct {
	ID        string `json:"id"`
	ProductID string `json:"product_id"`
	// VariantID is the variant of the latest version; empty for none.
	VariantID     string    `json:"variant_id,omitempty"`
	Name          string    `json:"name"`
	Creator       Creator   `json:"creator"`
	LatestVersion int       `json:"latest_version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// HasPreview says whether a preview token exists (the token itself is
	// only returned by PreviewToken).
	HasPreview bool `json:"has_preview"`
	// HasARPage says whether an AR share token exists (its public AR page).
	HasARPage bool `json:"has_ar_page"`
	deleted   bool
}

// Version is one immutable version of a design.
type Version struct {
	DesignID string `json:"design_id"`
	Number   int    `json:"version"`
	// SHA256 is the hex SHA-256 of the canonical document.
	SHA256   string    `json:"sha256"`
	Document Document  `json:"document"`
	Warnings []Warning `json:"warnings"`
	// Produce says whether the save asked for production files.
	Produce   bool       `json:"produce"`
	Creator   Creator    `json:"creator"`
	CreatedAt time.Time  `json:"created_at"`
	LockedAt  *time.Time `json:"locked_at,omitempty"`
	LockedBy  string     `json:"locked_by,omitempty"`
}

// Warning is a print-quality concern that did not stop the save, such as
// an image printing below 150 DPI. Layer is the layer's index in its zone.
type Warning struct {
	ZoneID  string `json:"zone_id"`
	Layer   int    `json:"layer"`
	Message string `json:"message"`
}

// VersionRef names one saved version, for the render pipeline (the
// OnVersionSaved hook) and public preview links.
type VersionRef struct {
	BrandID   string `json:"brand_id"`
	DesignID  string `json:"design_id"`
	Version   int    `json:"version"`
	SHA256    string `json:"sha256"`
	ProductID string `json:"product_id"`
	VariantID string `json:"variant_id,omitempty"`
	// Produce is true when the save asked for production (print) files.
	Produce bool `json:"produce"`
}

// Ref returns the VersionRef of v in design d of brandID.
func (v Version) Ref(brandID string, d Design) VersionRef {
	return VersionRef{BrandID: brandID, DesignID: d.ID, Version: v.Number, SHA256: v.SHA256,
		ProductID: v.Document.ProductID, VariantID: v.Document.VariantID, Produce: v.Produce}
}

var errDesignNotFound = apperr.New(apperr.NotFound, "no such design")

const designColumns = `id, product_id, variant_id, name, creator_kind, creator_id, latest_version,
	preview_hash, ar_hash, created_at, updated_at, deleted_at`

type scanner interface{ Scan(dest ...any) error }

func scanDesign(row scanner) (Design, error) {
	var d Design
	var variant, preview, arPage sql.NullString
	var deleted sql.NullTime
	if err := row.Scan(&d.ID, &d.ProductID, &variant, &d.Name, &d.Creator.Kind, &d.Creator.ID, &d.LatestVersion,
		&preview, &arPage, &d.CreatedAt, &d.UpdatedAt, &deleted); err != nil {
		return Design{}, err
	}
	d.VariantID, d.HasPreview, d.HasARPage, d.deleted = variant.String, preview.Valid, arPage.Valid, deleted.Valid
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

// loadDesign reads a design the actor may reach: of its brand, not
// deleted, and for a shopper, their own.
func loadDesign(ctx context.Context, q db.Querier, a Actor, id string) (Design, error) {
	d, err := scanDesign(q.QueryRowContext(ctx, `SELECT `+designColumns+` FROM designs
		WHERE id = $1 AND brand_id = $2 AND deleted_at IS NULL`, id, a.BrandID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.owns(d.Creator)) {
		return Design{}, errDesignNotFound
	}
	if err != nil {
		return Design{}, fmt.Errorf("load design: %w", err)
	}
	return d, nil
}

const versionColumns = `design_id, version, sha256, document, warnings, produce, creator_kind, creator_id,
	created_at, locked_at, locked_by`

func scanVersion(row scanner) (Version, error) {
	var v Version
	var doc, warnings string
	var lockedAt sql.NullTime
	var lockedBy sql.NullString
	if err := row.Scan(&v.DesignID, &v.Number, &v.SHA256, &doc, &warnings, &v.Produce, &v.Creator.Kind, &v.Creator.ID,
		&v.CreatedAt, &lockedAt, &lockedBy); err != nil {
		return Version{}, err
	}
	v.CreatedAt = v.CreatedAt.UTC()
	if lockedAt.Valid {
		t := lockedAt.Time.UTC()
		v.LockedAt, v.LockedBy = &t, lockedBy.String
	}
	if err := errors.Join(json.Unmarshal([]byte(doc), &v.Document), json.Unmarshal([]byte(warnings), &v.Warnings)); err != nil {
		return Version{}, fmt.Errorf("version %d of design %s: %w", v.Number, v.DesignID, err)
	}
	if v.Warnings == nil {
		v.Warnings = []Warning{}
	}
	return v, nil
}

// loadVersion reads version n of a design of brandID.
func loadVersion(ctx context.Context, q db.Querier, brandID, designID string, n int) (Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM design_versions
		WHERE design_id = $1 AND brand_id = $2 AND version = $3`, designID, brandID, n))
	if errors.Is(err, sql.ErrNoRows) {
		return Version{}, apperr.New(apperr.NotFound, "this design has no version %d", n)
	}
	if err != nil {
		return Version{}, fmt.Errorf("load design version: %w", err)
	}
	return v, nil
}

// insertVersion writes a new version and the assets it references.
func insertVersion(ctx context.Context, tx *sql.Tx, brandID string, v Version, canonical []byte) error {
	warnings, err := json.Marshal(nonNil(v.Warnings))
	if err != nil {
		return fmt.Errorf("insert design version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO design_versions (design_id, brand_id, version, sha256, document,
		warnings, produce, creator_kind, creator_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		v.DesignID, brandID, v.Number, v.SHA256, string(canonical), string(warnings), v.Produce,
		v.Creator.Kind, v.Creator.ID, v.CreatedAt); err != nil {
		return fmt.Errorf("insert design version: %w", err)
	}
	for _, sha := range v.Document.assets() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO design_version_assets (design_id, version, brand_id, asset_sha256)
			VALUES ($1, $2, $3, $4)`, v.DesignID, v.Number, brandID, sha); err != nil {
			return fmt.Errorf("insert design version assets: %w", err)
		}
	}
	return nil
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
