package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/render"
)

var errOrderNotFound = apperr.New(apperr.NotFound, "no such order")

const orderColumns = `id, brand_id, source, store, external_id, name, customer_ref, status, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanOrder(row scanner) (Order, error) {
	var o Order
	if err := row.Scan(&o.ID, &o.brandID, &o.Source, &o.Store, &o.ExternalID, &o.Name, &o.Customer, &o.Status,
		&o.CreatedAt, &o.UpdatedAt); err != nil {
		return Order{}, err
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, nil
}

// loadOrder reads an order of the brand with its lines.
func loadOrder(ctx context.Context, q db.Querier, brandID, id string) (Order, error) {
	if len(id) > 100 {
		return Order{}, errOrderNotFound
	}
	o, err := scanOrder(q.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 AND brand_id = $2`, id, brandID))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, errOrderNotFound
	}
	if err != nil {
		return Order{}, fmt.Errorf("load order: %w", err)
	}
	o.Lines, err = loadLines(ctx, q, brandID, id)
	return o, err
}

// loadLines reads an order's lines in order.
func loadLines(ctx context.Context, q db.Querier, brandID, orderID string) ([]Line, error) {
	rows, err := q.QueryContext(ctx, `SELECT line_no, design_id, design_version, product_id, variant_id, sku, quantity,
		external_line_id, flag, fee_charged, fee_quoted, fee_currency, price_issue
		FROM order_lines WHERE order_id = $1 AND brand_id = $2 ORDER BY line_no`, orderID, brandID)
	if err != nil {
		return nil, fmt.Errorf("load order lines: %w", err)
	}
	defer rows.Close()
	lines := []Line{}
	for rows.Next() {
		var l Line
		var charged, quoted sql.NullInt64
		if err := rows.Scan(&l.No, &l.DesignID, &l.Version, &l.ProductID, &l.VariantID, &l.SKU, &l.Quantity,
			&l.ExternalLineID, &l.Flag, &charged, &quoted, &l.FeeCurrency, &l.PriceIssue); err != nil {
			return nil, fmt.Errorf("load order lines: %w", err)
		}
		if charged.Valid {
			l.FeeCharged = &charged.Int64
		}
		if quoted.Valid {
			l.FeeQuoted = &quoted.Int64
		}
		lines = append(lines, l)
	}
	return lines, rows.Err()
}

// loadProduction reads an order's production record; nil when production
// has not started.
func loadProduction(ctx context.Context, q db.Querier, brandID, orderID string) (*Production, error) {
	var p Production
	var ready sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT zip_key, zip_size, zip_sha256, files, ready_at, error FROM order_production
		WHERE order_id = $1 AND brand_id = $2`, orderID, brandID).Scan(&p.key, &p.Size, &p.SHA256, &p.Files, &ready, &p.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load order production: %w", err)
	}
	if ready.Valid {
		t := ready.Time.UTC()
		p.ReadyAt, p.Ready = &t, p.key != ""
	}
	return &p, nil
}

// Get returns an order with its lines (each with a signed preview URL of
// its locked version when one was rendered) and its production state with
// a fresh download link once the ZIP is ready (orders:read).
func (s *Service) Get(ctx context.Context, p auth.Principal, id string) (Order, error) {
	if err := p.Require(brand.OrdersRead); err != nil {
		return Order{}, err
	}
	o, err := loadOrder(ctx, s.db, p.BrandID, id)
	if err != nil {
		return Order{}, err
	}
	if o.Production, err = loadProduction(ctx, s.db, p.BrandID, id); err != nil {
		return Order{}, err
	}
	if o.Production != nil && o.Production.Ready {
		link, err := s.link(ctx, o, o.Production, s.cfg.LinkTTL)
		if err != nil {
			return Order{}, err
		}
		o.Production.Download = &link
	}
	s.previews(ctx, p.BrandID, o.Lines)
	return o, nil
}

// previews fills the lines' preview URLs from their versions' compose
// renders. A failure leaves the URL out: the order still shows.
func (s *Service) previews(ctx context.Context, brandID string, lines []Line) {
	seen := map[string][]render.Render{}
	for i := range lines {
		l := &lines[i]
		if l.DesignID == "" {
			continue
		}
		rs, ok := seen[l.DesignID]
		if !ok {
			var err error
			if rs, err = s.renders.List(ctx, brandID, l.DesignID); err != nil {
				s.logger.WarnContext(ctx, "order: design renders unreadable", "design", l.DesignID, "error", err)
			}
			seen[l.DesignID] = rs
		}
		for _, r := range rs {
			if r.Kind != render.Compose || r.Version != l.Version || r.Status != render.Completed {
				continue
			}
			for _, f := range r.Files {
				if f.Role == render.RolePreview && f.URL != "" {
					l.PreviewURL = f.URL
					break
				}
			}
			if l.PreviewURL != "" {
				break
			}
		}
	}
}

// link signs a download link to an order's ZIP.
func (s *Service) link(ctx context.Context, o Order, p *Production, ttl time.Duration) (DownloadLink, error) {
	u, err := s.blobs.SignedURL(ctx, p.key, ttl, blobURLOptions(o))
	if err != nil {
		return DownloadLink{}, fmt.Errorf("sign production download: %w", err)
	}
	return DownloadLink{URL: u, ExpiresAt: s.now().Add(ttl).UTC().Truncate(time.Second), Size: p.Size, SHA256: p.SHA256}, nil
}

// Page sizes of List.
const (
	DefaultPageSize = 25
	MaxPageSize     = 100
)

// ListOptions filter and page List.
type ListOptions struct {
	Status Status
	Source string
	// From and To bound created_at: From inclusive, To exclusive.
	From, To time.Time
	// Query matches the name or the external ID (case-insensitive part).
	Query  string
	Cursor string
	Limit  int
}

// Page is one page of orders, newest first.
type Page struct {
	Orders []Order `json:"orders"`
	// NextCursor fetches the following page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// List returns a page of the brand's orders, newest first (orders:read).
// Pages are keyed by ID, which is time-ordered.
func (s *Service) List(ctx context.Context, p auth.Principal, o ListOptions) (Page, error) {
	if err := p.Require(brand.OrdersRead); err != nil {
		return Page{}, err
	}
	switch {
	case o.Limit == 0:
		o.Limit = DefaultPageSize
	case o.Limit < 0 || o.Limit > MaxPageSize:
		return Page{}, apperr.New(apperr.Invalid, "limit must be 1 to %d", MaxPageSize)
	}
	if o.Status != "" && !validStatus(o.Status) {
		return Page{}, apperr.New(apperr.Invalid, "status must be one of received, producing, ready, fulfilled, cancelled")
	}
	if o.Source != "" && o.Source != SourceAPI && o.Source != SourceShopify {
		return Page{}, apperr.New(apperr.Invalid, "source must be api or shopify")
	}
	if len(o.Cursor) > 100 || len(o.Query) > 200 {
		return Page{}, apperr.New(apperr.Invalid, "the cursor or query is too long")
	}
	where := []string{"brand_id = $1"}
	args := []any{p.BrandID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if o.Status != "" {
		add("status = ?", string(o.Status))
	}
	if o.Source != "" {
		add("source = ?", o.Source)
	}
	if !o.From.IsZero() {
		add("created_at >= ?", db.Time(o.From))
	}
	if !o.To.IsZero() {
		add("created_at < ?", db.Time(o.To))
	}
	if q := strings.TrimSpace(o.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		add(`(lower(name) LIKE ? ESCAPE '\' OR lower(external_id) LIKE ? ESCAPE '\')`, like)
	}
	if o.Cursor != "" {
		add("id < ?", o.Cursor)
	}
	args = append(args, o.Limit+1)
	rows, err := s.db.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return Page{}, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	page := Page{Orders: []Order{}}
	for rows.Next() {
		or, err := scanOrder(rows)
		if err != nil {
			return Page{}, fmt.Errorf("list orders: %w", err)
		}
		page.Orders = append(page.Orders, or)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("list orders: %w", err)
	}
	if len(page.Orders) > o.Limit {
		page.Orders = page.Orders[:o.Limit]
		page.NextCursor = page.Orders[o.Limit-1].ID
	}
	return page, nil
}

