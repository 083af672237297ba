package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// result is what one order's production measured.
type result struct {
	lines      int
	renders    time.Duration // first design saved → every print file rendered (context, not compared)
	postReady  time.Duration // POST /api/orders sent → status ready seen
	job        time.Duration // server stamps: producing → production.ready_at
	zipSize    int64
	zipFiles   int // print files, as the order reports them
	files      string
	entries    int // every entry of the ZIP (print files, summary.json, summary.csv)
	rssAtStart int64
	rssPeak    int64 // bytes; 0 when unknown
	note       string
}

// measure sets up the brand and designs, posts the order and times its
// production, and extracts the ZIP under dir (result.files).
func measure(ctx context.Context, base string, n, pid int, dir string, log io.Writer) (result, error) {
	in, err := benchapi.MakeInputs()
	if err != nil {
		return result{}, err
	}
	var tag [4]byte
	_, _ = rand.Read(tag[:])
	b, err := benchapi.NewBrand(ctx, base, "orders-"+hex.EncodeToString(tag[:]), in)
	if err != nil {
		return result{}, err
	}
	res := result{lines: n}
	t0 := time.Now()
	ids := make([]string, n)
	for i := range ids {
		out, err := b.C.Call(ctx, "POST", "/api/designs", map[string]any{"product_id": b.Product, "name": fmt.Sprintf("Gift %d", i+1),
			"document": b.Document(fmt.Sprintf("Happy birthday %d", i+1)), "produce": true}, 201)
		if err != nil {
			return result{}, fmt.Errorf("design %d: %w", i+1, err)
		}
		ids[i] = benchapi.Str(out, "design", "id")
	}
	for _, id := range ids {
		if err := waitProduced(ctx, b.C, id); err != nil {
			return result{}, err
		}
	}
	res.renders = time.Since(t0)
	fmt.Fprintf(log, "ordersload: %d designs' print files rendered in %.1f s; posting the order\n", n, res.renders.Seconds())

	k, err := b.C.Call(ctx, "POST", "/api/brand/api-keys", map[string]any{"name": "store", "scopes": []string{"orders:write", "orders:read"}}, 201)
	if err != nil {
		return result{}, fmt.Errorf("API key: %w", err)
	}
	store := benchapi.NewClient(base)
	store.Token = benchapi.Str(k, "secret")
	lines := make([]any, n)
	for i, id := range ids {
		lines[i] = map[string]any{"design_id": id, "version": 1, "quantity": 1 + i%3}
	}
	if pid > 0 {
		res.rssAtStart, err = resetPeak(pid)
		if err != nil {
			res.note = "peak RSS not reset (" + err.Error() + "): it is the process's whole life"
		}
	}
	t1 := time.Now()
	out, err := store.Call(ctx, "POST", "/api/orders", map[string]any{"external_id": "bench-" + hex.EncodeToString(tag[:]),
		"customer": "cus_bench", "lines": lines}, 201)
	if err != nil {
		return result{}, fmt.Errorf("post order: %w", err)
	}
	orderID := benchapi.Str(out, "order", "id")
	o, start, err := waitReady(ctx, store, orderID)
	if err != nil {
		return result{}, err
	}
	res.postReady = time.Since(t1)
	if pid > 0 {
		if res.rssPeak, err = procField(pid, "VmHWM"); err != nil {
			return result{}, err
		}
	}
	if !start.IsZero() && o.Production.ReadyAt != nil {
		res.job = o.Production.ReadyAt.Sub(start)
	}
	res.zipSize, res.zipFiles = o.Production.Size, o.Production.Files
	zipPath := filepath.Join(dir, "order.zip")
	if err := download(ctx, base, o.Production.Download.URL, zipPath); err != nil {
		return result{}, err
	}
	res.files = filepath.Join(dir, "files")
	if res.entries, err = extract(zipPath, res.files); err != nil {
		return result{}, err
	}
	return res, nil
}

// order is the part of GET /api/orders/{id} the benchmark reads.
type order struct {
	Status     string    `json:"status"`
	UpdatedAt  time.Time `json:"updated_at"`
	Production *struct {
		ReadyAt  *time.Time `json:"ready_at"`
		Size     int64      `json:"size"`
		Files    int        `json:"files"`
		Error    string     `json:"error"`
		Download *struct {
			URL string `json:"url"`
		} `json:"download"`
	} `json:"production"`
}

// waitReady polls the order every 10 ms until it is ready; start is its
// updated_at when first seen producing (the production job's first step
// stamps it), zero if the job was faster than the polling.
func waitReady(ctx context.Context, c *benchapi.Client, id string) (o order, start time.Time, err error) {
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := c.Call(ctx, "GET", "/api/orders/"+id, nil, 200)
		if err != nil {
			return order{}, time.Time{}, err
		}
		if err := remarshal(out["order"], &o); err != nil {
			return order{}, time.Time{}, err
		}
		if o.Production != nil && o.Production.Error != "" {
			return order{}, time.Time{}, fmt.Errorf("order %s: production stopped: %s", id, o.Production.Error)
		}
		switch o.Status {
		case "producing":
			if start.IsZero() {
				start = o.UpdatedAt
			}
		case "ready":
			if o.Production == nil || o.Production.Download == nil {
				return order{}, time.Time{}, fmt.Errorf("order %s ready without a download link: %v", id, out)
			}
			return o, start, nil
		}
		select {
		case <-ctx.Done():
			return order{}, time.Time{}, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return order{}, time.Time{}, fmt.Errorf("order %s not ready after 3 minutes (status %s)", id, o.Status)
}

// waitProduced polls a design's renders until its version 1 has its print
// files (a completed produce render).
func waitProduced(ctx context.Context, c *benchapi.Client, id string) error {
	deadline := time.Now().Add(4 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := c.Call(ctx, "GET", "/api/designs/"+id+"/renders", nil, 200)
		if err != nil {
			return err
		}
		var list struct {
			Renders []struct {
				Kind, Status, Error string
				Version             int
			} `json:"renders"`
		}
		if err := remarshal(out, &list); err != nil {
			return err
		}
		for _, r := range list.Renders {
			if r.Kind == "produce" && r.Version == 1 {
				switch r.Status {
				case "completed":
					return nil
				case "failed", "cancelled":
					return fmt.Errorf("design %s: produce render %s: %s", id, r.Status, r.Error)
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("design %s: no print files after 4 minutes", id)
}

// download saves the signed link's file (relative links are the server's).
func download(ctx context.Context, base, u, path string) error {
	if strings.HasPrefix(u, "/") {
		u = base + u
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("download ZIP: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return fmt.Errorf("download ZIP: status %d: %s", resp.StatusCode, b)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return fmt.Errorf("download ZIP: %w", err)
	}
	return f.Close()
}
