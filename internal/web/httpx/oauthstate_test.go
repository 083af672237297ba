package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

type flow struct {
	Shop string `json:"shop"`
}

// TestOAuthStates: a state is taken once, only by the browser that started
// it, and not after its TTL.
func TestOAuthStates(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	now := time.Now()
	store := kv.NewSQL(d.DB, func() time.Time { return now })
	kit := &Kit{Logger: slog.New(slog.DiscardHandler), SecureCookies: true}
	st := &OAuthStates{Kit: kit, KV: store, Prefix: "test:", Cookie: "luneo_flow", Path: "/flow/", TTL: time.Minute, Noun: "install"}
	ctx := context.Background()

	begin := func() (string, *http.Cookie) {
		t.Helper()
		state, rec := NewOAuthState(), httptest.NewRecorder()
		if err := st.Save(ctx, rec, state, flow{Shop: "a.example"}); err != nil {
			t.Fatal(err)
		}
		c := rec.Result().Cookies()[0]
		if c.Name != "luneo_flow" || c.Path != "/flow/" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.MaxAge != 60 {
			t.Fatalf("binding cookie: %+v", c)
		}
		return state, c
	}
	take := func(state string, c *http.Cookie) (flow, error) {
		req := httptest.NewRequest("GET", "/flow/callback", nil)
		if c != nil {
			req.AddCookie(c)
		}
		var f flow
		rec := httptest.NewRecorder()
		err := st.Take(ctx, rec, req, state, &f)
		if cl := rec.Result().Cookies(); len(cl) != 1 || cl[0].MaxAge >= 0 {
			t.Errorf("the binding cookie was not cleared: %+v", cl)
		}
		return f, err
	}

	state, c := begin()
	if f, err := take(state, c); err != nil || f.Shop != "a.example" {
		t.Fatalf("take: %+v %v", f, err)
	}
	if _, err := take(state, c); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("replayed state: %v", err)
	}
	state, _ = begin()
	other := &http.Cookie{Name: "luneo_flow", Value: NewOAuthState()}
	if _, err := take(state, other); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("another browser's cookie: %v", err)
	}
	if _, err := take(state, c); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("a state is tried once, whatever the outcome: %v", err)
	}
	state, c = begin()
	now = now.Add(2 * time.Minute)
	if _, err := take(state, c); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("expired state: %v", err)
	}
	if _, err := take("", nil); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("no state: %v", err)
	}
	if v := NewPKCEVerifier(); len(v) < 43 || len(v) > 128 {
		t.Fatalf("PKCE verifier of %d characters", len(v))
	}
}
