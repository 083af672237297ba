// Package shopifytest is a fake Shopify for tests (never used by the
// binary): an httptest server speaking the documented wire format of the
// parts of Shopify the app uses (the OAuth authorize redirect and access
// token exchange, the Admin GraphQL API for webhook subscriptions and shop
// data), serving any number of shops, each under its own path prefix
// (AdminBase), and recording every call for assertions. SessionToken signs
// App Bridge session tokens.
//
// It signs queries with its own code, not internal/shopify's, so a
// mistake in one does not hide in both.
package shopifytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is the fake Shopify.
type Server struct {
	*httptest.Server
	// APIKey and Secret are the app's client ID and secret it expects.
	APIKey, Secret string

	mu sync.Mutex
	// granted overrides the scopes granted (per shop); by default a shop
	// grants what was asked.
	granted map[string]string
	// primary is each shop's primary domain host (default
	// www.{store}.example).
	primary map[string]string
	codes   map[string]codeGrant // code → grant, deleted once exchanged
	tokens  map[string]string    // access token → shop
	last    map[string]string    // shop → the token issued last
	subs    map[string][]Subscription
	calls   []Call
	now     func() time.Time
	// failGraphQL makes every Admin GraphQL call answer 500; failOp only
	// the calls of that operation.
	failGraphQL bool
	failOp      string
}

type codeGrant struct{ shop, scope string }

// Subscription is a webhook subscription the fake holds.
type Subscription struct {
	ID, Topic, URI string
}

// Call is one request the fake answered.
type Call struct {
	Method, Shop, Path string
	// Version is the Admin API version of a GraphQL call.
	Version string
	// Operation is the GraphQL operation kind: "shop", "webhookSubscriptions"
	// or "webhookSubscriptionCreate".
	Operation string
	// Query is the request's query string or GraphQL query.
	Query string
}

// New starts a fake Shopify for the app apiKey/secret, closed when the
// test ends.
func New(t testing.TB, apiKey, secret string) *Server {
	s := &Server{APIKey: apiKey, Secret: secret, granted: map[string]string{}, primary: map[string]string{},
		codes: map[string]codeGrant{}, tokens: map[string]string{}, last: map[string]string{}, subs: map[string][]Subscription{}, now: time.Now}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// AdminBase is where shop's admin lives on the fake (the value of
// shopify.Config.AdminBase in tests).
func (s *Server) AdminBase(shop string) string { return s.URL + "/" + shop }

// Grant makes shop grant exactly scope (comma-separated) whatever is asked.
func (s *Server) Grant(shop, scope string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.granted[shop] = scope
}

// SetPrimaryDomain sets the host of shop's primary domain.
func (s *Server) SetPrimaryDomain(shop, host string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.primary[shop] = host
}

// SetClock replaces the clock the fake signs timestamps with.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// FailGraphQL makes the Admin GraphQL API answer 500 (or not, again).
func (s *Server) FailGraphQL(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failGraphQL = fail
}

// FailOperation makes the Admin GraphQL calls of one operation ("shop",
// "webhookSubscriptions", "webhookSubscriptionCreate") answer 500; "" for
// none.
func (s *Server) FailOperation(op string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failOp = op
}

// Subscriptions returns shop's webhook subscriptions.
func (s *Server) Subscriptions(shop string) []Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Subscription(nil), s.subs[shop]...)
}

// Calls returns every call answered so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// TokenOf returns the access token last issued for shop ("" if none).
func (s *Server) TokenOf(shop string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last[shop]
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	shop, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	rest = "/" + rest
	switch {
	case r.Method == http.MethodGet && rest == "/admin/oauth/authorize":
		s.record(Call{Method: r.Method, Shop: shop, Path: rest, Query: r.URL.RawQuery})
		s.authorize(w, r, shop)
	case r.Method == http.MethodPost && rest == "/admin/oauth/access_token":
		s.record(Call{Method: r.Method, Shop: shop, Path: rest})
		s.accessToken(w, r, shop)
	case r.Method == http.MethodPost && strings.HasPrefix(rest, "/admin/api/") && strings.HasSuffix(rest, "/graphql.json"):
		version := strings.TrimSuffix(strings.TrimPrefix(rest, "/admin/api/"), "/graphql.json")
		s.graphql(w, r, shop, rest, version)
	default:
		s.record(Call{Method: r.Method, Shop: shop, Path: rest})
		http.Error(w, `{"errors":"Not Found"}`, http.StatusNotFound)
	}
}

