package order

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
)

// brandMoves are the statuses a brand may set, from the statuses it may set
// them from. Production moves received → producing → ready; the brand ends
// an order: fulfilled (it shipped, with or without Luneo's files: a failed
// production must not block shipping) or cancelled. Fulfilled and cancelled
// are final.
var brandMoves = map[Status][]Status{
	Fulfilled: {Received, Producing, Ready},
	Cancelled: {Received, Producing, Ready},
}

// SetStatus sets an order fulfilled or cancelled (orders:write). Setting
// the status the order already has changes nothing; any other move from a
// final status, or to a status only production sets, is a conflict (409)
// saying why.
func (s *Service) SetStatus(ctx context.Context, p auth.Principal, id string, to Status) (Order, error) {
	if err := p.Require(brand.OrdersWrite); err != nil {
		return Order{}, err
	}
	from, ok := brandMoves[to]
	if !ok {
		return Order{}, apperr.New(apperr.Invalid, "status must be fulfilled or cancelled (production sets the others)")
	}
	var out Order
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, p.BrandID, id)
		if err != nil {
			return err
		}
		if o.Status == to {
			out = o
			return nil
		}
		allowed := false
		for _, st := range from {
			allowed = allowed || st == o.Status
		}
		if !allowed {
			return apperr.New(apperr.Conflict, "the order is %s: it cannot be marked %s", o.Status, to)
		}
		now := s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND brand_id = $2 AND status = $5`,
			id, p.BrandID, to, now, o.Status)
		if err != nil {
			return fmt.Errorf("set order status: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "the order changed meanwhile; reload it")
		}
		o.Status, o.UpdatedAt = to, now
		out = o
		topic := EventUpdated
		if to == Cancelled {
			topic = EventCancelled
		}
		return s.emit(ctx, tx, topic, o, nil)
	})
	return out, err
}
