package render

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/luneo/luneo/internal/platform/db"
)

// Watching renders live. `serve` does not see a worker's in-process events
// (they may run in another process), so the database is the feed: on
// PostgreSQL one LISTEN connection per process, woken by the pg_notify every
// status change sends on commit (store.notify); on SQLite (one process in
// dev, but a separate `worker` is allowed) watchers poll.

// notifyChannel is the PostgreSQL channel render changes are announced on;
// the payload is the design ID.
const notifyChannel = "luneo_renders"

// How often a watcher re-reads: on SQLite, which has no notifications, and
// on PostgreSQL only as a safety net should a notification be lost while
// the listener reconnects.
const (
	pollInterval     = 250 * time.Millisecond
	fallbackInterval = 5 * time.Second
)

// hub fans PostgreSQL notifications out to the watchers of each design.
type hub struct {
	db     *db.DB
	logger *slog.Logger

	mu      sync.Mutex
	waiters map[string]map[chan struct{}]struct{}
	started bool
}

func newHub(d *db.DB, logger *slog.Logger) *hub {
	return &hub{db: d, logger: logger, waiters: map[string]map[chan struct{}]struct{}{}}
}

// subscribe returns a channel that receives (without blocking the sender)
// whenever a render of designID may have changed, and its cancel function.
func (h *hub) subscribe(ctx context.Context, designID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.waiters[designID] == nil {
		h.waiters[designID] = map[chan struct{}]struct{}{}
	}
	h.waiters[designID][ch] = struct{}{}
	if !h.started && h.db.Dialect == db.Postgres {
		h.started = true
		// The listener outlives the request that started it: it serves
		// every later watcher of this process.
		go h.listen(context.WithoutCancel(ctx))
	}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.waiters[designID], ch)
		if len(h.waiters[designID]) == 0 {
			delete(h.waiters, designID)
		}
		h.mu.Unlock()
	}
}

// wake signals every watcher of designID.
func (h *hub) wake(designID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.waiters[designID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// listen holds one connection LISTENing on notifyChannel, reconnecting after
// a failure, until ctx ends.
func (h *hub) listen(ctx context.Context) {
	for ctx.Err() == nil {
		if err := h.listenOnce(ctx); err != nil && ctx.Err() == nil {
			h.logger.WarnContext(ctx, "render: listening for render changes failed; retrying", "error", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (h *hub) listenOnce(ctx context.Context) error {
	conn, err := h.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("listen: driver connection %T is not pgx", dc)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return fmt.Errorf("listen: %w", err)
			}
			h.wake(n.Payload)
		}
	})
}

// Watch calls send with the design's renders now and after every change,
// until ctx ends or send fails. The caller has checked the design belongs to
// brandID (List does).
func (s *Service) Watch(ctx context.Context, brandID, designID string, send func([]Render) error) error {
	ch, cancel := s.hub.subscribe(ctx, designID)
	defer cancel()
	last := "\x00" // no list has this signature: the first one is always sent
	every := pollInterval
	if s.db.Dialect == db.Postgres {
		every = fallbackInterval
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		rs, err := s.store.list(ctx, brandID, designID)
		if err != nil {
			return err
		}
		if sig := signature(rs); sig != last {
			last = sig
			for i := range rs {
				if err := s.sign(ctx, &rs[i]); err != nil {
					return err
				}
			}
			if err := send(rs); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ch:
		case <-tick.C:
		}
	}
}

// signature changes whenever a render list would show differently.
func signature(rs []Render) string {
	s := ""
	for _, r := range rs {
		s += fmt.Sprintf("%s/%s/%d/%d;", r.ID, r.Status, r.Progress, r.UpdatedAt.UnixNano())
	}
	return s
}
