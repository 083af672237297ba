package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
)

// Principal is who is calling: a user in a session (acting for a brand with
// their role), or a brand API key with its scopes.
type Principal struct {
	UserID    string         `json:"user_id,omitempty"`
	SessionID string         `json:"-"`
	BrandID   string         `json:"brand_id,omitempty"`
	Role      brand.Role     `json:"role,omitempty"`
	APIKeyID  string         `json:"api_key_id,omitempty"`
	Scopes    []brand.Action `json:"scopes,omitempty"`
	// AuthAt is when the session's user last proved who they are (zero
	// when unknown, and for API keys); see RequireRecentAuth.
	AuthAt time.Time `json:"-"`
}

// Can reports whether the principal may perform action in its brand.
func (p Principal) Can(a brand.Action) bool {
	if p.APIKeyID != "" {
		return slices.Contains(p.Scopes, a)
	}
	return p.Role != "" && brand.Can(p.Role, a)
}

// Require returns an apperr.Forbidden unless the principal may do a, or an
// apperr.NotFound when it acts for no brand at all.
func (p Principal) Require(a brand.Action) error {
	if p.BrandID == "" {
		return apperr.New(apperr.NotFound, "you do not belong to a brand yet")
	}
	if !p.Can(a) {
		if p.APIKeyID != "" {
			return apperr.New(apperr.Forbidden, "this API key lacks the %s scope", a)
		}
		return apperr.New(apperr.Forbidden, "your role (%s) does not allow %s", p.Role, a)
	}
	return nil
}

// Authenticate turns a bearer credential (access token or API key) into a
// principal. Roles are read from the database on every call, so a role change
// or a removal takes effect on the next request, and a revoked session stops
// working at once even though its access token has not expired.
func (s *Service) Authenticate(ctx context.Context, bearer string) (Principal, error) {
	if strings.HasPrefix(bearer, apiKeyPrefix) {
		return s.authenticateAPIKey(ctx, bearer)
	}
	c, err := s.keys.verify(bearer, s.now())
	if err != nil {
		if errors.Is(err, ErrExpiredToken) {
			return Principal{}, apperr.Wrap(apperr.Unauthorized, err, "the access token has expired; refresh it")
		}
		return Principal{}, apperr.Wrap(apperr.Unauthorized, err, "the access token is invalid")
	}
	var revoked, authAt sql.NullTime
	var expires time.Time
	err = s.db.QueryRowContext(ctx, `SELECT revoked_at, expires_at, auth_at FROM sessions WHERE id = $1 AND user_id = $2`,
		c.SessionID, c.Subject).Scan(&revoked, &expires, &authAt)
	if errors.Is(err, sql.ErrNoRows) || revoked.Valid || s.now().After(expires) {
		return Principal{}, apperr.New(apperr.Unauthorized, "your session has ended; log in again")
	}
	if err != nil {
		return Principal{}, fmt.Errorf("check session: %w", err)
	}
	p := Principal{UserID: c.Subject, SessionID: c.SessionID, AuthAt: authAt.Time}
	if c.BrandID != "" {
		role, err := s.brands.RoleOf(ctx, c.BrandID, c.Subject)
		switch {
		case err == nil:
			p.BrandID, p.Role = c.BrandID, role
		case apperr.CodeOf(err) != apperr.NotFound:
			return Principal{}, err
		}
	}
	return p, nil
}

// TokenClaims verifies an access token's signature and times without
// touching the database (for tests and diagnostics).
func (s *Service) TokenClaims(token string) (Claims, error) { return s.keys.verify(token, s.now()) }

// audited is a helper for handlers that record events on behalf of a principal.
func (s *Service) audited(ctx context.Context, ex db.Querier, p Principal, event string, detail map[string]any) {
	s.record(ctx, ex, audit.Event{BrandID: p.BrandID, UserID: p.UserID, Event: event, Detail: detail})
}
