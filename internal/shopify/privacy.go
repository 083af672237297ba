package shopify

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
)

// The three privacy webhooks every Shopify app must honour. Shopify sends
// them whether or not the shop is installed now (a data request may come
// long after an uninstall), so each does what it can with what Luneo still
// holds, and never fails for a shop it does not know.

// privacyPayload is the part of the privacy payloads Luneo reads. The
// customer's email and phone are in it too; they are not read or kept:
// Luneo's orders carry only the customer's id.
type privacyPayload struct {
	Customer *struct {
		ID idText `json:"id"`
	} `json:"customer"`
	OrdersRequested []idText `json:"orders_requested"`
}

func (p privacyPayload) customer() string {
	if p.Customer == nil {
		return ""
	}
	return string(p.Customer.ID)
}

// DataRequest is a customers/data_request as the brand's privacy page
// shows it.
type DataRequest struct {
	ID              string      `json:"id"`
	Shop            string      `json:"shop"`
	Customer        string      `json:"customer"`
	OrdersRequested []string    `json:"orders_requested"`
	Held            []HeldOrder `json:"held"`
	ReceivedAt      time.Time   `json:"received_at"`
	Status          string      `json:"status"`
}

// customerEvent reads a customer privacy webhook: its payload, the
// customer it names (an Invalid error without one) and the brand of the
// shop ("" for a shop Luneo does not know).
func (w *Webhooks) customerEvent(ctx context.Context, ev event) (privacyPayload, string, string, error) {
	var p privacyPayload
	if err := decode(ev, &p); err != nil {
		return p, "", "", err
	}
	customer := p.customer()
	if customer == "" {
		return p, "", "", apperr.New(apperr.Invalid, "the %s payload names no customer", ev.Topic)
	}
	brandID, _, err := w.shops.BrandOf(ctx, ev.Shop)
	if err != nil {
		return p, "", "", fmt.Errorf("shop of %s: %w", ev.Topic, err)
	}
	return p, customer, brandID, nil
}