// authorize is the merchant's consent, granted at once: a redirect to
// redirect_uri with code, hmac, host, shop, state and timestamp.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, shop string) {
	q := r.URL.Query()
	if q.Get("client_id") != s.APIKey {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	code := random()
	s.mu.Lock()
	scope, ok := s.granted[shop]
	if !ok {
		scope = q.Get("scope")
	}
	s.codes[code] = codeGrant{shop: shop, scope: scope}
	now := s.now()
	s.mu.Unlock()
	store := strings.TrimSuffix(shop, ".myshopify.com")
	cb := url.Values{
		"code":      {code},
		"host":      {base64.RawStdEncoding.EncodeToString([]byte("admin.shopify.com/store/" + store))},
		"shop":      {shop},
		"state":     {q.Get("state")},
		"timestamp": {strconv.FormatInt(now.Unix(), 10)},
	}
	cb.Set("hmac", SignQuery(s.Secret, cb))
	redirect.RawQuery = cb.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// SignQuery is the hex HMAC-SHA256 Shopify puts in a query's hmac parameter:
// over the other parameters sorted by name, each form-encoded, k=v joined
// with &.
func SignQuery(secret string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "hmac" && k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = url.QueryEscape(k) + "=" + url.QueryEscape(q.Get(k))
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.Join(parts, "&")))
	return hex.EncodeToString(m.Sum(nil))
}

// LaunchQuery is the signed query Shopify opens the embedded app page
// with, for shop at now.
func LaunchQuery(secret, shop string, now time.Time) url.Values {
	store := strings.TrimSuffix(shop, ".myshopify.com")
	q := url.Values{
		"embedded":  {"1"},
		"host":      {base64.RawStdEncoding.EncodeToString([]byte("admin.shopify.com/store/" + store))},
		"locale":    {"en"},
		"shop":      {shop},
		"timestamp": {strconv.FormatInt(now.Unix(), 10)},
	}
	q.Set("hmac", SignQuery(secret, q))
	return q
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request, shop string) {
	var in struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Code         string `json:"code"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	if in.ClientID != s.APIKey || in.ClientSecret != s.Secret {
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	g, ok := s.codes[in.Code]
	delete(s.codes, in.Code) // single use, whatever happens
	s.mu.Unlock()
	if !ok || g.shop != shop {
		http.Error(w, `{"error":"invalid_request","error_description":"The authorization code was not found or was already used"}`, http.StatusBadRequest)
		return
	}
	token := "shpat_" + random()
	s.mu.Lock()
	s.tokens[token] = shop
	s.last[shop] = token
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"access_token": token, "scope": g.scope})
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request, shop, path, version string) {
	body, _ := io.ReadAll(r.Body)
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	_ = json.Unmarshal(body, &in)
	op := ""
	switch {
	case strings.Contains(in.Query, "webhookSubscriptionCreate"):
		op = "webhookSubscriptionCreate"
	case strings.Contains(in.Query, "webhookSubscriptions"):
		op = "webhookSubscriptions"
	case strings.Contains(in.Query, "shop"):
		op = "shop"
	}
	s.record(Call{Method: r.Method, Shop: shop, Path: path, Version: version, Operation: op, Query: in.Query})
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failGraphQL || (s.failOp != "" && s.failOp == op) {
		http.Error(w, `{"errors":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	if s.tokens[r.Header.Get("X-Shopify-Access-Token")] != shop {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
		return
	}
	var data any
	switch op {
	case "shop":
		host, ok := s.primary[shop]
		if !ok {
			host = "www." + strings.TrimSuffix(shop, ".myshopify.com") + ".example"
		}
		data = map[string]any{"shop": map[string]any{"myshopifyDomain": shop,
			"primaryDomain": map[string]any{"url": "https://" + host, "host": host}}}
	case "webhookSubscriptions":
		nodes := []map[string]any{}
		for _, sub := range s.subs[shop] {
			nodes = append(nodes, map[string]any{"id": sub.ID, "topic": sub.Topic, "uri": sub.URI})
		}
		data = map[string]any{"webhookSubscriptions": map[string]any{"nodes": nodes}}
	case "webhookSubscriptionCreate":
		topic, _ := in.Variables["topic"].(string)
		sub, _ := in.Variables["sub"].(map[string]any)
		uri, _ := sub["uri"].(string)
		errs := []map[string]any{}
		var created any
		for _, old := range s.subs[shop] {
			if old.Topic == topic && old.URI == uri {
				errs = append(errs, map[string]any{"field": []string{"webhookSubscription", "callbackUrl"},
					"message": "Address for this topic has already been taken"})
			}
		}
		if topic == "" || uri == "" {
			errs = append(errs, map[string]any{"field": []string{"webhookSubscription"}, "message": "topic and uri are required"})
		}
		if len(errs) == 0 {
			n := Subscription{ID: fmt.Sprintf("gid://shopify/WebhookSubscription/%d", len(s.subs[shop])+1), Topic: topic, URI: uri}
			s.subs[shop] = append(s.subs[shop], n)
			created = map[string]any{"id": n.ID, "topic": topic, "uri": uri}
		}
		data = map[string]any{"webhookSubscriptionCreate": map[string]any{"webhookSubscription": created, "userErrors": errs}}
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"errors":[{"message":"unknown operation"}]}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
}

func random() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
