package order

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
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
	fees := map[string]unitFee{} // "design:version" → its fee; an order often repeats a design
	for i, li := range in.Lines {
		if li.Fee == nil || li.Flag != "" || li.DesignID == "" || li.Quantity < 1 {
			continue
		}
		key := li.DesignID + ":" + strconv.Itoa(li.Version)
		u, seen := fees[key]
		if !seen {
			var err error
			if u, err = s.unitFee(ctx, brandID, li.DesignID, li.Version); err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			fees[key] = u
		}
		if u.ok {
			out[i] = checkFee(*li.Fee, u.fee*int64(li.Quantity), u.currency, u.digits)
		}
	}
	return out, nil
}

// unitFee is a design version's personalization fee for one unit.
type unitFee struct {
	fee      int64 // in minor units of currency
	currency string
	digits   int
	ok       bool // false: not a version or product of the brand (the line is flagged)
}

// unitFee is Luneo's quote of a version minus its product's price.
func (s *Service) unitFee(ctx context.Context, brandID, designID string, version int) (unitFee, error) {
	v, err := s.designs.LoadVersion(ctx, brandID, designID, version)
	if apperr.CodeOf(err) == apperr.NotFound {
		return unitFee{}, nil
	}
	if err != nil {
		return unitFee{}, err
	}
	q, err := s.designs.Quote(ctx, brandID, v.Document.ProductID, v.Document.VariantID, v.Document)
	if apperr.CodeOf(err) == apperr.NotFound {
		return unitFee{}, nil
	}
	if err != nil {
		return unitFee{}, err
	}
	return unitFee{fee: q.Amount - q.Base, currency: q.Currency, digits: money.Digits(q.Currency), ok: true}, nil
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
