package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/money"
)

// Page sizes of ListProducts.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ListOptions filter and page ListProducts.
type ListOptions struct {
	// Query matches, case-insensitively, part of the name or SKU of a
	// product or the SKU of one of its variants.
	Query string
	// Status keeps only products with that status; empty keeps all.
	Status Status
	// Limit is the page size (DefaultPageSize when 0, at most MaxPageSize).
	Limit int
	// Cursor is the NextCursor of the previous page; empty starts at the newest.
	Cursor string
}

// ProductPage is one page of products, newest first.
type ProductPage struct {
	Products []Product `json:"products"`
	// NextCursor fetches the following page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// productColumns and productFrom read a product with its model summary;
// scanProduct reads the row.
const (
	productColumns = `p.id, p.name, p.sku, p.description, p.status, p.price, p.currency, p.created_at, p.updated_at,
		m.id, m.format, m.triangles, m.materials, m.created_at`
	productFrom = `FROM products p LEFT JOIN product_models m ON m.product_id = p.id AND m.brand_id = p.brand_id`
)

type scanner interface{ Scan(dest ...any) error }

func scanProduct(row scanner) (Product, error) {
	var pr Product
	var mID, mFormat, mMaterials sql.NullString
	var mTriangles sql.NullInt64
	var mCreated sql.NullTime
	if err := row.Scan(&pr.ID, &pr.Name, &pr.SKU, &pr.Description, &pr.Status, &pr.Price, &pr.Currency,
		&pr.CreatedAt, &pr.UpdatedAt, &mID, &mFormat, &mTriangles, &mMaterials, &mCreated); err != nil {
		return Product{}, err
	}
	pr.CreatedAt, pr.UpdatedAt = pr.CreatedAt.UTC(), pr.UpdatedAt.UTC()
	pr.CurrencyDigits = money.Digits(pr.Currency)
	pr.Variants = []Variant{}
	if mID.Valid {
		var mats []ModelMaterial
		if err := json.Unmarshal([]byte(mMaterials.String), &mats); err != nil {
			return Product{}, fmt.Errorf("product %s: model materials: %w", pr.ID, err)
		}
		pr.Model = &ModelSummary{ID: mID.String, Format: mFormat.String, Triangles: mTriangles.Int64,
			Materials: materialNames(mats), UploadedAt: mCreated.Time.UTC()}
	}
	return pr, nil
}

// ListProducts returns a page of the principal's brand's products, newest
// first. Pages are keyed by ID (IDs are time-ordered), so a product created
// while a client pages through never shifts or repeats an entry.
func (s *Service) ListProducts(ctx context.Context, p auth.Principal, o ListOptions) (ProductPage, error) {
	if err := canRead(p); err != nil {
		return ProductPage{}, err
	}
	switch {
	case o.Limit == 0:
		o.Limit = DefaultPageSize
	case o.Limit < 0 || o.Limit > MaxPageSize:
		return ProductPage{}, apperr.New(apperr.Invalid, "limit must be 1 to %d", MaxPageSize)
	}
	switch o.Status {
	case "", Draft, Active, Archived:
	default:
		return ProductPage{}, apperr.New(apperr.Invalid, "status must be draft, active or archived")
	}
	if len(o.Query) > 200 || len(o.Cursor) > 100 {
		return ProductPage{}, apperr.New(apperr.Invalid, "the search or cursor is too long")
	}
	pattern := ""
	if q := strings.TrimSpace(o.Query); q != "" {
		pattern = "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+productColumns+` `+productFrom+`
		WHERE p.brand_id = $1 AND ($2 = '' OR p.status = $2) AND ($3 = '' OR p.id < $3)
		AND ($4 = '' OR lower(p.name) LIKE $4 ESCAPE '\' OR lower(p.sku) LIKE $4 ESCAPE '\'
			OR EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.brand_id = p.brand_id
				AND lower(v.sku) LIKE $4 ESCAPE '\'))
		ORDER BY p.id DESC LIMIT $5`, p.BrandID, string(o.Status), o.Cursor, pattern, o.Limit+1)
	if err != nil {
		return ProductPage{}, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	page := ProductPage{Products: []Product{}}
	for rows.Next() {
		pr, err := scanProduct(rows)
		if err != nil {
			return ProductPage{}, fmt.Errorf("list products: %w", err)
		}
		page.Products = append(page.Products, pr)
	}
	if err := rows.Err(); err != nil {
		return ProductPage{}, fmt.Errorf("list products: %w", err)
	}
	rows.Close()
	if len(page.Products) > o.Limit {
		page.Products = page.Products[:o.Limit]
		page.NextCursor = page.Products[o.Limit-1].ID
	}
	ids := make([]string, len(page.Products))
	for i, pr := range page.Products {
		ids[i] = pr.ID
	}
	vs, err := loadVariants(ctx, s.db, p.BrandID, ids)
	if err != nil {
		return ProductPage{}, err
	}
	for i := range page.Products {
		page.Products[i].Variants = nonNil(vs[page.Products[i].ID])
	}
	return page, nil
}

// likeEscaper makes user text match literally inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
