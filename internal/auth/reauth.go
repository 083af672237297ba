package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
)

// RecentAuthWindow is how long a proof of identity (a password, a second
// factor or an external login) lets a session do the things that would hand
// the account to whoever holds it: turning MFA on (a thief's app would lock
// the owner out), setting a first password on an account that had none, and
// linking another external login. A stolen cookie or a laptop left unlocked is not enough for those.
const RecentAuthWindow = 10 * time.Minute

// RequireRecentAuth returns an apperr.ReauthRequired unless the principal's
// session proved who it is within RecentAuthWindow.
func (s *Service) RequireRecentAuth(p Principal) error {
	if p.SessionID == "" {
		return apperr.New(apperr.Forbidden, "API keys cannot use account routes; log in as a user")
	}
	if !p.AuthAt.IsZero() && s.now().Sub(p.AuthAt) <= RecentAuthWindow {
		return nil
	}
	return apperr.New(apperr.ReauthRequired, "confirm it is you first: enter your password or a code from your authenticator app "+
		"(POST /api/auth/reauth), or log in again with your linked provider; this is asked when you last did so more than %d minutes ago",
		int(RecentAuthWindow.Minutes()))
}

// Reauthenticate refreshes the session's proof of identity with the
// account's password or a second-factor code (rate limited as logins and
// codes are) and records it.
func (s *Service) Reauthenticate(ctx context.Context, p Principal, password, code string) error {
	if p.SessionID == "" {
		return apperr.New(apperr.Forbidden, "API keys cannot use account routes; log in as a user")
	}
	u, err := s.UserByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	via := ""
	switch {
	case password != "" && u.HasPassword:
		ok, err := s.checkPassword(ctx, u, password)
		if err != nil {
			return err
		}
		if !ok {
			s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.LoginFailed, Detail: map[string]any{"reauth": true}})
			return &apperr.Error{Code: apperr.Unauthorized, Message: "the password is wrong", Fields: map[string]string{"password": "is wrong"}}
		}
		via = "password"
	case strings.TrimSpace(code) != "" && u.MFAEnabled:
		if err := s.checkCode(ctx, u, code, true); err != nil {
			return err
		}
		via = "mfa"
	default:
		return apperr.New(apperr.Invalid, "%s", reauthHint(u))
	}
	return s.markAuthenticated(ctx, p.UserID, p.SessionID, via)
}

// reauthHint says which proofs the account can give.
func reauthHint(u User) string {
	switch {
	case u.HasPassword && u.MFAEnabled:
		return "enter your password or a code from your authenticator app"
	case u.HasPassword:
		return "enter your password"
	case u.MFAEnabled:
		return "enter a code from your authenticator app"
	}
	return "log in again with your linked provider"
}

// ReauthenticateWithIdentity refreshes the session's proof of identity with
// an external login, which must be one linked to the session's user.
func (s *Service) ReauthenticateWithIdentity(ctx context.Context, userID, sessionID string, id ExternalIdentity) error {
	var owner string
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM identities WHERE provider = $1 AND subject = $2`, id.Provider, id.Subject).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != userID) {
		return apperr.New(apperr.Forbidden, "this %s account is not linked to your Luneo account; use the one you linked, or your password", id.Provider)
	}
	if err != nil {
		return fmt.Errorf("find identity: %w", err)
	}
	return s.markAuthenticated(ctx, userID, sessionID, id.Provider)
}

// markAuthenticated records a fresh proof of identity on a live session.
func (s *Service) markAuthenticated(ctx context.Context, userID, sessionID, via string) error {
	n, err := affected(s.db.ExecContext(ctx, `UPDATE sessions SET auth_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
		sessionID, userID, s.now().UTC()))
	if err != nil {
		return fmt.Errorf("record re-authentication: %w", err)
	}
	if n == 0 {
		return apperr.New(apperr.Unauthorized, "your session has ended; log in again")
	}
	s.record(ctx, nil, audit.Event{UserID: userID, Event: audit.Reauthenticated, Detail: map[string]any{"via": via, "session": sessionID}})
	return nil
}
