package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// tokens sends GET /api/embed/token at rate per second for d, on schedule
// (each request starts at its planned time, on its own goroutine, at most
// maxInFlight at once; a request that cannot start on time because that
// many are pending counts as an error). Latency is measured from the
// planned start, so queueing in the client is not hidden.
func tokens(ctx context.Context, s *store, rate int, d time.Duration) (*recorder, error) {
	const maxInFlight = 512
	path := s.C.Base + s.tokenPath()
	// One warm-up request checks the setup before loading.
	if err := getToken(ctx, s.http, path); err != nil {
		return nil, fmt.Errorf("first token: %w", err)
	}
	rec := newRecorder()
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	n := int(d / interval)
	begin := time.Now()
	for i := range n {
		at := begin.Add(time.Duration(i) * interval)
		if wait := time.Until(at); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		select {
		case slots <- struct{}{}:
		default:
			rec.Add("token", time.Since(at), fmt.Errorf("%d requests already pending", maxInFlight))
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := getToken(ctx, s.http, path)
			rec.Add("token", time.Since(at), err)
		}()
	}
	wg.Wait()
	rec.Stop()
	return rec, nil
}

// getToken asks for a token as the loader on the store page does.
func getToken(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Origin", storeOrigin)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
