package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/render"
)

// The production job: one per order, enqueued with the order. It makes
// sure every produced line's print files exist (a produce render of its
// locked version; one is enqueued when none exists), and while any is
// pending it snoozes rather than holding a worker. When all exist it
// builds the ZIP (zip.go), marks the order ready and notifies (notify.go).
// A failed render stops production with the error recorded on the order;
// RetryProduction starts it again. Every step is safe to run twice.

// Queue is the queue production jobs run in, apart from renders so that a
// ZIP being written never holds a render back; Workers is its worker
// count per process (ZIPs are streamed: little memory each).
const (
	Queue   = "orders"
	Workers = 2
)

// ProduceArgs is the production job of one order.
type ProduceArgs struct {
	OrderID string `json:"order_id"`
	BrandID string `json:"brand_id"`
}

// Kind names the job kind in the queue.
func (ProduceArgs) Kind() string { return "produce_order" }

// InsertOpts: in the orders queue; a few attempts for transient failures
// (a blob store hiccup). Snoozes while renders run do not use attempts.
func (ProduceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, Queue: Queue}
}

// ProduceWorker works ProduceArgs.
type ProduceWorker struct {
	river.WorkerDefaults[ProduceArgs]
	svc *Service
}

// Timeout bounds one attempt (streaming the ZIP included).
func (w *ProduceWorker) Timeout(*river.Job[ProduceArgs]) time.Duration { return queue.MaxJobTimeout }

// Work runs one production step; see Service.produce. The last attempt's
// failure is recorded on the order, where the brand looks (River would
// otherwise drop the job silently, the order stuck producing); the brand's
// retry starts again.
func (w *ProduceWorker) Work(ctx context.Context, job *river.Job[ProduceArgs]) error {
	return w.svc.produceAttempt(ctx, job.Args, job.Attempt, job.MaxAttempts)
}

// produceAttempt is attempt of maxAttempts of an order's production.
func (s *Service) produceAttempt(ctx context.Context, args ProduceArgs, attempt, maxAttempts int) error {
	err := s.produce(ctx, args.BrandID, args.OrderID)
	var snooze *river.JobSnoozeError
	if err == nil || attempt < maxAttempts || errors.As(err, &snooze) {
		return err
	}
	why := err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		why = fmt.Sprintf("the ZIP could not be built within %s, the most one production step may take (%v)", queue.MaxJobTimeout, err)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if rerr := s.recordError(rctx, Order{ID: args.OrderID, brandID: args.BrandID},
		fmt.Sprintf("production stopped after %d attempts: %s", attempt, why)); rerr != nil {
		s.logger.ErrorContext(ctx, "order: could not record the production failure", "order", args.OrderID, "error", rerr)
	}
	return err
}

// Register adds the production job kind and the periodic purge of old
// Idempotency-Key answers to reg.
func Register(reg *queue.Registry, s *Service) {
	queue.Register(reg, &ProduceWorker{svc: s})
	queue.Register(reg, &PurgeWorker{svc: s})
	reg.Every(time.Hour, func() river.JobArgs { return PurgeArgs{} })
}

// enqueueProduction inserts an order's production job inside tx.
func (s *Service) enqueueProduction(ctx context.Context, tx *sql.Tx, brandID, orderID string) error {
	if s.queue == nil {
		return errors.New("order: no queue to enqueue production on (SetQueue)")
	}
	if _, err := s.queue.InsertTx(ctx, tx, ProduceArgs{OrderID: orderID, BrandID: brandID}, nil); err != nil {
		return fmt.Errorf("enqueue order production: %w", err)
	}
	return nil
}

// printFile is one print file of an order line, found in a produce render.
type printFile struct {
	line Line
	file render.File
}

// produce is one run of an order's production job.
func (s *Service) produce(ctx context.Context, brandID, orderID string) error {
	o, err := loadOrder(ctx, s.db, brandID, orderID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil // forgotten (shop/redact) since
	}
	if err != nil {
		return err
	}
	switch o.Status {
	case Ready, Fulfilled, Cancelled:
		return nil
	}
	if err := s.startProduction(ctx, o); err != nil {
		return err
	}
	files, pending, failure, err := s.collect(ctx, o)
	if err != nil {
		return err
	}
	if failure != "" {
		return s.recordError(ctx, o, failure)
	}
	if pending {
		return river.JobSnooze(s.cfg.Snooze)
	}
	z, err := s.writeZip(ctx, o, files)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code != apperr.Internal {
			return s.recordError(ctx, o, ae.Message) // over budget: retrying cannot help
		}
		return err
	}
	return s.markReady(ctx, o, z)
}

// startProduction moves a received order to producing and makes sure it
// has a production record.
func (s *Service) startProduction(ctx context.Context, o Order) error {
	now := s.stamp()
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE orders SET status = 'producing', updated_at = $3
			WHERE id = $1 AND brand_id = $2 AND status = 'received'`, o.ID, o.brandID, now)
		if err != nil {
			return fmt.Errorf("start production: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_production (order_id, brand_id, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (order_id) DO NOTHING`, o.ID, o.brandID, now); err != nil {
			return fmt.Errorf("start production: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // a later run of the job: announced already
		}
		o.Status, o.UpdatedAt = Producing, now
		return s.emit(ctx, tx, EventUpdated, o, nil)
	})
}