func validStatus(st Status) bool {
	for _, x := range Statuses {
		if x == st {
			return true
		}
	}
	return false
}

// ForgetStore deletes every order of a store (Shopify's shop/redact), with
// their lines, production records and ZIPs. The design versions they
// locked stay locked (their retention is the design module's). It returns
// how many orders were deleted.
func (s *Service) ForgetStore(ctx context.Context, brandID, store string) (int, error) {
	if store == "" {
		return 0, apperr.New(apperr.Invalid, "a store is required")
	}
	var keys []string
	var n int64
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT p.zip_key FROM order_production p JOIN orders o ON o.id = p.order_id
			WHERE o.brand_id = $1 AND o.store = $2 AND p.zip_key <> ''`, brandID, store)
		if err != nil {
			return fmt.Errorf("forget store: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM orders WHERE brand_id = $1 AND store = $2`, brandID, store)
		if err != nil {
			return fmt.Errorf("forget store: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := s.blobs.Delete(context.WithoutCancel(ctx), k); err != nil {
			s.logger.WarnContext(ctx, "order: could not delete a forgotten store's ZIP", "key", k, "error", err)
		}
	}
	return int(n), nil
}

// ForgetCustomer blanks one customer's reference on a store's orders
// (Shopify's customers/redact): the orders stay for the brand's production,
// no longer tied to anyone. It returns how many orders changed.
func (s *Service) ForgetCustomer(ctx context.Context, brandID, store, customer string) (int, error) {
	if customer == "" {
		return 0, nil
	}
	res, err := s.db.ExecContext(ctx, `UPDATE orders SET customer_ref = '', updated_at = $4
		WHERE brand_id = $1 AND store = $2 AND customer_ref = $3`, brandID, store, customer, s.stamp())
	if err != nil {
		return 0, fmt.Errorf("forget customer: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// CustomerOrders lists what is kept about one customer of a store
// (Shopify's customers/data_request): their orders with lines, oldest
// first.
func (s *Service) CustomerOrders(ctx context.Context, brandID, store, customer string) ([]Order, error) {
	out := []Order{}
	if customer == "" {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE brand_id = $1 AND store = $2 AND customer_ref = $3 ORDER BY id`, brandID, store, customer)
	if err != nil {
		return nil, fmt.Errorf("customer orders: %w", err)
	}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("customer orders: %w", err)
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Lines, err = loadLines(ctx, s.db, brandID, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
