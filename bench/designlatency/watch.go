package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// render is the part of a render the benchmark reads.
type render struct {
	ID         string     `json:"id"`
	Version    int        `json:"version"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"`
	Error      string     `json:"error"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// seen is a finished render and when this client first saw it finished.
type seen struct {
	at time.Time
	r  render
}

type renderKey struct {
	version int
	kind    string
}

// watcher follows one design's renders, through the server-sent events a
// dashboard uses or by polling the list, and remembers when each render was
// first seen finished. Recording happens in the reader, not in the waiter,
// so a render that finishes before its save's answer arrives is still timed
// from the moment it was seen.
type watcher struct {
	c        *benchapi.Client
	designID string

	mu      sync.Mutex
	done    map[renderKey]seen
	changed chan struct{} // closed and replaced whenever done grows
	ready   chan struct{} // closed at the first list received
	once    sync.Once
	err     error
}

func newWatcher(c *benchapi.Client, designID string) *watcher {
	return &watcher{c: c, designID: designID, done: map[renderKey]seen{},
		changed: make(chan struct{}), ready: make(chan struct{})}
}

// run follows the renders until ctx ends: mode "sse" reads
// GET /api/designs/{id}/renders/events (reconnecting when the server ends a
// stream), mode "poll" lists the renders every interval.
func (w *watcher) run(ctx context.Context, mode string, interval time.Duration) {
	for ctx.Err() == nil {
		var err error
		if mode == "sse" {
			err = w.stream(ctx)
		} else {
			err = w.poll(ctx, interval)
		}
		if err != nil && ctx.Err() == nil {
			w.mu.Lock()
			w.err = err
			w.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

func (w *watcher) stream(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, "GET", w.c.Base+"/api/designs/"+w.designID+"/renders/events", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+w.c.Token)
	req.Header.Set("Accept", "text/event-stream")
	// No client timeout: the stream stays open for minutes.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("render events: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("render events: status %d", resp.StatusCode)
	}
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return fmt.Errorf("render events: %w", err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			if err := w.record(time.Now(), []byte(data)); err != nil {
				return err
			}
		}
	}
}

func (w *watcher) poll(ctx context.Context, interval time.Duration) error {
	for {
		out, err := w.c.Send(ctx, "GET", "/api/designs/"+w.designID+"/renders", "", nil, nil, 200)
		at := time.Now()
		if err != nil {
			return err
		}
		b, _ := json.Marshal(out)
		if err := w.record(at, b); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}

// record notes the renders of a list (JSON {"renders": [...]}) received at.
func (w *watcher) record(at time.Time, data []byte) error {
	var list struct {
		Renders []render `json:"renders"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return fmt.Errorf("render list: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	grew := false
	for _, r := range list.Renders {
		k := renderKey{r.Version, r.Kind}
		if _, ok := w.done[k]; ok || (r.Status != "completed" && r.Status != "failed") {
			continue
		}
		w.done[k] = seen{at: at, r: r}
		grew = true
	}
	w.once.Do(func() { close(w.ready) })
	if grew {
		close(w.changed)
		w.changed = make(chan struct{})
	}
	return nil
}

// errRenderFailed is a render that ended failed: the run stops on it.
var errRenderFailed = errors.New("render failed")

// wait returns the finished render of version and kind, as first seen.
func (w *watcher) wait(ctx context.Context, version int, kind string) (seen, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		w.mu.Lock()
		s, ok := w.done[renderKey{version, kind}]
		ch, lastErr := w.changed, w.err
		w.mu.Unlock()
		if ok {
			if s.r.Status == "failed" {
				return s, fmt.Errorf("%w: %s render of version %d: %s", errRenderFailed, kind, version, s.r.Error)
			}
			return s, nil
		}
		select {
		case <-ctx.Done():
			return seen{}, fmt.Errorf("%s render of version %d not seen finished (last watch error: %v)", kind, version, lastErr)
		case <-ch:
		}
	}
}
