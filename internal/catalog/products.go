package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/db"
)

// Status is where a product stands in its life.
type Status string

// The product statuses. Only active products are offered to shoppers.
const (
	Draft    Status = "draft"
	Active   Status = "active"
	Archived Status = "archived"
)

// maxPrice bounds prices and variant price deltas (in minor units), far
// above any real price and far below integer overflow.
const maxPrice = 1_000_000_000_000

// ProductSpec is what a brand sets on a product: the body of a create, and
// the fields a Patch may change.
type ProductSpec struct {
	Name        string `json:"name"`
	SKU         string `json:"sku"`
	Description string `json:"description"`
	Status      Status `json:"status"`
	// Price is in minor units of Currency (cents for EUR, yen for JPY).
	Price    int64  `json:"price"`
	Currency string `json:"currency"`
	// Variants replace the whole list when set; keep a variant's id to keep
	// its identity (orders refer to it).
	Variants []Variant `json:"variants"`
}

// Product is a product of a brand's catalog.
type Product struct {
	ID string `json:"id"`
	ProductSpec
	// CurrencyDigits tells clients how to format Price (2 for EUR, 0 for JPY).
	CurrencyDigits int `json:"currency_digits"`
	// Model summarises the product's 3D model; nil until one is uploaded.
	Model     *ModelSummary `json:"model"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// check normalises sp and reports every invalid field.
func (sp *ProductSpec) check() error {
	p := problems{}
	checkText(p, "name", &sp.Name, 1, 200)
	checkSKU(p, "sku", &sp.SKU)
	checkText(p, "description", &sp.Description, 0, 5000)
	switch sp.Status {
	case Draft, Active, Archived:
	default:
		p.add("status", "must be draft, active or archived")
	}
	if sp.Price < 0 || sp.Price > maxPrice {
		p.add("price", "must be a whole number of minor units (such as cents) from 0 to %d", int64(maxPrice))
	}
	if c, ok := normCurrency(sp.Currency); ok {
		sp.Currency = c
	} else {
		p.add("currency", "must be an ISO 4217 currency code such as EUR or USD")
	}
	sp.Variants = checkVariants(p, sp)
	return p.err("invalid product")
}

// CreateProduct adds a product to the principal's brand. A new product is a
// draft unless the spec says otherwise; it cannot start active, since an
// active product needs a model.
func (s *Service) CreateProduct(ctx context.Context, p auth.Principal, sp ProductSpec) (Product, error) {
	if err := canWrite(p); err != nil {
		return Product{}, err
	}
	if sp.Status == "" {
		sp.Status = Draft
	}
	if err := sp.check(); err != nil {
		return Product{}, err
	}
	if sp.Status == Active {
		return Product{}, errNeedsModel
	}
	id, err := db.NewID()
	if err != nil {
		return Product{}, err
	}
	now := s.stamp()
	var out Product
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := checkSKUsFree(ctx, tx, p.BrandID, id, sp); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO products
			(id, brand_id, name, sku, description, status, price, currency, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			id, p.BrandID, sp.Name, sp.SKU, sp.Description, sp.Status, sp.Price, sp.Currency, now); err != nil {
			return fmt.Errorf("insert product: %w", err)
		}
		if err := replaceVariants(ctx, tx, p.BrandID, id, sp.Variants); err != nil {
			return err
		}
		out, err = getProduct(ctx, tx, p.BrandID, id)
		return err
	})
	return out, skuConflict(err)
}

var errNeedsModel = apperr.New(apperr.Conflict, "a product can only be active once it has a 3D model: upload the model first, then activate it")

// GetProduct returns one product of the principal's brand.
func (s *Service) GetProduct(ctx context.Context, p auth.Principal, id string) (Product, error) {
	if err := canRead(p); err != nil {
		return Product{}, err
	}
	return getProduct(ctx, s.db, p.BrandID, id)
}

// UpdateProduct applies patch to a product and returns the result.
func (s *Service) UpdateProduct(ctx context.Context, p auth.Principal, id string, patch Patch) (Product, error) {
	if err := canWrite(p); err != nil {
		return Product{}, err
	}
	var out Product
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := lockProduct(ctx, tx, p.BrandID, id, s.stamp()); err != nil {
			return err
		}
		cur, err := getProduct(ctx, tx, p.BrandID, id)
		if err != nil {
			return err
		}
		sp, err := apply(cur.ProductSpec, patch)
		if err != nil {
			return err
		}
		if err := sp.check(); err != nil {
			return err
		}
		if sp.Status == Active && cur.Model == nil {
			return errNeedsModel
		}
		if err := checkSKUsFree(ctx, tx, p.BrandID, id, sp); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE products SET name = $3, sku = $4, description = $5, status = $6,
			price = $7, currency = $8 WHERE id = $1 AND brand_id = $2`,
			id, p.BrandID, sp.Name, sp.SKU, sp.Description, sp.Status, sp.Price, sp.Currency); err != nil {
			return fmt.Errorf("update product: %w", err)
		}
		if err := replaceVariants(ctx, tx, p.BrandID, id, sp.Variants); err != nil {
			return err
		}
		out, err = getProduct(ctx, tx, p.BrandID, id)
		return err
	})
	return out, skuConflict(err)
}

