// Package brand stores brands, Luneo's tenants. Every brand-owned row in other
// tables carries a brand_id that points here.
package brand

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Brand is a tenant.
type Brand struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Store reads and writes brands.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns a Store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d, now: time.Now} }

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$`)

// Validate checks a slug and name and returns an apperr.Invalid naming the field.
func Validate(slug, name string) error {
	fields := map[string]string{}
	if !slugRE.MatchString(slug) {
		fields["slug"] = "must be 1 to 48 lowercase letters, digits or dashes, not starting or ending with a dash"
	}
	if n := len(strings.TrimSpace(name)); n == 0 || n > 120 {
		fields["name"] = "must be 1 to 120 characters"
	}
	if len(fields) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "invalid brand", Fields: fields}
	}
	return nil
}

// Create inserts a brand; a taken slug is an apperr.Conflict.
func (s *Store) Create(ctx context.Context, slug, name string) (Brand, error) {
	return s.CreateTx(ctx, s.db, slug, name)
}

// CreateTx is Create inside a transaction (signup creates a user, a brand and
// the owner membership together).
func (s *Store) CreateTx(ctx context.Context, ex db.Querier, slug, name string) (Brand, error) {
	name = strings.TrimSpace(name)
	if err := Validate(slug, name); err != nil {
		return Brand{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Brand{}, fmt.Errorf("brand id: %w", err)
	}
	b := Brand{ID: id.String(), Slug: slug, Name: name, CreatedAt: db.Time(s.now())}
	res, err := ex.ExecContext(ctx, `INSERT INTO brands (id, slug, name, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (slug) DO NOTHING`, b.ID, b.Slug, b.Name, b.CreatedAt)
	if err != nil {
		return Brand{}, fmt.Errorf("create brand: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Brand{}, apperr.New(apperr.Conflict, "the brand slug %q is taken", slug)
	}
	return b, nil
}

// BySlug returns the brand with slug, or apperr.NotFound.
func (s *Store) BySlug(ctx context.Context, slug string) (Brand, error) {
	return s.one(ctx, `SELECT id, slug, name, created_at FROM brands WHERE slug = $1`, slug)
}

// ByID returns the brand with id, or apperr.NotFound.
func (s *Store) ByID(ctx context.Context, id string) (Brand, error) {
	return s.one(ctx, `SELECT id, slug, name, created_at FROM brands WHERE id = $1`, id)
}

func (s *Store) one(ctx context.Context, q string, arg any) (Brand, error) {
	var b Brand
	err := s.db.QueryRowContext(ctx, q, arg).Scan(&b.ID, &b.Slug, &b.Name, &b.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Brand{}, apperr.New(apperr.NotFound, "brand not found")
	}
	if err != nil {
		return Brand{}, fmt.Errorf("read brand: %w", err)
	}
	return b, nil
}

// Rename changes a brand's display name.
// A nil ex writes directly.
func (s *Store) Rename(ctx context.Context, ex db.Querier, id, name string) (Brand, error) {
	if ex == nil {
		ex = s.db
	}
	name = strings.TrimSpace(name)
	if n := len(name); n == 0 || n > 120 {
		return Brand{}, &apperr.Error{Code: apperr.Invalid, Message: "invalid brand", Fields: map[string]string{"name": "must be 1 to 120 characters"}}
	}
	var b Brand
	err := ex.QueryRowContext(ctx, `UPDATE brands SET name = $2 WHERE id = $1 RETURNING id, slug, name, created_at`, id, name).
		Scan(&b.ID, &b.Slug, &b.Name, &b.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Brand{}, apperr.New(apperr.NotFound, "brand not found")
	}
	if err != nil {
		return Brand{}, fmt.Errorf("rename brand: %w", err)
	}
	return b, nil
}

// Count returns the number of brands.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM brands`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count brands: %w", err)
	}
	return n, nil
}
