package shopify

import (
	"context"

	"github.com/luneo/luneo/internal/apperr"
)

// Until the app wires the installations and the orders module, the
// webhooks still record every delivery; their jobs fail as unavailable and
// River retries them, so nothing Shopify sent is lost meanwhile.

var errUnwired = apperr.New(apperr.Unavailable, "the Shopify installations or orders are not wired in this build")

type unwiredShops struct{}

func (unwiredShops) BrandOf(context.Context, string) (string, bool, error) {
	return "", false, errUnwired
}
func (unwiredShops) ShopsOf(context.Context, string) ([]string, error) { return nil, errUnwired }
func (unwiredShops) Uninstalled(context.Context, string) error         { return errUnwired }
func (unwiredShops) Forget(context.Context, string) error              { return errUnwired }

type unwiredOrders struct{}

func (unwiredOrders) Ingest(context.Context, string, OrderInput) (string, bool, error) {
	return "", false, errUnwired
}
func (unwiredOrders) CancelExternal(context.Context, string, string, string, string) error {
	return errUnwired
}
func (unwiredOrders) ForgetStore(context.Context, string, string) (int, error) { return 0, errUnwired }
func (unwiredOrders) ForgetCustomer(context.Context, string, string, string) (int, error) {
	return 0, errUnwired
}
func (unwiredOrders) CustomerOrders(context.Context, string, string, string) ([]HeldOrder, error) {
	return nil, errUnwired
}