// collect finds the print files of every produced line. A version with no
// produce render gets one (with its compose render, as a save with
// produce would). pending says some render is still queued or running;
// failure, when set, is why production cannot finish.
func (s *Service) collect(ctx context.Context, o Order) (files []printFile, pending bool, failure string, err error) {
	byDesign := map[string][]render.Render{}
	for _, l := range o.Lines {
		if l.Flag != "" || l.DesignID == "" {
			continue
		}
		rs, ok := byDesign[l.DesignID]
		if !ok {
			if rs, err = s.renders.List(ctx, o.brandID, l.DesignID); err != nil {
				return nil, false, "", err
			}
			byDesign[l.DesignID] = rs
		}
		done, waiting, failed := produceState(rs, l.Version)
		switch {
		case done != nil:
			for _, f := range done.Files {
				if f.Role == render.RolePrintPNG || f.Role == render.RolePrintPDF {
					files = append(files, printFile{line: l, file: f})
				}
			}
		case waiting:
			pending = true
		case failed != nil:
			return nil, false, fmt.Sprintf("line %d: the print files of design %s version %d failed: %s",
				l.No, l.DesignID, l.Version, failed.Error), nil
		default:
			if err := s.enqueueProduce(ctx, o.brandID, l); err != nil {
				return nil, false, "", err
			}
			byDesign[l.DesignID] = append(rs, render.Render{Kind: render.Produce, Version: l.Version, Status: render.Queued})
			pending = true
		}
	}
	return files, pending, "", nil
}

// produceState reads the produce renders of one version: the newest
// completed one, else whether one is pending, else the newest failed one.
// Renders are listed newest first.
func produceState(rs []render.Render, version int) (done *render.Render, pending bool, failed *render.Render) {
	for i := range rs {
		r := &rs[i]
		if r.Kind != render.Produce || r.Version != version {
			continue
		}
		switch {
		case r.Status == render.Completed:
			return r, false, nil
		case !r.Status.Done():
			pending = true
		case failed == nil:
			failed = r
		}
	}
	if pending {
		return nil, true, nil
	}
	return nil, false, failed
}

// enqueueProduce enqueues the produce render of a line's locked version.
// Versions of deleted designs are still read: an order's lock keeps them.
func (s *Service) enqueueProduce(ctx context.Context, brandID string, l Line) error {
	v, err := s.designs.LoadVersion(ctx, brandID, l.DesignID, l.Version)
	if err != nil {
		return fmt.Errorf("line %d: %w", l.No, err)
	}
	t := render.Target{BrandID: brandID, DesignID: l.DesignID, ProductID: v.Document.ProductID, Version: l.Version, SHA256: v.SHA256}
	return s.db.InTx(ctx, func(tx *sql.Tx) error { return s.renders.Enqueue(ctx, tx, t, true) })
}

// recordError records why production stopped; the order stays producing
// and the job ends (retrying would fail the same way): RetryProduction
// starts it again.
func (s *Service) recordError(ctx context.Context, o Order, msg string) error {
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	s.logger.WarnContext(ctx, "order production failed", "order", o.ID, "error", msg)
	if _, err := s.db.ExecContext(ctx, `UPDATE order_production SET error = $3, updated_at = $4 WHERE order_id = $1 AND brand_id = $2`,
		o.ID, o.brandID, msg, s.stamp()); err != nil {
		return fmt.Errorf("record production error: %w", err)
	}
	return nil
}

// RetryProduction starts a stopped production again (orders:write): the
// failed renders of its lines are enqueued again, the error is cleared and
// the production job is enqueued, all in one transaction. Only an order
// received or producing can be retried.
func (s *Service) RetryProduction(ctx context.Context, p auth.Principal, id string) (Order, error) {
	if err := p.Require(brand.OrdersWrite); err != nil {
		return Order{}, err
	}
	o, err := loadOrder(ctx, s.db, p.BrandID, id)
	if err != nil {
		return Order{}, err
	}
	if o.Status != Received && o.Status != Producing {
		return Order{}, apperr.New(apperr.Conflict, "the order is %s: there is no production to retry", o.Status)
	}
	// The lines whose newest produce render failed get a new one.
	var targets []render.Target
	seen := map[string]bool{}
	for _, l := range o.Lines {
		k := fmt.Sprintf("%s:%d", l.DesignID, l.Version)
		if l.Flag != "" || l.DesignID == "" || seen[k] {
			continue
		}
		seen[k] = true
		rs, err := s.renders.List(ctx, p.BrandID, l.DesignID)
		if err != nil {
			return Order{}, err
		}
		if done, pending, failed := produceState(rs, l.Version); done == nil && !pending && failed != nil {
			v, err := s.designs.LoadVersion(ctx, p.BrandID, l.DesignID, l.Version)
			if err != nil {
				return Order{}, err
			}
			targets = append(targets, render.Target{BrandID: p.BrandID, DesignID: l.DesignID, ProductID: v.Document.ProductID,
				Version: l.Version, SHA256: v.SHA256})
		}
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		for _, t := range targets {
			if err := s.renders.Enqueue(ctx, tx, t, true); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE order_production SET error = '', updated_at = $3 WHERE order_id = $1 AND brand_id = $2`,
			o.ID, p.BrandID, s.stamp()); err != nil {
			return fmt.Errorf("retry production: %w", err)
		}
		return s.enqueueProduction(ctx, tx, p.BrandID, o.ID)
	})
	if err != nil {
		return Order{}, err
	}
	return s.Get(ctx, p, id)
}
