package order_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/order"
)

// waitFor polls cond until it holds; the deadline only stops a hung run
// (nothing asserts how long production takes).
func waitFor(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not done", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The production job end to end on the demo's sample design (an image and
// text): the order moves to ready with one ZIP holding every zone's print
// PNG and PDF under the brand's pattern and a summary listing them; the
// owner is emailed; order.ready is emitted once, with a download link,
// even when the job runs again; the
// ordered version stays locked through a new version and retention.
func TestProductionEndToEnd(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, true)
		s := e.a.Orders
		events := &recordedEvents{}
		s.SetEvents(events)
		if _, err := s.SetSettings(e.ctx, e.owner, order.Settings{FilePattern: "{order}_{line}_{sku}_{zone}_x{qty}", NotifyEmail: true}); err != nil {
			t.Fatal(err)
		}
		o, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: "E2E/1", Name: "#1001",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 2, SKU: "MUG-1"},
				{DesignID: e.design, Version: 1, Quantity: 1, SKU: "MUG-1"}}})
		if err != nil {
			t.Fatal(err)
		}
		var got order.Order
		waitFor(t, "order ready", func() (bool, error) {
			got, err = s.Get(e.ctx, e.owner, o.ID)
			if got.Production != nil && got.Production.Error != "" {
				t.Fatalf("production error: %s", got.Production.Error)
			}
			return got.Status == order.Ready, err
		})
		if got.Production == nil || !got.Production.Ready || got.Production.Download == nil || got.Production.Download.URL == "" {
			t.Fatalf("production %+v", got.Production)
		}
		if got.Lines[0].PreviewURL == "" {
			t.Errorf("line 1 has no preview URL")
		}

		// The ZIP, read from the store.
		rc, info, err := e.a.Blobs.Get(e.ctx, order.ZipKey(e.brand, o.ID), nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		if info.Size != got.Production.Size {
			t.Errorf("ZIP size %d, recorded %d", info.Size, got.Production.Size)
		}
		if h := sha256.Sum256(raw); hex.EncodeToString(h[:]) != got.Production.SHA256 {
			t.Errorf("ZIP SHA-256 differs from the recorded one")
		}
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		entries := map[string][]byte{}
		for _, f := range zr.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			entries[f.Name], _ = io.ReadAll(r)
			r.Close()
		}
		// One print zone, two lines: two PNGs and two PDFs, line 2's names
		// differing by its line number.
		want := []string{"1001_1_MUG-1_Wrap-around_print_x2.png", "1001_1_MUG-1_Wrap-around_print_x2.pdf",
			"1001_2_MUG-1_Wrap-around_print_x1.png", "1001_2_MUG-1_Wrap-around_print_x1.pdf", "summary.json", "summary.csv"}
		for _, n := range want {
			if _, ok := entries[n]; !ok {
				names := []string{}
				for k := range entries {
					names = append(names, k)
				}
				t.Fatalf("ZIP lacks %s; has %v", n, names)
			}
		}
		if len(entries) != len(want) {
			t.Errorf("ZIP has %d entries, want %d", len(entries), len(want))
		}
		var sum order.Summary
		if err := json.Unmarshal(entries["summary.json"], &sum); err != nil {
			t.Fatal(err)
		}
		if sum.Order.ID != o.ID || len(sum.Lines) != 2 || len(sum.Files) != 4 {
			t.Fatalf("summary %+v", sum)
		}
		_, zones, err := e.a.Catalog.ProductZones(e.ctx, e.brand, e.product)
		if err != nil {
			t.Fatal(err)
		}
		var zone catalog.Zone
		for _, z := range zones {
			if z.ID == e.zone {
				zone = z
			}
		}
		wantW := int(math.Round((*zone.WidthMM + 2*zone.BleedMM) / 25.4 * float64(*zone.DPI)))
		wantH := int(math.Round((*zone.HeightMM + 2*zone.BleedMM) / 25.4 * float64(*zone.DPI)))
		for _, f := range sum.Files {
			data, ok := entries[f.Name]
			if !ok {
				t.Fatalf("summary lists %s, not in the ZIP", f.Name)
			}
			if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != f.SHA256 || int64(len(data)) != f.Size {
				t.Errorf("%s: summary SHA-256/size differ from the entry", f.Name)
			}
			if f.Zone != "Wrap-around print" || f.DPI != float64(*zone.DPI) {
				t.Errorf("%s: zone %q at %v DPI", f.Name, f.Zone, f.DPI)
			}
			switch f.Format {
			case "png":
				cfg, err := png.DecodeConfig(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				if cfg.Width != wantW || cfg.Height != wantH {
					t.Errorf("%s is %d×%d px, want the zone with bleed at %d DPI: %d×%d", f.Name, cfg.Width, cfg.Height, *zone.DPI, wantW, wantH)
				}
			case "pdf":
				if !bytes.HasPrefix(data, []byte("%PDF")) {
					t.Errorf("%s starts %q", f.Name, data[:min(8, len(data))])
				}
			}
		}
		csv := string(entries["summary.csv"])
		if !strings.HasPrefix(csv, "order,line,product,variant,sku,quantity,design,version,zone,dpi,file,sha256,flag") ||
			!strings.Contains(csv, "1001_2_MUG-1_Wrap-around_print_x1.pdf") {
			t.Errorf("summary.csv:\n%s", csv)
		}

		// The owner was emailed a download link.
		var subject, body string
		if err := e.a.DB.QueryRowContext(e.ctx, `SELECT subject, body_text FROM email_outbox WHERE to_addr = 'demo@luneo.localhost'
			AND subject LIKE 'Order %'`).Scan(&subject, &body); err != nil {
			t.Fatalf("no ready email: %v", err)
		}
		if !strings.Contains(subject, "#1001") || !strings.Contains(body, "production.zip") {
			t.Errorf("email %q:\n%s", subject, body)
		}

		// order.ready once, even when the job runs again.
		waitFor(t, "order.ready", func() (bool, error) { return len(events.of(order.EventReady)) > 0, nil })
		id, err := e.a.Queue.Insert(e.ctx, order.ProduceArgs{OrderID: o.ID, BrandID: e.brand}, nil)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "second run", func() (bool, error) {
			j, err := e.a.Queue.Job(e.ctx, id)
			return err == nil && j.FinalizedAt != nil, err
		})
		if got := events.topics(); !slices.Equal(got, []string{order.EventCreated, order.EventUpdated, order.EventReady}) {
			t.Errorf("events %v, want created, updated (producing), ready once each", got)
		}
		r := events.of(order.EventReady)[0]
		if l := r.Download; l == nil || l.URL == "" || l.SHA256 != got.Production.SHA256 ||
			r.Order.Status != order.Ready || r.Order.Production == nil || len(r.Order.Lines) != 2 {
			t.Errorf("order.ready data %+v", r)
		}

		// The order's version stays: a new version leaves the order on v1,
		// and deleting the design then running retention keeps v1.
		actor := design.StaffActor(e.owner)
		cur, err := e.a.Designs.Get(e.ctx, actor, e.design, 1)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := json.Marshal(cur.Version.Document)
		doc = bytes.Replace(doc, []byte("Luneo"), []byte("Edited"), 1)
		if _, err := e.a.Designs.NewVersion(e.ctx, actor, e.design, design.Draft{ProductID: e.product, Document: doc}); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Get(e.ctx, e.owner, o.ID); again.Lines[0].Version != 1 {
			t.Errorf("the order's line moved to version %d", again.Lines[0].Version)
		}
		if err := e.a.Designs.Delete(e.ctx, actor, e.design); err != nil {
			t.Fatal(err)
		}
		e.a.Designs.SetClock(func() time.Time { return time.Now().Add(1000 * time.Hour) })
		if _, err := e.a.Designs.Purge(e.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.a.Designs.LoadVersion(e.ctx, e.brand, e.design, 1); err != nil {
			t.Errorf("retention purged the ordered version: %v", err)
		}
	})
}

// recordedEvents records the events an order service emits.
type recordedEvents struct {
	mu   sync.Mutex
	list []recordedEvent
}

type recordedEvent struct {
	topic string
	data  order.EventData
}

func (r *recordedEvents) EmitTx(_ context.Context, _ *sql.Tx, _, topic string, data any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, recordedEvent{topic, data.(order.EventData)})
	return nil
}

func (r *recordedEvents) topics() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.list {
		out = append(out, e.topic)
	}
	return out
}

func (r *recordedEvents) of(topic string) []order.EventData {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []order.EventData
	for _, e := range r.list {
		if e.topic == topic {
			out = append(out, e.data)
		}
	}
	return out
}
