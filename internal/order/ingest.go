package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Input is an order as a store reports it.
type Input struct {
	Source     string // "api" or "shopify"
	Store      string // "" for api; the shop domain (x.myshopify.com) for shopify
	ExternalID string // the store's order id
	Name       string // display name ("#1001"); optional
	Customer   string // an opaque customer reference, never name/email/address
	Lines      []LineInput
}

// LineInput is one line of an Input.
type LineInput struct {
	DesignID       string
	Version        int
	Quantity       int
	SKU            string // optional
	ExternalLineID string // optional (shopify line item id)
	// ProductID, when set, is the Luneo product the store sold: the design
	// must be of it, else the line is recorded without its design and
	// flagged.
	ProductID string
	// Flag, for a store order, records the line without a design and never
	// produces it: the store's side found why (an unreadable design
	// reference, an unmapped product).
	Flag string
	// Fee is what the store charged for the line's personalization, its
	// whole quantity; nil when it reports none (fee.go checks it).
	Fee *Money
}

// Flags of refused lines.
const (
	FlagForeignDesign   = "the design is not one of this brand's (or that version does not exist)"
	FlagProductMismatch = "the design is not of the ordered product"
	FlagNoDesign        = "the line names no design"
)

// Ingest records an order idempotently by (brand, source, store,
// external_id): a second call with the same key returns the existing order
// and created=false. Every design version is checked to be the brand's (and
// the product's when ProductID is set), locked (design.Service.Lock) in the
// same transaction, and the production job is enqueued in that
// transaction. For the API, a design that is not the brand's is refused
// (422 naming the line); for a store whose shoppers can edit line
// properties (Shopify), the line is recorded without it and flagged.
func (s *Service) Ingest(ctx context.Context, brandID string, in Input) (o Order, created bool, err error) {
	fees, err := s.feeChecks(ctx, brandID, in)
	if err != nil {
		return Order{}, false, err
	}
	for attempt := 0; ; attempt++ {
		err = s.db.InTx(ctx, func(tx *sql.Tx) error {
			var err error
			o, created, err = s.ingestTx(ctx, tx, brandID, in, fees)
			return err
		})
		// Two deliveries of one order at once: the loser's insert fails on
		// the unique key, and reading again finds the winner's order.
		if err != nil && db.IsUniqueViolation(err) && attempt == 0 {
			continue
		}
		return o, created, err
	}
}

// ingestTx is Ingest inside tx.
func (s *Service) ingestTx(ctx context.Context, tx *sql.Tx, brandID string, in Input, fees map[int]feeResult) (Order, bool, error) {
	if err := in.check(); err != nil {
		return Order{}, false, err
	}
	existing, err := scanOrder(tx.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE brand_id = $1 AND source = $2 AND store = $3 AND external_id = $4`, brandID, in.Source, in.Store, in.ExternalID))
	if err == nil {
		existing.Lines, err = loadLines(ctx, tx, brandID, existing.ID)
		return existing, false, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Order{}, false, fmt.Errorf("find order: %w", err)
	}
	id, err := db.NewID()
	if err != nil {
		return Order{}, false, err
	}
	now := s.stamp()
	o := Order{ID: id, Source: in.Source, Store: in.Store, ExternalID: in.ExternalID, Name: in.Name, Customer: in.Customer,
		Status: Received, CreatedAt: now, UpdatedAt: now, brandID: brandID}
	if o.Name == "" {
		o.Name = in.ExternalID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, brand_id, source, store, external_id, name, customer_ref, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, o.ID, brandID, o.Source, o.Store, o.ExternalID, o.Name, o.Customer, o.Status, now); err != nil {
		return Order{}, false, fmt.Errorf("insert order: %w", err)
	}
	for i, li := range in.Lines {
		l, err := s.resolveLine(ctx, tx, brandID, o, i+1, li)
		if err != nil {
			return Order{}, false, err
		}
		if f, ok := fees[i]; ok && l.Flag == "" {
			l.FeeCharged, l.FeeQuoted, l.FeeCurrency, l.PriceIssue = &f.charged, &f.quoted, f.currency, f.issue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines (order_id, brand_id, line_no, design_id, design_version, product_id,
			variant_id, sku, quantity, external_line_id, flag, fee_charged, fee_quoted, fee_currency, price_issue)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			o.ID, brandID, l.No, l.DesignID, l.Version, l.ProductID, l.VariantID, l.SKU, l.Quantity, l.ExternalLineID, l.Flag,
			l.FeeCharged, l.FeeQuoted, l.FeeCurrency, l.PriceIssue); err != nil {
			return Order{}, false, fmt.Errorf("insert order line: %w", err)
		}
		o.Lines = append(o.Lines, l)
	}
	if err := s.enqueueProduction(ctx, tx, brandID, o.ID); err != nil {
		return Order{}, false, err
	}
	if err := s.emit(ctx, tx, EventCreated, o, nil); err != nil {
		return Order{}, false, err
	}
	return o, true, nil
}

// resolveLine checks a line's design version and locks it, or flags the
// line (see Ingest).
func (s *Service) resolveLine(ctx context.Context, tx *sql.Tx, brandID string, o Order, no int, li LineInput) (Line, error) {
	l := Line{No: no, Quantity: li.Quantity, SKU: li.SKU, ExternalLineID: li.ExternalLineID, ProductID: li.ProductID}
	refuse := func(flag, why string) (Line, error) {
		if o.Source == SourceAPI {
			return Line{}, apperr.New(apperr.Unprocessable, "line %d: %s", no, why)
		}
		l.Flag = flag
		return l, nil
	}
	if li.Flag != "" && o.Source != SourceAPI {
		l.Flag = li.Flag
		return l, nil
	}
	if li.DesignID == "" {
		return refuse(FlagNoDesign, "design_id is required")
	}
	v, err := loadVersionTx(ctx, tx, brandID, li.DesignID, li.Version)
	if apperr.CodeOf(err) == apperr.NotFound {
		return refuse(FlagForeignDesign, fmt.Sprintf("design %s has no version %d in this brand", li.DesignID, li.Version))
	}
	if err != nil {
		return Line{}, err
	}
	if li.ProductID != "" && v.productID != li.ProductID {
		l.Flag = FlagProductMismatch
		return l, nil
	}
	if err := s.designs.Lock(ctx, tx, brandID, li.DesignID, li.Version, "order:"+o.ID); err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return refuse(FlagForeignDesign, fmt.Sprintf("design %s version %d cannot be ordered (deleted or missing)", li.DesignID, li.Version))
		}
		return Line{}, err
	}
	l.DesignID, l.Version, l.ProductID, l.VariantID = li.DesignID, li.Version, v.productID, v.variantID
	return l, nil
}

// versionInfo is what an order needs of a design version.
type versionInfo struct{ productID, variantID, sha string }

// loadVersionTx reads a version of a design of the brand inside tx (on
// SQLite only tx may be used): the design service's LoadVersion would take
// a second connection. NotFound when it is not the brand's or is missing.
func loadVersionTx(ctx context.Context, tx *sql.Tx, brandID, designID string, version int) (versionInfo, error) {
	var v versionInfo
	var doc string
	err := tx.QueryRowContext(ctx, `SELECT d.product_id, v.document, v.sha256 FROM design_versions v
		JOIN designs d ON d.id = v.design_id AND d.brand_id = v.brand_id
		WHERE v.design_id = $1 AND v.brand_id = $2 AND v.version = $3 AND d.deleted_at IS NULL`, designID, brandID, version).
		Scan(&v.productID, &doc, &v.sha)
	if errors.Is(err, sql.ErrNoRows) {
		return versionInfo{}, apperr.New(apperr.NotFound, "no such design version")
	}
	if err != nil {
		return versionInfo{}, fmt.Errorf("read design version: %w", err)
	}
	// The version's own product and variant (the design row has the
	// latest version's variant).
	var d struct {
		ProductID string `json:"product_id"`
		VariantID string `json:"variant_id"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return versionInfo{}, fmt.Errorf("read design version %d of %s: %w", version, designID, err)
	}
	if d.ProductID != "" {
		v.productID = d.ProductID
	}
	v.variantID = d.VariantID
	return v, nil
}

