package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// fakeLuneo answers the widget's routes the way Luneo does, checking what
// the benchmark sends: the store's Origin on the loader's calls, the bearer
// token and shopper key on the iframe's. It logs each request it accepts.
type fakeLuneo struct {
	mu  sync.Mutex
	log []string
}

func (f *fakeLuneo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	loader := r.URL.Path == "/api/embed/token" || r.URL.Path == "/api/embed/validate"
	switch {
	case loader && r.Header.Get("Origin") != storeOrigin:
		http.Error(w, "no origin", http.StatusForbidden)
		return
	case !loader && r.Header.Get("Authorization") != "Bearer tok":
		http.Error(w, "no bearer", http.StatusForbidden)
		return
	case !loader && r.URL.Path != "/api/embed/session" && r.Header.Get("X-Luneo-Shopper") != "sk_1":
		http.Error(w, "no shopper key", http.StatusForbidden)
		return
	}
	f.mu.Lock()
	f.log = append(f.log, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	status, body := 200, `{}`
	switch r.URL.Path {
	case "/api/embed/token":
		body = `{"token":"tok","nonce":"n1","expiresIn":300}`
	case "/api/embed/validate":
		if r.URL.Query().Get("nonce") != "n1" {
			status = 403
		}
	case "/api/embed/session":
		body = `{"shopper":"sk_1"}`
	case "/api/embed/assets":
		status, body = 201, `{"sha256":"abc"}`
	case "/api/embed/designs":
		status, body = 201, `{"design":{"id":"d1"}}`
	case "/api/embed/designs/d1/versions":
		status = 201
	case "/api/embed/preview":
	default:
		status = 404
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func testStore(t *testing.T, f *fakeLuneo) *store {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &store{Brand: &benchapi.Brand{C: benchapi.NewClient(srv.URL), Product: "p1", Zone: "z1"}, brandID: "b1",
		image: []byte("png"), http: srv.Client()}
}

// TestShopperCalls: a simulated shopper does the loader's handshake, then
// uploads, previews and saves as the iframe would (first a design, then
// versions of it), every request recorded without error.
func TestShopperCalls(t *testing.T) {
	f := &fakeLuneo{}
	s := testStore(t, f)
	sh := &shopper{s: s, rec: newRecorder()}
	ctx := context.Background()
	if err := sh.handshake(ctx); err != nil || sh.token != "tok" || sh.key != "sk_1" {
		t.Fatalf("handshake: %v (token %q, key %q)", err, sh.token, sh.key)
	}
	if _, err := sh.call(ctx, "upload", "POST", "/api/embed/assets", "image/png", s.image, http.StatusCreated); err != nil {
		t.Fatal(err)
	}
	if _, err := sh.call(ctx, "preview", "POST", "/api/embed/preview", "application/json", []byte(`{}`), http.StatusOK); err != nil {
		t.Fatal(err)
	}
	sh.save(ctx, "one")
	sh.save(ctx, "two")
	want := "GET /api/embed/token,POST /api/embed/validate,GET /api/embed/session,POST /api/embed/assets,POST /api/embed/preview," +
		"POST /api/embed/designs,POST /api/embed/designs/d1/versions"
	if got := strings.Join(f.log, ","); got != want {
		t.Fatalf("requests\n got %s\nwant %s", got, want)
	}
	sh.rec.Stop()
	rows := rows(sh.rec, "fake")
	for _, kind := range []string{"token", "validate", "session", "upload", "preview", "save"} {
		if !strings.Contains(rows, "| fake | "+kind+" | ") {
			t.Errorf("no %s row in\n%s", kind, rows)
		}
	}
	if strings.Contains(rows, "error") {
		t.Errorf("errors recorded:\n%s", rows)
	}
	// A refused call is an error, recorded as one.
	if _, err := sh.call(ctx, "preview", "POST", "/api/embed/nowhere", "", nil, http.StatusOK); err == nil {
		t.Fatal("a 404 was not an error")
	}
	if _, sums := sh.rec.Summaries(); sums["preview"].Errors != 1 {
		t.Errorf("preview errors %d, want 1", sums["preview"].Errors)
	}
}

// TestTokens: the token load sends its requests on schedule with the
// store's Origin, and counts each one.
func TestTokens(t *testing.T) {
	f := &fakeLuneo{}
	rec, err := tokens(context.Background(), testStore(t, f), 200, 250*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, sums := rec.Summaries(); sums["token"].Count != 50 || sums["token"].Errors != 0 {
		t.Fatalf("%d tokens, %d errors; want 50 and 0", sums["token"].Count, sums["token"].Errors)
	}
	if len(f.log) != 51 { // with the warm-up request
		t.Errorf("the server saw %d requests, want 51", len(f.log))
	}
}

func TestRecorderRows(t *testing.T) {
	r := newRecorder()
	for i := 1; i <= 100; i++ {
		r.Add("a", time.Duration(i)*time.Millisecond, nil)
	}
	r.Add("b", time.Millisecond, errors.New("boom"))
	r.Stop()
	rows := rows(r, "s")
	for _, want := range []string{"| s | a | 100 |", "| 0 | 50.0 | 99.0 | 100.0 |", "| s | b | 1 |", "first b error: boom"} {
		if !strings.Contains(rows, want) {
			t.Errorf("rows lack %q:\n%s", want, rows)
		}
	}
}
