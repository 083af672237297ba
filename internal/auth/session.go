package auth

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
)

// RefreshTTL is how long a session lives without being refreshed.
const RefreshTTL = 7 * 24 * time.Hour

// Tokens is what a successful login or refresh returns.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	// SessionID is not sent to API clients; the dashboard uses it.
	SessionID string `json:"-"`
}

// Session is one login on one device: a family of refresh tokens, each
// replacing the previous one.
type Session struct {
	ID         string    `json:"id"`
	UserAgent  string    `json:"user_agent"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current"`
}

// refreshRecord is stored under the hash of a live refresh token.
type refreshRecord struct {
	SessionID string `json:"sid"`
	UserID    string `json:"uid"`
}

// startSession opens a session for u (acting for their first brand) and
// returns its first token pair.
func (s *Service) startSession(ctx context.Context, u User, via string) (Tokens, error) {
	memberships, err := s.brands.BrandsOf(ctx, u.ID)
	if err != nil {
		return Tokens{}, err
	}
	var brandID any
	if len(memberships) > 0 {
		brandID = memberships[0].Brand.ID
	}
	id, _ := uuid.NewV7()
	now := s.now().UTC()
	_, err = s.db.ExecContext(ctx, `INSERT INTO sessions (id, user_id, brand_id, user_agent, ip, created_at, last_used_at, expires_at, auth_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $6)`, id.String(), u.ID, brandID, audit.ClientUserAgent(ctx), audit.ClientIP(ctx), now, now.Add(RefreshTTL))
	if err != nil {
		return Tokens{}, fmt.Errorf("create session: %w", err)
	}
	s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.LoginOK, Detail: map[string]any{"via": via, "session": id.String()}})
	bid, _ := brandID.(string)
	return s.issue(ctx, id.String(), u.ID, bid)
}

// issue creates a new refresh token in the session's family and an access token.
func (s *Service) issue(ctx context.Context, sessionID, userID, brandID string) (Tokens, error) {
	refresh := newToken("lrt_")
	rec, _ := json.Marshal(refreshRecord{SessionID: sessionID, UserID: userID})
	if err := s.kv.Set(ctx, "rt:"+hashToken(refresh), rec, RefreshTTL); err != nil {
		return Tokens{}, fmt.Errorf("store refresh token: %w", err)
	}
	t, err := s.accessOnly(sessionID, userID, brandID)
	t.RefreshToken = refresh
	return t, err
}

// accessOnly signs a new access token for the session.
func (s *Service) accessOnly(sessionID, userID, brandID string) (Tokens, error) {
	now := s.now()
	jti, _ := uuid.NewV7()
	access, err := s.keys.sign(Claims{Subject: userID, SessionID: sessionID, BrandID: brandID,
		IssuedAt: now.Unix(), NotBefore: now.Unix(), ExpiresAt: now.Add(AccessTTL).Unix(), ID: jti.String()})
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(AccessTTL.Seconds()), SessionID: sessionID}, nil
}

var errBadRefresh = apperr.New(apperr.Unauthorized, "the refresh token is invalid or expired; log in again")