// check validates an Input, naming the first wrong field.
func (in *Input) check() error {
	in.ExternalID, in.Name, in.Customer = strings.TrimSpace(in.ExternalID), strings.TrimSpace(in.Name), strings.TrimSpace(in.Customer)
	switch {
	case in.Source != SourceAPI && in.Source != SourceShopify:
		return apperr.New(apperr.Invalid, "source must be api or shopify")
	case in.Source == SourceAPI && in.Store != "":
		return apperr.New(apperr.Invalid, "an API order has no store")
	case in.Source == SourceShopify && in.Store == "":
		return apperr.New(apperr.Invalid, "a Shopify order needs its shop domain")
	case in.ExternalID == "":
		return apperr.New(apperr.Invalid, "external_id is required")
	case !short(in.ExternalID, 200) || !short(in.Store, 255):
		return apperr.New(apperr.Invalid, "external_id must be at most 200 characters")
	case !short(in.Name, 200):
		return apperr.New(apperr.Invalid, "name must be at most 200 characters")
	case !short(in.Customer, 200):
		return apperr.New(apperr.Invalid, "customer must be an opaque reference of at most 200 characters")
	case len(in.Lines) == 0:
		return apperr.New(apperr.Invalid, "an order needs at least one line")
	case len(in.Lines) > MaxLines:
		return apperr.New(apperr.Invalid, "an order has at most %d lines", MaxLines)
	}
	for i, l := range in.Lines {
		switch {
		case l.Quantity < 1 || l.Quantity > MaxQuantity:
			return apperr.New(apperr.Invalid, "line %d: quantity must be 1 to %d", i+1, MaxQuantity)
		case l.DesignID != "" && l.Version < 1:
			return apperr.New(apperr.Invalid, "line %d: version must be 1 or more", i+1)
		case !short(l.DesignID, 100) || !short(l.SKU, 100) || !short(l.ExternalLineID, 100) || !short(l.ProductID, 100):
			return apperr.New(apperr.Invalid, "line %d: design_id, sku and ids must be at most 100 characters", i+1)
		}
	}
	return nil
}

// short reports whether s is valid UTF-8 of at most n characters without
// control characters.
func short(s string, n int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > n {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// CancelExternal cancels an order the store cancelled. An order already
// fulfilled stays fulfilled (the store's cancel comes too late for
// production), one already cancelled stays as it is; an unknown order is
// NotFound.
func (s *Service) CancelExternal(ctx context.Context, brandID, source, store, externalID string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE brand_id = $1 AND source = $2 AND store = $3 AND external_id = $4`,
			brandID, source, store, externalID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errOrderNotFound
		}
		if err != nil {
			return fmt.Errorf("cancel order: %w", err)
		}
		o, err := loadOrder(ctx, tx, brandID, id)
		if err != nil {
			return err
		}
		if o.Status == Fulfilled || o.Status == Cancelled {
			return nil
		}
		now := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET status = 'cancelled', updated_at = $3 WHERE id = $1 AND brand_id = $2`,
			id, brandID, now); err != nil {
			return fmt.Errorf("cancel order: %w", err)
		}
		o.Status, o.UpdatedAt = Cancelled, now
		return s.emit(ctx, tx, EventCancelled, o, nil)
	})
}
