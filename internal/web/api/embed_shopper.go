package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The shopper routes of the widget handshake (docs/embed.md): called by the
// loader on a brand's store page (token, validate) and by the widget iframe
// (session). None reads a staff session or cookie: the token and validate
// routes are answered to the brands' store origins only (CORS decided per
// request), the others take the embed token as bearer and check it here.

// embedPolicies are the policies of the shopper routes: no staff
// credentials, no ambient ones either (so no CSRF check: a cookie is never
// read), readable by store origins on a brand's list.
func (s *API) embedPolicies() (token, validate, session httpx.Policy) {
	shopper := httpx.Policy{Auth: httpx.AuthPublic, CSRF: httpx.CSRFNone}
	token, validate, session = shopper, shopper, shopper
	token.CORS = &httpx.CORS{OriginsFor: s.brandOrigin, Methods: []string{"GET"}}
	validate.CORS = &httpx.CORS{OriginsFor: s.anyBrandOrigin, Methods: []string{"POST"}}
	return token, validate, session
}

// brandOrigin lets the brand named in the query read token answers from
// its own store origins.
func (s *API) brandOrigin(r *http.Request, origin string) bool {
	ok, err := s.Embed.Allowed(r.Context(), r.URL.Query().Get("brand"), origin)
	return err == nil && ok
}

// anyBrandOrigin lets a store origin on some brand's list read the
// validate answer; which brand is the nonce's business, checked by the
// handler (the nonce cannot be read without consuming it).
func (s *API) anyBrandOrigin(r *http.Request, origin string) bool {
	ok, err := s.Embed.AllowedAnywhere(r.Context(), origin)
	return err == nil && ok
}

// embedBearer returns the Authorization header's bearer token, or "".
func embedBearer(r *http.Request) string {
	scheme, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(rest)
}

// embedRefused logs why a handshake step failed and answers 403 with nothing
// the asking page could learn from.
func (s *API) embedRefused(r *http.Request, step, reason string) {
	s.Kit.Logger.InfoContext(r.Context(), "embed handshake refused", "step", step, "reason", reason,
		"origin", r.Header.Get("Origin"))
}

func (s *API) embedToken(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	g, reason, err := s.Embed.Issue(r.Context(), embed.Request{Brand: q.Get("brand"), Product: q.Get("product"),
		Variant: q.Get("variant"), Origin: q.Get("origin"), RequestOrigin: r.Header.Get("Origin")})
	if err != nil {
		if reason != "" {
			s.embedRefused(r, "token", reason)
		}
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, g)
	return nil
}

// validate answers {valid:true, brand, origin} or 403 {valid:false}: the
// loader only needs a yes or no.
func (s *API) embedValidate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	b, reason, err := s.Embed.Validate(r.Context(), r.URL.Query().Get("nonce"), r.Header.Get("Origin"))
	if err != nil {
		if reason == "" {
			s.Kit.Logger.ErrorContext(r.Context(), "embed validate", "error", err)
		} else {
			s.embedRefused(r, "validate", reason)
		}
		httpx.WriteJSON(w, http.StatusForbidden, map[string]bool{"valid": false})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"valid": true, "brand": b.Brand, "origin": b.Origin})
}

// embedClaims authenticates a shopper route: the embed token as bearer, and,
// when the request names a brand or product, the token's own ("current"
// names the token's product). A staff access token, another brand's or
// product's token or an expired one is refused (403, no detail).
func (s *API) embedClaims(r *http.Request) (embed.Claims, error) {
	c, reason, err := s.Embed.Verify(embedBearer(r))
	if err == nil {
		q := r.URL.Query()
		if b := q.Get("brand"); b != "" && b != c.Brand {
			reason, err = "token of another brand", embed.ErrRefused
		} else if p := q.Get("product"); p != "" && p != "current" && p != c.Product {
			reason, err = "token of another product", embed.ErrRefused
		}
	}
	if err != nil {
		s.embedRefused(r, "bearer", reason)
		return embed.Claims{}, err
	}
	return c, nil
}

func (s *API) embedSession(w http.ResponseWriter, r *http.Request) error {
	c, err := s.embedClaims(r)
	if err != nil {
		return err
	}
	p, err := s.Embed.Product(r.Context(), c)
	if err != nil {
		return err
	}
	// The browser's shopper: the key it kept when it is this brand's, else
	// a new one (the iframe stores it for next time).
	shopper, _, reason, err := s.Embed.Shopper(c.Brand, r.Header.Get(shopperHeader))
	if err != nil {
		return err
	}
	if reason != "" {
		s.Kit.Logger.InfoContext(r.Context(), "embed shopper key replaced", "reason", reason, "brand", c.Brand)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"brand": c.Brand, "origin": c.Origin, "session": c.SessionID, "variant": c.Variant, "shopper": shopper,
		"product":   map[string]string{"id": p.ID, "name": p.Name},
		"expiresAt": time.Unix(c.ExpiresAt, 0).UTC(),
		// The iframe asks for a new token a minute before this one ends.
		"renewIn": max(c.ExpiresAt-s.Embed.Now().Unix()-60, 1),
	})
	return nil
}