// DeleteProduct deletes a product with its variants, zones and model, then,
// once that has committed, the files of its model and zone masks.
func (s *Service) DeleteProduct(ctx context.Context, p auth.Principal, id string) error {
	if err := canWrite(p); err != nil {
		return err
	}
	var keys []string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := lockProduct(ctx, tx, p.BrandID, id, s.stamp()); err != nil {
			return err
		}
		var err error
		if keys, err = productBlobKeys(ctx, tx, p.BrandID, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM product_zones WHERE product_id = $1 AND brand_id = $2`,
			`DELETE FROM product_variants WHERE product_id = $1 AND brand_id = $2`,
			`DELETE FROM product_models WHERE product_id = $1 AND brand_id = $2`,
			`DELETE FROM products WHERE id = $1 AND brand_id = $2`,
		} {
			if _, err := tx.ExecContext(ctx, q, id, p.BrandID); err != nil {
				return fmt.Errorf("delete product: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, keys...)
	s.sweepPrefix(ctx, productPrefix(p.BrandID, id))
	return nil
}

// lockProduct touches a product's updated_at, which also locks its row on
// PostgreSQL until the transaction ends: writes to one product (model
// replacement, zone changes, deletion) happen one after the other, so each
// sees the others' results. A product of another brand is not found.
func lockProduct(ctx context.Context, tx *sql.Tx, brandID, id string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE products SET updated_at = $3 WHERE id = $1 AND brand_id = $2`, id, brandID, now)
	if err != nil {
		return fmt.Errorf("lock product: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errProductNotFound
	}
	return nil
}

var errProductNotFound = apperr.New(apperr.NotFound, "no such product")

// skuConflict turns a unique-index failure (two writers taking the same SKU
// at once) into the same conflict the explicit check gives.
func skuConflict(err error) error {
	if db.IsUniqueViolation(err) {
		return apperr.Wrap(apperr.Conflict, err, "that SKU is already used by another product or variant of your brand")
	}
	return err
}

// getProduct reads one product with its variants and model summary.
func getProduct(ctx context.Context, q db.Querier, brandID, id string) (Product, error) {
	row := q.QueryRowContext(ctx, `SELECT `+productColumns+` `+productFrom+` WHERE p.id = $1 AND p.brand_id = $2`, id, brandID)
	pr, err := scanProduct(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Product{}, errProductNotFound
	}
	if err != nil {
		return Product{}, err
	}
	vs, err := loadVariants(ctx, q, brandID, []string{id})
	if err != nil {
		return Product{}, err
	}
	pr.Variants = nonNil(vs[id])
	return pr, nil
}
