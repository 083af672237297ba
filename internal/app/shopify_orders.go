package app

import (
	"context"

	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/shopify"
)

// shopifyOrders lets the Shopify webhooks record orders in the orders
// module: internal/shopify speaks its own small types so that neither
// package imports the other.
type shopifyOrders struct{ s *order.Service }

func (a shopifyOrders) Ingest(ctx context.Context, brandID string, in shopify.OrderInput) (string, bool, error) {
	oi := order.Input{Source: in.Source, Store: in.Store, ExternalID: in.ExternalID, Name: in.Name, Customer: in.Customer,
		Lines: make([]order.LineInput, len(in.Lines))}
	for i, l := range in.Lines {
		oi.Lines[i] = order.LineInput{DesignID: l.DesignID, Version: l.Version, Quantity: l.Quantity, SKU: l.SKU,
			ExternalLineID: l.ExternalLineID, ProductID: l.ProductID, Flag: l.Flag}
		if l.Fee != nil {
			oi.Lines[i].Fee = &order.Money{Amount: l.Fee.Amount, Currency: l.Fee.Currency}
		}
	}
	o, created, err := a.s.Ingest(ctx, brandID, oi)
	return o.ID, created, err
}

func (a shopifyOrders) CancelExternal(ctx context.Context, brandID, source, store, externalID string) error {
	return a.s.CancelExternal(ctx, brandID, source, store, externalID)
}

func (a shopifyOrders) ForgetStore(ctx context.Context, brandID, store string) (int, error) {
	return a.s.ForgetStore(ctx, brandID, store)
}

func (a shopifyOrders) ForgetCustomer(ctx context.Context, brandID, store, customer string) (int, error) {
	return a.s.ForgetCustomer(ctx, brandID, store, customer)
}

func (a shopifyOrders) CustomerOrders(ctx context.Context, brandID, store, customer string) ([]shopify.HeldOrder, error) {
	os, err := a.s.CustomerOrders(ctx, brandID, store, customer)
	out := make([]shopify.HeldOrder, len(os))
	for i, o := range os {
		out[i] = shopify.HeldOrder{ID: o.ID, ExternalID: o.ExternalID, Name: o.Name, Status: string(o.Status), CreatedAt: o.CreatedAt}
	}
	return out, err
}
