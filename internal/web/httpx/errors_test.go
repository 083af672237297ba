package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
)

func TestErrorsNeverLeakInternals(t *testing.T) {
	t.Parallel()
	logs := &bytes.Buffer{}
	kit := &Kit{Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/x", nil)
	kit.Error(rec, req, errors.New("pq: password authentication failed for user secret-admin"))
	p := decodeProblem(t, rec)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret-admin") || p.Code != apperr.Internal {
		t.Fatalf("internal error leaked: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "secret-admin") {
		t.Fatal("internal error not logged")
	}
	rec = httptest.NewRecorder()
	kit.Error(rec, req, &apperr.Error{Code: apperr.RateLimited, Message: "slow down", RetryAfter: 1500 * time.Millisecond})
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("rate limited: %d %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	rec = httptest.NewRecorder()
	kit.Error(rec, req, &apperr.Error{Code: apperr.Invalid, Message: "bad", Fields: map[string]string{"slug": "too long"}})
	if p := decodeProblem(t, rec); rec.Code != 400 || p.Errors["slug"] != "too long" {
		t.Fatalf("field errors: %+v", p)
	}
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	var p Problem
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q; body %s", ct, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}
