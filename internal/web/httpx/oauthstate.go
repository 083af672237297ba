package httpx

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/kv"
)

// OAuthStates keeps the single-use state of a browser-redirect flow (an
// external login now, an app install next) between its start and its
// callback: a random state naming a record in the kv store, and a cookie
// binding that state to the browser that started it. Without the cookie,
// anyone could start a flow, send the provider's URL to a victim, and have
// the victim's provider account linked to the attacker's account (or log the
// victim into the attacker's). The cookie is SameSite=Lax so it comes back
// on the provider's cross-site redirect.
type OAuthStates struct {
	Kit *Kit
	KV  kv.Store
	// Prefix names the flow's kv keys ("oidc:").
	Prefix string
	// Cookie and Path are the binding cookie's name and path (the
	// callback's path prefix, so no other request carries it).
	Cookie, Path string
	// TTL is how long a user may spend at the provider.
	TTL time.Duration
	// Noun names the flow in messages ("login").
	Noun string
}

// NewOAuthState returns a fresh state: 130 random bits.
func NewOAuthState() string { return rand.Text() }

// NewPKCEVerifier returns a PKCE code verifier (RFC 7636 requires 43 to 128
// characters, which oauth2's generator gives).
func NewPKCEVerifier() string { return oauth2.GenerateVerifier() }

// Save stores payload under state for TTL and binds it to this browser.
// Call it only once the provider's URL is known, so a provider that cannot
// be reached leaves nothing behind.
func (s *OAuthStates) Save(ctx context.Context, w http.ResponseWriter, state string, payload any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s state: %w", s.Noun, err)
	}
	stored, err := s.KV.SetNX(ctx, s.Prefix+state, raw, s.TTL)
	if err != nil {
		return fmt.Errorf("store %s state: %w", s.Noun, err)
	}
	if !stored {
		return fmt.Errorf("store %s state: random state collided", s.Noun)
	}
	s.Kit.SetCookie(w, s.Cookie, state, s.Path, s.TTL)
	return nil
}

// Take consumes the state into payload and clears the binding cookie. The
// state is taken before anything else is checked, so each state can be
// tried exactly once, whatever the outcome; it must then match the cookie
// of this browser.
func (s *OAuthStates) Take(ctx context.Context, w http.ResponseWriter, r *http.Request, state string, payload any) error {
	s.Kit.ClearCookie(w, s.Cookie, s.Path)
	expired := apperr.New(apperr.Unauthorized, "this %s has expired or was already used; start again", s.Noun)
	if state == "" {
		return expired
	}
	raw, err := s.KV.Take(ctx, s.Prefix+state)
	switch {
	case errors.Is(err, kv.ErrNotFound), errors.Is(err, kv.ErrInvalidKey):
		return expired
	case err != nil:
		return fmt.Errorf("take %s state: %w", s.Noun, err)
	}
	c, err := r.Cookie(s.Cookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		return apperr.New(apperr.Forbidden, "this %s was started in another browser or tab; start it again here", s.Noun)
	}
	if err := json.Unmarshal(raw, payload); err != nil {
		return fmt.Errorf("decode %s state: %w", s.Noun, err)
	}
	return nil
}
