package webtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
)

// Result is an answer of the JSON API.
type Result struct {
	Status  int
	Body    map[string]any
	Header  http.Header
	Cookies []*http.Cookie
}

// Password is the password of every account the helpers make.
const Password = "correct horse battery"

// API sends a JSON request (body nil for none) with extra headers and
// cookies, from our own origin, the way a program or a browser's fetch
// would.
func (e *Env) API(method, path string, body any, hdr map[string]string, cookies ...*http.Cookie) Result {
	t := e.T
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", e.URL)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := client(nil).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := Result{Status: resp.StatusCode, Body: map[string]any{}, Header: resp.Header, Cookies: resp.Cookies()}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// RegisterAndLogin signs email up through the API (owning a new brand) and
// logs it in, returning the login answer (tokens in the body and as
// cookies).
func (e *Env) RegisterAndLogin(email string) Result {
	t := e.T
	t.Helper()
	if r := e.API("POST", "/api/auth/register", map[string]any{"email": email, "password": Password, "name": "N", "brand": "B " + email}, nil); r.Status != http.StatusCreated {
		t.Fatalf("register: %d %v", r.Status, r.Body)
	}
	r := e.API("POST", "/api/auth/login", map[string]any{"email": email, "password": Password}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("login: %d %v", r.Status, r.Body)
	}
	return r
}

// Bearer is the Authorization header of a login answer's access token.
func Bearer(login Result) map[string]string {
	tok, _ := login.Body["access_token"].(string)
	return map[string]string{"Authorization": "Bearer " + tok}
}

// CookieNamed finds a cookie by name, or nil.
func CookieNamed(cookies []*http.Cookie, name string) *http.Cookie {
	for _, c := range cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Do serves one request in process, without a listener.
func Do(h http.Handler, method, target string, body io.Reader, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// DecodeProblem reads a problem+json answer, failing on anything else.
func DecodeProblem(t *testing.T, rec *httptest.ResponseRecorder) httpx.Problem {
	t.Helper()
	var p httpx.Problem
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	return p
}
