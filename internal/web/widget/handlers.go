package widget

import (
	"net/http"
	"strconv"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/httpx"
)

// loader serves the loader bundle at its stable URL.
func (s *Widget) loader(w http.ResponseWriter, r *http.Request) {
	body, ok := s.Assets.Body(LoaderAsset)
	if !ok {
		s.Kit.Error(w, r, apperr.New(apperr.NotFound, "the widget loader was not built into this binary (make web)"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", loaderCacheControl)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	// Any store may load the script; it is no document, so framing rules
	// do not matter, and cross-origin script loads need no CORS.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	_, _ = w.Write(body)
}

// refused logs why a handshake step failed and answers 403 with nothing
// the asking page could learn from.
func (s *Widget) refused(r *http.Request, step, reason string) {
	s.Kit.Logger.InfoContext(r.Context(), "embed handshake refused", "step", step, "reason", reason,
		"origin", r.Header.Get("Origin"))
}

func (s *Widget) token(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	g, reason, err := s.Embed.Issue(r.Context(), embed.Request{Brand: q.Get("brand"), Product: q.Get("product"),
		Variant: q.Get("variant"), Origin: q.Get("origin"), RequestOrigin: r.Header.Get("Origin")})
	if err != nil {
		if reason != "" {
			s.refused(r, "token", reason)
		}
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, g)
	return nil
}

// validate answers {valid:true, brand, origin} or 403 {valid:false}: the
// loader only needs a yes or no.
func (s *Widget) validate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	b, reason, err := s.Embed.Validate(r.Context(), r.URL.Query().Get("nonce"), r.Header.Get("Origin"))
	if err != nil {
		if reason == "" {
			s.Kit.Logger.ErrorContext(r.Context(), "embed validate", "error", err)
		} else {
			s.refused(r, "validate", reason)
		}
		httpx.WriteJSON(w, http.StatusForbidden, map[string]bool{"valid": false})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"valid": true, "brand": b.Brand, "origin": b.Origin})
}

// Claims authenticates a shopper route: the embed token as bearer, and,
// when the request names a brand or product, the token's own. A staff
// access token, another brand's or product's token or an expired one is
// refused (403, no detail).
func (s *Widget) Claims(r *http.Request) (embed.Claims, error) {
	c, reason, err := s.Embed.Verify(bearer(r))
	if err == nil {
		q := r.URL.Query()
		if b := q.Get("brand"); b != "" && b != c.Brand {
			reason, err = "token of another brand", embed.ErrRefused
		} else if p := q.Get("product"); p != "" && p != c.Product {
			reason, err = "token of another product", embed.ErrRefused
		}
	}
	if err != nil {
		s.refused(r, "bearer", reason)
		return embed.Claims{}, err
	}
	return c, nil
}

func (s *Widget) session(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Claims(r)
	if err != nil {
		return err
	}
	p, err := s.Embed.Product(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"brand": c.Brand, "origin": c.Origin, "session": c.SessionID, "variant": c.Variant,
		"product":   map[string]string{"id": p.ID, "name": p.Name},
		"expiresAt": time.Unix(c.ExpiresAt, 0).UTC(),
		// The iframe asks for a new token a minute before this one ends.
		"renewIn": max(c.ExpiresAt-s.Embed.Now().Unix()-60, 1),
	})
	return nil
}
