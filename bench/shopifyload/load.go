package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// maxInFlight bounds the requests pending at once; one that cannot start
// on time because that many are pending counts as an error (the server
// is too far behind), so the client never queues out of sight.
const maxInFlight = 1024

// send posts ds to url at rate per second, each on schedule on its own
// goroutine. Latency is measured from the planned start, so queueing in
// the client is not hidden.
func send(ctx context.Context, url string, ds []delivery, rate int) (*recorder, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: maxInFlight, MaxIdleConnsPerHost: maxInFlight, IdleConnTimeout: time.Minute}}
	// The first delivery is sent alone, to check the setup (secret, route)
	// before loading; it is not measured.
	if err := post(ctx, client, url, ds[0]); err != nil {
		return nil, fmt.Errorf("first delivery: %w", err)
	}
	rec := newRecorder()
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	begin := time.Now()
	for i, d := range ds[1:] {
		at := begin.Add(time.Duration(i) * interval)
		if wait := time.Until(at); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		kind := "new"
		if d.replay {
			kind = "replay"
		}
		select {
		case slots <- struct{}{}:
		default:
			rec.Add(kind, time.Since(at), fmt.Errorf("%d requests already pending", maxInFlight))
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := post(ctx, client, url, d)
			rec.Add(kind, time.Since(at), err)
		}()
	}
	wg.Wait()
	rec.Stop()
	return rec, nil
}

// post sends one delivery; anything but 200 is an error carrying the
// answer, so a report can quote it.
func post(ctx context.Context, c *http.Client, url string, d delivery) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.body))
	if err != nil {
		return err
	}
	req.Header = d.header.Clone()
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook id %s: status %d: %.300s", d.header.Get("X-Shopify-Webhook-Id"), resp.StatusCode, b)
	}
	return nil
}