// dataRequest works customers/data_request: it records what Luneo holds
// about the customer (their orders, by customer reference) for the brand's
// privacy page, and emails the brand's owners and admins, who answer the
// customer (Shopify forwards the request to the store, not to its apps'
// customers). A shop Luneo no longer knows holds nothing.
func (w *Webhooks) dataRequest(ctx context.Context, ev event) error {
	p, customer, brandID, err := w.customerEvent(ctx, ev)
	if err != nil {
		return err
	}
	if brandID == "" {
		w.logger.InfoContext(ctx, "shopify data request for a shop Luneo does not know: nothing held", "shop", ev.Shop)
		return nil
	}
	held, err := w.orders.CustomerOrders(ctx, brandID, ev.Shop, customer)
	if err != nil {
		return fmt.Errorf("orders of customer: %w", err)
	}
	if held == nil {
		held = []HeldOrder{}
	}
	requested := make([]string, 0, len(p.OrdersRequested))
	for _, id := range p.OrdersRequested {
		requested = append(requested, string(id))
	}
	members, err := w.members.MembersWho(ctx, brandID, brand.IntegrationsManage)
	if err != nil {
		return fmt.Errorf("members of brand: %w", err)
	}
	reqJSON, _ := json.Marshal(requested)
	heldJSON, _ := json.Marshal(held)
	msg := dataRequestMail(w.baseURL, ev.Shop, customer, requested, held)
	// The row is keyed by the delivery's webhook id, and the emails go in
	// its transaction: a retried job records and emails once.
	return w.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO shopify_data_requests
			(id, brand_id, shop, customer, orders_requested, held, received_at, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'notified') ON CONFLICT (id) DO NOTHING`,
			ev.ID, brandID, ev.Shop, customer, string(reqJSON), string(heldJSON), w.stamp())
		if err != nil {
			return fmt.Errorf("record data request: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		for _, m := range members {
			msg.To = m.Email
			if _, err := w.mail.SendTx(ctx, tx, msg); err != nil {
				return fmt.Errorf("email data request: %w", err)
			}
		}
		return nil
	})
}

// dataRequestMail says a request arrived and what is held.
func dataRequestMail(base, shop, customer string, requested []string, held []HeldOrder) mail.Message {
	var b strings.Builder
	fmt.Fprintf(&b, "A customer of your Shopify store %s asked, through Shopify, for the data held about them.\n\n", shop)
	fmt.Fprintf(&b, "Shopify customer id: %s\n", customer)
	if len(requested) > 0 {
		fmt.Fprintf(&b, "Orders the request names (Shopify ids): %s\n", strings.Join(requested, ", "))
	}
	fmt.Fprintf(&b, "\nLuneo holds %d order(s) with this customer reference (and no name, email or address):\n", len(held))
	for _, o := range held {
		fmt.Fprintf(&b, "- %s (Shopify order %s, %s, received %s)\n", o.Name, o.ExternalID, o.Status, o.CreatedAt.UTC().Format("2006-01-02"))
	}
	fmt.Fprintf(&b, "\nAnswer the customer from your Shopify admin within 30 days. The request is listed on %s/app/shopify/products.\n", base)
	return mail.Message{Subject: "Shopify data request from a customer of " + shop, Text: b.String()}
}

// customerRedact works customers/redact: the customer's reference is
// blanked on the shop's orders (kept for the brand's production and
// accounts), and their data requests are deleted.
func (w *Webhooks) customerRedact(ctx context.Context, ev event) error {
	_, customer, brandID, err := w.customerEvent(ctx, ev)
	if err != nil {
		return err
	}
	if brandID != "" {
		n, err := w.orders.ForgetCustomer(ctx, brandID, ev.Shop, customer)
		if err != nil {
			return fmt.Errorf("forget customer: %w", err)
		}
		w.logger.InfoContext(ctx, "shopify customer redacted", "shop", ev.Shop, "orders", n)
	}
	if _, err := w.db.ExecContext(ctx, `DELETE FROM shopify_data_requests WHERE shop = $1 AND customer = $2`,
		ev.Shop, customer); err != nil {
		return fmt.Errorf("delete data requests: %w", err)
	}
	return nil
}

// shopRedact works shop/redact (48 hours after an uninstall): everything
// of the shop goes: its orders, product mappings, data requests, recorded
// webhooks (but this one, so a replay of it stays a replay) and the
// installation itself.
func (w *Webhooks) shopRedact(ctx context.Context, ev event) error {
	brandID, _, err := w.shops.BrandOf(ctx, ev.Shop)
	if err != nil {
		return fmt.Errorf("shop to redact: %w", err)
	}
	if brandID != "" {
		n, err := w.orders.ForgetStore(ctx, brandID, ev.Shop)
		if err != nil {
			return fmt.Errorf("forget store orders: %w", err)
		}
		w.logger.InfoContext(ctx, "shopify shop's orders forgotten", "shop", ev.Shop, "orders", n)
	}
	err = w.db.InTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM shopify_product_map WHERE shop = $1`,
			`DELETE FROM shopify_data_requests WHERE shop = $1`,
			`DELETE FROM shopify_webhook_events WHERE shop = $1 AND webhook_id <> $2`,
		} {
			args := []any{ev.Shop}
			if strings.Contains(q, "$2") {
				args = append(args, ev.ID)
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("redact shop: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return w.shops.Forget(ctx, ev.Shop)
}

// DataRequests lists the customers/data_request of the caller's brand,
// newest first (brand:read: the page is the brand's privacy record).
func (w *Webhooks) DataRequests(ctx context.Context, p auth.Principal) ([]DataRequest, error) {
	if err := p.Require(brand.BrandRead); err != nil {
		return nil, err
	}
	rows, err := w.db.QueryContext(ctx, `SELECT id, shop, customer, orders_requested, held, received_at, status
		FROM shopify_data_requests WHERE brand_id = $1 ORDER BY received_at DESC, id LIMIT 200`, p.BrandID)
	if err != nil {
		return nil, fmt.Errorf("list data requests: %w", err)
	}
	defer rows.Close()
	out := []DataRequest{}
	for rows.Next() {
		var r DataRequest
		var req, held string
		if err := rows.Scan(&r.ID, &r.Shop, &r.Customer, &req, &held, &r.ReceivedAt, &r.Status); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(req), &r.OrdersRequested)
		_ = json.Unmarshal([]byte(held), &r.Held)
		r.ReceivedAt = r.ReceivedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
