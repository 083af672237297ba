package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// verify checks a delivery's signature the way a receiver would, written
// here from the documented rule rather than with Sign.
func verify(t *testing.T, secret string, r received) {
	t.Helper()
	ts := r.header.Get("Luneo-Webhook-Timestamp")
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		t.Fatalf("timestamp header %q", ts)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(r.body)))
	want := "v1=" + hex.EncodeToString(mac.Sum(nil))
	if got := r.header.Get("Luneo-Webhook-Signature"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Fatalf("signature %q, recomputed %q", got, want)
	}
}

func TestDeliveryIsSignedAndRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		// 500, then 503, then 200.
		rcv := newReceiver(t, func(n int) (int, string) {
			switch n {
			case 1:
				return http.StatusInternalServerError, "boom"
			case 2:
				return http.StatusServiceUnavailable, "later"
			}
			return http.StatusOK, `{"received":true}`
		})
		e, secret := f.endpoint(t, rcv.URL+"/hooks", TopicOrderCreated)
		if !strings.HasPrefix(secret, "whsec_") || len(secret) != len("whsec_")+43 {
			t.Fatalf("secret %q", secret)
		}
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderCreated, map[string]any{"order": "o1", "total": 1200}); err != nil {
			t.Fatal(err)
		}
		start := f.clock.now()
		if n := f.work(t); n != 1 {
			t.Fatalf("%d jobs ran, want 1", n)
		}
		ds := f.deliveries(t, e.ID)
		if len(ds) != 1 || ds[0].Status != StatusFailed || ds[0].Attempts != 1 || ds[0].ResponseStatus != 500 ||
			ds[0].ResponseBody != "boom" || ds[0].Error != "answered 500" {
			t.Fatalf("after a 500: %+v", ds)
		}
		if ds[0].NextAttemptAt == nil || !ds[0].NextAttemptAt.Equal(start.Add(30*time.Second)) {
			t.Fatalf("next attempt %v, want 30 s after %v", ds[0].NextAttemptAt, start)
		}
		js := f.jobs(t)
		if len(js) != 1 || js[0].args.Attempt != 2 || !js[0].scheduledAt.Equal(start.Add(30*time.Second)) {
			t.Fatalf("retry job %+v", js)
		}

		f.clock.add(30 * time.Second)
		f.work(t)
		ds = f.deliveries(t, e.ID)
		if ds[0].Status != StatusFailed || ds[0].Attempts != 2 || !ds[0].NextAttemptAt.Equal(f.clock.now().Add(2*time.Minute)) {
			t.Fatalf("after a 503: %+v", ds[0])
		}
		if js := f.jobs(t); len(js) != 1 || !js[0].scheduledAt.Equal(f.clock.now().Add(2*time.Minute)) {
			t.Fatalf("second retry job %+v", js)
		}

		f.clock.add(2 * time.Minute)
		f.work(t)
		got, err := f.svc.GetDelivery(f.ctx, f.owner, ds[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusDelivered || got.Attempts != 3 || got.NextAttemptAt != nil || got.DeliveredAt == nil ||
			got.ResponseStatus != 200 || got.Error != "" || len(got.History) != 3 {
			t.Fatalf("after a 200: %+v", got)
		}
		if h := got.History; h[0].ResponseStatus != 500 || h[1].ResponseStatus != 503 || h[2].ResponseStatus != 200 ||
			h[0].ResponseBody != "boom" || h[2].Error != "" {
			t.Fatalf("history %+v", h)
		}
		if js := f.jobs(t); len(js) != 0 {
			t.Fatalf("jobs left after delivery: %+v", js)
		}

		reqs := rcv.got()
		if len(reqs) != 3 {
			t.Fatalf("%d requests", len(reqs))
		}
		for i, r := range reqs {
			verify(t, secret, r)
			h := r.header
			if h.Get("Content-Type") != "application/json" || h.Get("User-Agent") != "Luneo-Webhooks/1" ||
				h.Get("Luneo-Webhook-Id") != got.EventID {
				t.Fatalf("request %d headers %v", i, h)
			}
			if string(r.body) != string(reqs[0].body) {
				t.Fatal("retries must send the same body")
			}
		}
		// The timestamp is the attempt's: the third attempt came 150 s later.
		if ts := reqs[2].header.Get("Luneo-Webhook-Timestamp"); ts != strconv.FormatInt(start.Add(150*time.Second).Unix(), 10) {
			t.Fatalf("third timestamp %s", ts)
		}
		var ev struct {
			ID        string         `json:"id"`
			Type      string         `json:"type"`
			CreatedAt string         `json:"created_at"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(reqs[0].body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.ID != got.EventID || ev.Type != "order.created" || ev.CreatedAt != start.Format(time.RFC3339) ||
			ev.Data["order"] != "o1" || ev.Data["total"] != 1200.0 {
			t.Fatalf("event %+v", ev)
		}
		// A tampered body or another secret does not verify.
		bad := reqs[0]
		bad.body = append([]byte(nil), bad.body...)
		bad.body[len(bad.body)-2] ^= 1
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(bad.header.Get("Luneo-Webhook-Timestamp") + "." + string(bad.body)))
		if "v1="+hex.EncodeToString(mac.Sum(nil)) == bad.header.Get("Luneo-Webhook-Signature") {
			t.Fatal("a changed body kept its signature")
		}
	})
}

func TestDeliveryGivesUpAfterTheLastAttempt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		rcv := newReceiver(t, always(http.StatusInternalServerError))
		e, _ := f.endpoint(t, rcv.URL, TopicOrderReady)
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderReady, map[string]string{"order": "o"}); err != nil {
			t.Fatal(err)
		}
		for i := range MaxAttempts {
			if n := f.work(t); n != 1 {
				t.Fatalf("attempt %d: %d jobs", i+1, n)
			}
			ds := f.deliveries(t, e.ID)
			if i < len(Schedule) {
				if ds[0].Status != StatusFailed || !ds[0].NextAttemptAt.Equal(f.clock.now().Add(Schedule[i])) {
					t.Fatalf("attempt %d: %+v", i+1, ds[0])
				}
				f.clock.add(Schedule[i])
			}
		}
		ds := f.deliveries(t, e.ID)
		if ds[0].Status != StatusGaveUp || ds[0].Attempts != 7 || ds[0].NextAttemptAt != nil {
			t.Fatalf("after the last attempt: %+v", ds[0])
		}
		if js := f.jobs(t); len(js) != 0 {
			t.Fatalf("a job after giving up: %+v", js)
		}
		if n := len(rcv.got()); n != 7 {
			t.Fatalf("%d requests, want 7", n)
		}

		// A manual retry makes one more attempt; failing, it gives up again.
		if _, err := f.svc.RetryDelivery(f.ctx, f.owner, ds[0].ID); err != nil {
			t.Fatal(err)
		}
		f.work(t)
		if ds := f.deliveries(t, e.ID); ds[0].Status != StatusGaveUp || ds[0].Attempts != 8 {
			t.Fatalf("after a manual retry: %+v", ds[0])
		}
	})
}

func TestRedirectsAreNotFollowedAndExcerptsAreCapped(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		target := newReceiver(t, always(http.StatusOK))
		redirect := httptest.NewServer(http.RedirectHandler(target.URL+"/elsewhere", http.StatusFound))
		t.Cleanup(redirect.Close)
		big := newReceiver(t, func(int) (int, string) {
			return http.StatusBadRequest, strings.Repeat("é", 3000) + "\x00\xff"
		})
		er, _ := f.endpoint(t, redirect.URL, TopicOrderUpdated)
		eb, _ := f.endpoint(t, big.URL, TopicOrderUpdated)
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderUpdated, map[string]string{"status": "producing"}); err != nil {
			t.Fatal(err)
		}
		if n := f.work(t); n != 2 {
			t.Fatalf("%d jobs", n)
		}
		if n := len(target.got()); n != 0 {
			t.Fatalf("the redirect was followed (%d requests)", n)
		}
		dr := f.deliveries(t, er.ID)[0]
		if dr.Status != StatusFailed || dr.ResponseStatus != 302 || !strings.Contains(dr.Error, "redirect") ||
			!strings.Contains(dr.Error, "/elsewhere") {
			t.Fatalf("redirect delivery %+v", dr)
		}
		db := f.deliveries(t, eb.ID)[0]
		if db.Status != StatusFailed || len(db.ResponseBody) > MaxExcerpt || len(db.ResponseBody) < MaxExcerpt-2 ||
			!strings.HasPrefix(db.ResponseBody, "éé") {
			t.Fatalf("excerpt of %d bytes: %.40q", len(db.ResponseBody), db.ResponseBody)
		}
	})
}

func TestExcerptIsCleaned(t *testing.T) {
	t.Parallel()
	if got := clean([]byte("a\x00b\xffc")); got != "ab\uFFFDc" {
		t.Fatalf("%q", got)
	}
	if got := clean([]byte(strings.Repeat("x", 5000))); len(got) != MaxExcerpt {
		t.Fatalf("%d bytes", len(got))
	}
}

func TestTopicsAndDisabledEndpoints(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		rcv := newReceiver(t, always(http.StatusNoContent))
		created, _ := f.endpoint(t, rcv.URL+"/created", TopicOrderCreated)
		ready, _ := f.endpoint(t, rcv.URL+"/ready", TopicOrderReady, TopicOrderCancelled)
		off, _, err := f.svc.CreateEndpoint(f.ctx, f.owner, EndpointSpec{URL: rcv.URL + "/off", Topics: []string{TopicOrderCreated}, Enabled: new(false)})
		if err != nil {
			t.Fatal(err)
		}
		// Another brand's endpoint hears nothing of brand A.
		foreign, _, err := f.svc.CreateEndpoint(f.ctx, f.other, EndpointSpec{URL: rcv.URL + "/b", Topics: Topics})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderCreated, 1); err != nil {
			t.Fatal(err)
		}
		count := func(id string) int {
			var n int
			if err := d.QueryRow(`SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count(created.ID) != 1 || count(ready.ID) != 0 || count(off.ID) != 0 || count(foreign.ID) != 0 {
			t.Fatalf("deliveries: created %d, ready %d, disabled %d, other brand %d",
				count(created.ID), count(ready.ID), count(off.ID), count(foreign.ID))
		}
		// Disabled between the event and its attempt: nothing is sent.
		if _, err := f.svc.UpdateEndpoint(f.ctx, f.owner, created.ID, EndpointPatch{Enabled: new(false)}); err != nil {
			t.Fatal(err)
		}
		f.work(t)
		if n := len(rcv.got()); n != 0 {
			t.Fatalf("a disabled endpoint got %d requests", n)
		}
		if ds := f.deliveries(t, created.ID); ds[0].Status != StatusGaveUp || ds[0].Attempts != 0 {
			t.Fatalf("delivery of a disabled endpoint %+v", ds[0])
		}
		// An unknown topic is a programming error, not an event.
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, "order.exploded", 1); err == nil {
			t.Fatal("unknown topic emitted")
		}
	})
}

func TestEmitTxFollowsTheTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		e, _ := f.endpoint(t, "http://127.0.0.1:9/x", TopicOrderCancelled)
		tx, err := d.BeginTx(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EmitTx(f.ctx, tx, f.owner.BrandID, TopicOrderCancelled, "o1"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if ds, js := f.deliveries(t, e.ID), f.jobs(t); len(ds) != 0 || len(js) != 0 {
			t.Fatalf("after a rollback: %d deliveries, %d jobs", len(ds), len(js))
		}
		if err := d.InTx(f.ctx, func(tx *sql.Tx) error {
			return f.svc.EmitTx(f.ctx, tx, f.owner.BrandID, TopicOrderCancelled, "o1")
		}); err != nil {
			t.Fatal(err)
		}
		if ds, js := f.deliveries(t, e.ID), f.jobs(t); len(ds) != 1 || len(js) != 1 || js[0].args.DeliveryID != ds[0].ID {
			t.Fatalf("after a commit: %d deliveries, %+v jobs", len(ds), js)
		}
	})
}

func TestStaleJobsDoNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		rcv := newReceiver(t, always(http.StatusOK))
		e, _ := f.endpoint(t, rcv.URL, TopicPing)
		dl, err := f.svc.Ping(f.ctx, f.owner, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.work(t)
		// The same attempt again (a duplicate job, or a manual retry that
		// lost the race) sends nothing.
		if err := f.svc.Deliver(f.ctx, DeliverArgs{DeliveryID: dl.ID, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Deliver(f.ctx, DeliverArgs{DeliveryID: "gone", Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		if n := len(rcv.got()); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
}

func TestPurgeKeepsThirtyDays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		e, _ := f.endpoint(t, "http://127.0.0.1:9/x", TopicOrderCreated)
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderCreated, 1); err != nil {
			t.Fatal(err)
		}
		f.clock.add(29 * 24 * time.Hour)
		if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderCreated, 2); err != nil {
			t.Fatal(err)
		}
		f.clock.add(2 * 24 * time.Hour)
		n, err := f.svc.Purge(f.ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d: %v", n, err)
		}
		if ds := f.deliveries(t, e.ID); len(ds) != 1 {
			t.Fatalf("%d deliveries left", len(ds))
		}
	})
}
