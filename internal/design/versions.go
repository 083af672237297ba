package design

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Draft is what a save sends: the body of POST /api/designs and of a new
// version. ProductID and VariantID may be given here, in the document, or
// both (then they must agree).
type Draft struct {
	ProductID string          `json:"product_id"`
	VariantID string          `json:"variant_id"`
	Name      string          `json:"name"`
	Document  json.RawMessage `json:"document"`
	// Produce asks for production (print) files of the saved version.
	Produce bool `json:"produce"`
}

// Saved is the result of a save.
type Saved struct {
	Design  Design  `json:"design"`
	Version Version `json:"version"`
	// Unchanged is true when the document hashed the same as the latest
	// version: nothing was saved and Version is that latest version.
	Unchanged bool `json:"unchanged"`
}

// prepare parses, validates and hashes a draft's document.
func (s *Service) prepare(ctx context.Context, a Actor, in Draft) (Document, []byte, string, []Warning, error) {
	if len(in.Document) == 0 || string(in.Document) == "null" {
		return Document{}, nil, "", nil, apperr.New(apperr.Invalid, "document is required")
	}
	doc, err := parse(in.Document, in.ProductID, in.VariantID)
	if err != nil {
		return Document{}, nil, "", nil, err
	}
	r, err := s.loadRules(ctx, a.BrandID, doc)
	if err != nil {
		return Document{}, nil, "", nil, err
	}
	warnings, err := r.validate(&doc)
	if err != nil {
		return Document{}, nil, "", nil, err
	}
	canonical, sum, err := Hash(doc)
	return doc, canonical, sum, warnings, err
}

// checkName trims a design's name: at most 200 characters on one line.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, "\n\r\t") || !utf8.ValidString(name) {
		return "", apperr.New(apperr.Invalid, "name must be one line of at most 200 characters")
	}
	return name, nil
}

// Create saves a new design with its version 1 and runs OnVersionSaved in
// the same transaction.
func (s *Service) Create(ctx context.Context, a Actor, in Draft) (Saved, error) {
	if err := a.canWrite(true); err != nil {
		return Saved{}, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return Saved{}, err
	}
	doc, canonical, sum, warnings, err := s.prepare(ctx, a, in)
	if err != nil {
		return Saved{}, err
	}
	id, err := db.NewID()
	if err != nil {
		return Saved{}, err
	}
	now := s.stamp()
	d := Design{ID: id, ProductID: doc.ProductID, VariantID: doc.VariantID, Name: name, Creator: a.Creator,
		LatestVersion: 1, CreatedAt: now, UpdatedAt: now}
	v := Version{DesignID: id, Number: 1, SHA256: sum, Document: doc, Warnings: warnings, Produce: in.Produce,
		Creator: a.Creator, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO designs (id, brand_id, product_id, variant_id, name, creator_kind,
			creator_id, latest_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`,
			id, a.BrandID, d.ProductID, nullString(d.VariantID), name, a.Creator.Kind, a.Creator.ID, now); err != nil {
			return fmt.Errorf("insert design: %w", err)
		}
		return s.saveVersion(ctx, tx, a.BrandID, d, v, canonical)
	})
	if err != nil {
		return Saved{}, err
	}
	return Saved{Design: d, Version: v}, nil
}

// NewVersion saves a new version of a design. A document that hashes the
// same as the latest version saves nothing: the latest version comes back
// with Unchanged set (and no hook runs). The product cannot change; the
// variant and, when given, the name can.
func (s *Service) NewVersion(ctx context.Context, a Actor, designID string, in Draft) (Saved, error) {
	if err := a.canWrite(true); err != nil {
		return Saved{}, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return Saved{}, err
	}
	cur, err := loadDesign(ctx, s.db, a, designID)
	if err != nil {
		return Saved{}, err
	}
	if in.ProductID != "" && in.ProductID != cur.ProductID {
		return Saved{}, apperr.New(apperr.Invalid, "product_id: a design stays on its product (%s); create a new design for another product", cur.ProductID)
	}
	in.ProductID = cur.ProductID
	doc, canonical, sum, warnings, err := s.prepare(ctx, a, in)
	if err != nil {
		return Saved{}, err
	}
	var out Saved
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.stamp()
		// Touching the row locks it on PostgreSQL: saves of one design
		// take their numbers one after the other.
		res, err := tx.ExecContext(ctx, `UPDATE designs SET updated_at = $3 WHERE id = $1 AND brand_id = $2 AND deleted_at IS NULL`,
			designID, a.BrandID, now)
		if err != nil {
			return fmt.Errorf("lock design: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errDesignNotFound
		}
		d, err := loadDesign(ctx, tx, a, designID)
		if err != nil {
			return err
		}
		latest, err := loadVersion(ctx, tx, a.BrandID, designID, d.LatestVersion)
		if err != nil {
			return err
		}
		if latest.SHA256 == sum {
			out = Saved{Design: d, Version: latest, Unchanged: true}
			return errUnchanged
		}
		if name != "" {
			d.Name = name
		}
		d.LatestVersion, d.VariantID, d.UpdatedAt = d.LatestVersion+1, doc.VariantID, now
		if _, err := tx.ExecContext(ctx, `UPDATE designs SET latest_version = $3, variant_id = $4, name = $5
			WHERE id = $1 AND brand_id = $2`, designID, a.BrandID, d.LatestVersion, nullString(d.VariantID), d.Name); err != nil {
			return fmt.Errorf("update design: %w", err)
		}
		v := Version{DesignID: designID, Number: d.LatestVersion, SHA256: sum, Document: doc, Warnings: warnings,
			Produce: in.Produce, Creator: a.Creator, CreatedAt: now}
		out = Saved{Design: d, Version: v}
		return s.saveVersion(ctx, tx, a.BrandID, d, v, canonical)
	})
	if err == errUnchanged {
		return out, nil
	}
	return out, err
}

// errUnchanged rolls back the touch of an unchanged save; it never leaves
// NewVersion.
var errUnchanged = apperr.New(apperr.Conflict, "unchanged")

// saveVersion inserts v, marks the assets it uses as used now, and runs
// the hook, all in tx.
func (s *Service) saveVersion(ctx context.Context, tx *sql.Tx, brandID string, d Design, v Version, canonical []byte) error {
	if err := insertVersion(ctx, tx, brandID, v, canonical); err != nil {
		return err
	}
	if err := touchAssets(ctx, tx, brandID, v.Document.assets(), v.CreatedAt); err != nil {
		return err
	}
	if s.cfg.OnVersionSaved != nil {
		if err := s.cfg.OnVersionSaved(ctx, tx, v.Ref(brandID, d)); err != nil {
			return fmt.Errorf("design version saved: %w", err)
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