// Refresh rotates a refresh token: the presented one is consumed (atomically,
// so two concurrent refreshes cannot both succeed) and a new pair is issued.
// Presenting an already-used token means it was stolen or replayed: the
// whole session (every token of the family) is revoked and audited.
func (s *Service) Refresh(ctx context.Context, refresh string) (Tokens, error) {
	if err := s.limits.Allow(ctx, RefreshPerIP, audit.ClientIP(ctx)); err != nil {
		return Tokens{}, err
	}
	h := hashToken(refresh)
	raw, err := s.kv.Take(ctx, "rt:"+h)
	if err != nil {
		used, uerr := s.kv.Get(ctx, "rtu:"+h)
		if uerr == nil {
			var rec refreshRecord
			_ = json.Unmarshal(used, &rec)
			if rerr := s.revokeSession(ctx, rec.UserID, rec.SessionID, "refresh token reuse"); rerr != nil {
				return Tokens{}, rerr
			}
			s.record(ctx, nil, audit.Event{UserID: rec.UserID, Event: audit.RefreshReuse, Detail: map[string]any{"session": rec.SessionID}})
			s.logger.WarnContext(ctx, "refresh token reused: session revoked", "session", rec.SessionID, "user", rec.UserID)
		}
		return Tokens{}, errBadRefresh
	}
	var rec refreshRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return Tokens{}, errBadRefresh
	}
	// Remember the used token for as long as it could have lived.
	if err := s.kv.Set(ctx, "rtu:"+h, raw, RefreshTTL); err != nil {
		return Tokens{}, fmt.Errorf("mark refresh token used: %w", err)
	}
	var brandID sql.NullString
	var revoked sql.NullTime
	var expires time.Time
	err = s.db.QueryRowContext(ctx, `SELECT brand_id, revoked_at, expires_at FROM sessions WHERE id = $1 AND user_id = $2`,
		rec.SessionID, rec.UserID).Scan(&brandID, &revoked, &expires)
	if err != nil || revoked.Valid || s.now().After(expires) {
		return Tokens{}, errBadRefresh
	}
	now := s.now().UTC()
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1`,
		rec.SessionID, now, now.Add(RefreshTTL)); err != nil {
		return Tokens{}, fmt.Errorf("touch session: %w", err)
	}
	return s.issue(ctx, rec.SessionID, rec.UserID, brandID.String)
}

// SessionForRefresh returns the session ID a live refresh token belongs to
// (for logging out with only the refresh cookie).
func (s *Service) SessionForRefresh(ctx context.Context, refresh string) (userID, sessionID string, err error) {
	raw, err := s.kv.Get(ctx, "rt:"+hashToken(refresh))
	if err != nil {
		return "", "", errBadRefresh
	}
	var rec refreshRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return "", "", errBadRefresh
	}
	return rec.UserID, rec.SessionID, nil
}

// Logout ends one session of userID.
func (s *Service) Logout(ctx context.Context, userID, sessionID string) error {
	if err := s.revokeSession(ctx, userID, sessionID, "logout"); err != nil {
		return err
	}
	s.record(ctx, nil, audit.Event{UserID: userID, Event: audit.Logout, Detail: map[string]any{"session": sessionID}})
	return nil
}

// RevokeSession ends one of the user's sessions from the sessions page.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = $3, revoked_reason = 'revoked by user'
		WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, sessionID, userID, s.now().UTC())
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "session not found")
	}
	s.record(ctx, nil, audit.Event{UserID: userID, Event: audit.SessionRevoked, Detail: map[string]any{"session": sessionID}})
	return nil
}

// LogoutAll ends every session of the user ("log out everywhere").
func (s *Service) LogoutAll(ctx context.Context, userID string) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = $2, revoked_reason = 'logout everywhere'
		WHERE user_id = $1 AND revoked_at IS NULL`, userID, s.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("log out everywhere: %w", err)
	}
	n, _ := res.RowsAffected()
	s.record(ctx, nil, audit.Event{UserID: userID, Event: audit.LogoutAll, Detail: map[string]any{"sessions": n}})
	return n, nil
}

func (s *Service) revokeSession(ctx context.Context, userID, sessionID, reason string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = $3, revoked_reason = $4
		WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, sessionID, userID, s.now().UTC(), reason)
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// Sessions lists the user's live sessions, most recently used first.
func (s *Service) Sessions(ctx context.Context, userID, currentID string) ([]Session, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_agent, ip, created_at, last_used_at, expires_at FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY last_used_at DESC`, userID, s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var se Session
		if err := rows.Scan(&se.ID, &se.UserAgent, &se.IP, &se.CreatedAt, &se.LastUsedAt, &se.ExpiresAt); err != nil {
			return nil, err
		}
		se.Current = se.ID == currentID
		out = append(out, se)
	}
	return out, rows.Err()
}

// SwitchBrand makes the session act for another brand the user belongs to
// and returns a new access token (the refresh token stays valid: later
// refreshes follow the session's brand).
func (s *Service) SwitchBrand(ctx context.Context, userID, sessionID, brandID string) (Tokens, error) {
	if _, err := s.brands.RoleOf(ctx, brandID, userID); err != nil {
		return Tokens{}, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE sessions SET brand_id = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, sessionID, userID, brandID)
	if err != nil {
		return Tokens{}, fmt.Errorf("switch brand: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Tokens{}, apperr.New(apperr.Unauthorized, "your session has ended; log in again")
	}
	return s.accessOnly(sessionID, userID, brandID)
}
