package order

import (
	"context"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/money"
)

// The fee check. A store such as Shopify charges the personalization fee
// from what the shopper's cart says (a fee line, or a line property the
// Cart Transform reads), and shoppers can edit carts. So when a store order
// arrives, Luneo prices each design version again (catalog.Quote over the
// locked version, at today's rules) and compares. A short fee does not stop
// production: the files are cheap and the merchant decides, before
// fulfilling, whether to ask for the difference or cancel; the order page,
// the API, the brand webhooks and summary.json all carry the issue.

// Money is an amount in minor units of a currency (cents for EUR).
type Money struct {
	Amount   int64
	Currency string
}

// feeResult is the check of one line.
type feeResult struct {
	charged, quoted int64
	currency        string
	issue           string
}

// feeChecks checks the lines of in that report a fee, before the order's
// transaction (on SQLite only the transaction's connection may be used
// inside it; a version never changes, so reading it first is the same).
// A line whose design is not the brand's is left out: it is flagged in the
// transaction.
func (s *Service) feeChecks(ctx context.Context, brandID string, in Input) (map[int]feeResult, error) {
	out := map[int]feeResult{}
	for i, li := range in.Lines {
		if li.Fee == nil || li.Flag != "" || li.DesignID == "" || li.Quantity < 1 {
			continue
		}
		v, err := s.designs.LoadVersion(ctx, brandID, li.DesignID, li.Version)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		pr, zones, rules, err := s.catalog.ProductPricing(ctx, brandID, v.Document.ProductID)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		q := catalog.Quote(pr.PriceOf(v.Document.VariantID), pr.Currency, rules, design.Usage(zones, v.Document))
		out[i] = checkFee(*li.Fee, (q.Amount-q.Base)*int64(li.Quantity), pr.Currency, pr.CurrencyDigits)
	}
	return out, nil
}

// checkFee compares charged with quoted (the whole line's fee in currency).
func checkFee(charged Money, quoted int64, currency string, digits int) feeResult {
	r := feeResult{charged: charged.Amount, quoted: quoted, currency: currency}
	switch {
	case quoted == 0:
	case !strings.EqualFold(charged.Currency, currency):
		r.issue = fmt.Sprintf("the fee was charged in %s but the product is priced in %s: not checked",
			strings.ToUpper(charged.Currency), currency)
	case charged.Amount < quoted:
		r.issue = fmt.Sprintf("fee short: the store charged %s, Luneo's quote is %s",
			money.Format(charged.Amount, digits)+" "+currency, money.Format(quoted, digits)+" "+currency)
	}
	return r
}
