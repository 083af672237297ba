package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
	"github.com/luneo/luneo/internal/shopify"
)

// TestDeliveries: about 3 KB of JSON with two line items, signed so that
// Luneo's own check accepts it, a fresh webhook id for each new one, and
// one in ten a replay of an earlier delivery, byte for byte.
func TestDeliveries(t *testing.T) {
	ds := deliveries(200, 0.1, "s3cret", shop)
	ids := map[string]bool{}
	replays := 0
	for i, d := range ds {
		id := d.header.Get(shopify.HeaderWebhookID)
		if !shopify.ValidBodyHMAC("s3cret", d.body, d.header.Get(shopify.HeaderHMAC)) {
			t.Fatalf("delivery %d: signature does not verify", i)
		}
		if d.header.Get(shopify.HeaderTopic) != "orders/create" || d.header.Get(shopify.HeaderShop) != shop {
			t.Fatalf("delivery %d: headers %v", i, d.header)
		}
		if d.replay {
			replays++
			if !ids[id] {
				t.Fatalf("delivery %d: a replay of an id never sent before", i)
			}
			continue
		}
		if ids[id] {
			t.Fatalf("delivery %d: new delivery reuses id %s", i, id)
		}
		ids[id] = true
		if n := len(d.body); n < 2500 || n > 3500 {
			t.Errorf("delivery %d: %d bytes, want about 3 KB", i, n)
		}
		var o struct {
			LineItems []json.RawMessage `json:"line_items"`
		}
		if err := json.Unmarshal(d.body, &o); err != nil || len(o.LineItems) != 2 {
			t.Fatalf("delivery %d: %d line items, %v", i, len(o.LineItems), err)
		}
	}
	if replays != 20 {
		t.Errorf("%d replays in 200, want 20", replays)
	}
	if r := deliveries(50, 0, "s", shop); r[9].replay {
		t.Error("a replay with -replay 0")
	}
}

// TestFloorHandler: the floor answers 200 to a signed body, 401 to a
// forged one.
func TestFloorHandler(t *testing.T) {
	srv := httptest.NewServer(floorHandler([]byte("s3cret")))
	defer srv.Close()
	d := deliveries(1, 0, "s3cret", shop)[0]
	if err := post(t.Context(), srv.Client(), srv.URL, d); err != nil {
		t.Fatal(err)
	}
	d.body = bytes.Replace(d.body, []byte("1001"), []byte("1002"), 1)
	if err := post(t.Context(), srv.Client(), srv.URL, d); err == nil || !strings.Contains(err.Error(), "status 401") {
		t.Fatalf("forged body: %v", err)
	}
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestRow(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(100-i) * time.Millisecond // unsorted on purpose
	}
	s := benchapi.Summarize(d, 2)
	s.PerSecond = 50
	if s.P50 != 50*time.Millisecond || s.P95 != 95*time.Millisecond || s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Fatalf("summary %+v", s)
	}
	floor := summary{P50: 25 * time.Millisecond, P99: 33 * time.Millisecond}
	want := "| x | new | 100 | 50 | 2 | 50.0 | 95.0 | 99.0 | 100.0 | 2.0 | 3.0 |\n"
	if got := row("x", "new", s, floor); got != want {
		t.Errorf("row\n got %q\nwant %q", got, want)
	}
	if got := row("x", "new", s, summary{}); !strings.HasSuffix(got, "| – | – |\n") {
		t.Errorf("row without a floor: %q", got)
	}
}
