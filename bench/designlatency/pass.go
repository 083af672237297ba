package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// pass is one measured series: clients saving at once, each its share of
// saves, with or without print files.
type pass struct {
	name    string
	clients int
	saves   int
	produce bool
}

// sample is what one save measured.
type sample struct {
	post       time.Duration // the POST, sent to answered
	seen       time.Duration // sent to the compose render seen completed
	finished   time.Duration // sent to the compose render's finished_at (one clock: same machine)
	server     time.Duration // compose render created_at → finished_at
	queueWait  time.Duration // compose render created_at → started_at
	model      time.Duration // sent to the model render seen completed: GLB, USDZ and views ready
	modelSrv   time.Duration // model render created_at → finished_at
	produce    time.Duration // sent to the produce render seen completed (produce passes)
	hasProduce bool
}

// startBudget is how many render starts a client spends on one brand
// before it moves to a fresh one: below the per-brand limit of 100 starts a
// minute, so no job waits for the rate limiter's window.
const startBudget = 90

// runner holds what every pass shares.
type runner struct {
	base     string
	in       benchapi.Inputs
	run      string // random token that keeps emails and texts unique
	warmup   int
	observe  string
	interval time.Duration
}

// editor is one simulated person editing: a brand fixture and its render watcher.
type editor struct {
	r      *runner
	tag    string
	brands int
	f      *fixture
	w      *watcher
	stop   context.CancelFunc
}

// fresh sets the editor up on a new brand and waits for the first
// version's renders, so measuring starts with nothing queued.
func (e *editor) fresh(ctx context.Context) error {
	if e.stop != nil {
		e.stop()
	}
	e.brands++
	f, err := newFixture(ctx, e.r.base, fmt.Sprintf("%s-%s-b%d", e.r.run, e.tag, e.brands), e.r.in)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithCancel(ctx)
	w := newWatcher(f.C, f.designID)
	go w.run(wctx, e.r.observe, e.r.interval)
	e.f, e.w, e.stop = f, w, cancel
	if _, err := w.wait(ctx, 1, "model"); err != nil {
		return fmt.Errorf("first version: %w", err)
	}
	return nil
}

// save saves version text and measures it.
func (e *editor) save(ctx context.Context, text string, produce bool) (sample, error) {
	per := 1
	if produce {
		per = 2
	}
	if e.f.starts+per > startBudget {
		if err := e.fresh(ctx); err != nil {
			return sample{}, err
		}
	}
	e.f.starts += per
	body := map[string]any{"document": e.f.Document(text), "produce": produce}
	t0 := time.Now()
	out, err := e.f.C.Call(ctx, "POST", "/api/designs/"+e.f.designID+"/versions", body, 201)
	if err != nil {
		return sample{}, err
	}
	s := sample{post: time.Since(t0)}
	v, _ := out["version"].(map[string]any)["version"].(float64)
	c, err := e.w.wait(ctx, int(v), "compose")
	if err != nil {
		return sample{}, err
	}
	s.seen = c.at.Sub(t0)
	if c.r.FinishedAt != nil {
		s.finished = c.r.FinishedAt.Sub(t0)
		s.server = c.r.FinishedAt.Sub(c.r.CreatedAt)
	}
	if c.r.StartedAt != nil {
		s.queueWait = c.r.StartedAt.Sub(c.r.CreatedAt)
	}
	m, err := e.w.wait(ctx, int(v), "model")
	if err != nil {
		return sample{}, err
	}
	s.model = m.at.Sub(t0)
	if m.r.FinishedAt != nil {
		s.modelSrv = m.r.FinishedAt.Sub(m.r.CreatedAt)
	}
	if produce {
		p, err := e.w.wait(ctx, int(v), "produce")
		if err != nil {
			return sample{}, err
		}
		s.produce, s.hasProduce = p.at.Sub(t0), true
	}
	return s, nil
}

// measure runs p: every editor is set up and warmed first, then all start
// saving together.
func (r *runner) measure(ctx context.Context, p pass) ([]sample, error) {
	eds := make([]*editor, p.clients)
	for i := range eds {
		eds[i] = &editor{r: r, tag: fmt.Sprintf("%s-c%d", p.name, i)}
		if err := eds[i].fresh(ctx); err != nil {
			return nil, fmt.Errorf("%s: set up client %d: %w", p.name, i, err)
		}
		for j := range r.warmup {
			if _, err := eds[i].save(ctx, fmt.Sprintf("Warm-up %d %s", j, r.run), p.produce); err != nil {
				return nil, fmt.Errorf("%s: warm-up: %w", p.name, err)
			}
		}
	}
	defer func() {
		for _, e := range eds {
			e.stop()
		}
	}()
	var (
		mu       sync.Mutex
		samples  []sample
		firstErr error
		wg       sync.WaitGroup
	)
	for i, e := range eds {
		share := p.saves / p.clients
		if i < p.saves%p.clients {
			share++
		}
		wg.Go(func() {
			for j := range share {
				s, err := e.save(ctx, fmt.Sprintf("Hello %d/%d %s", i, j, r.run), p.produce)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				samples = append(samples, s)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("%s: %w", p.name, firstErr)
	}
	return samples, nil
}
