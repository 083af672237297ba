// Package audit records security events (signups, logins, MFA and role
// changes, API keys, refresh-token reuse) in the audit_events table: a
// brand's owners read the events of their brand, and everyone reads the
// events of their own account. Recording happens in the caller's transaction
// when there is one, so an event exists exactly when the change it describes.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/platform/db"
)

// Event names used across Luneo.
const (
	Signup          = "signup"
	EmailConfirmed  = "email_confirmed"
	LoginOK         = "login_ok"
	LoginFailed     = "login_failed"
	Logout          = "logout"
	LogoutAll       = "logout_all"
	SessionRevoked  = "session_revoked"
	RefreshReuse    = "refresh_token_reuse"
	PasswordChanged = "password_changed"
	PasswordReset   = "password_reset"
	MFAEnabled      = "mfa_enabled"
	MFADisabled     = "mfa_disabled"
	MFAFailed       = "mfa_failed"
	BackupCodeUsed  = "mfa_backup_code_used"
	IdentityLinked  = "identity_linked"
	IdentityRemoved = "identity_unlinked"
	MemberInvited   = "member_invited"
	MemberJoined    = "member_joined"
	RoleChanged     = "role_changed"
	MemberRemoved   = "member_removed"
	APIKeyCreated   = "api_key_created"
	APIKeyRevoked   = "api_key_revoked"
	BrandUpdated    = "brand_updated"
	// UnconfirmedClaimed: the proven owner of an address logged in to an
	// account nobody had confirmed; its earlier credentials were removed.
	UnconfirmedClaimed = "unconfirmed_account_claimed"
	// Reauthenticated: a session proved its user again (password, code or
	// external login) before a sensitive change.
	Reauthenticated = "reauthenticated"
)

type ctxKey struct{}

type client struct{ ip, userAgent string }

// WithClient records who is calling (IP and user agent) for events recorded
// under ctx; the HTTP layer sets it once per request.
func WithClient(ctx context.Context, ip, userAgent string) context.Context {
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	return context.WithValue(ctx, ctxKey{}, client{ip, userAgent})
}

// Event is one thing that happened.
type Event struct {
	BrandID string // empty for account-level events
	UserID  string // empty when unknown (failed login for an unknown email)
	Event   string
	Detail  map[string]any
}

// Entry is a recorded event.
type Entry struct {
	ID        string         `json:"id"`
	BrandID   string         `json:"brand_id,omitempty"`
	UserID    string         `json:"user_id,omitempty"`
	Event     string         `json:"event"`
	IP        string         `json:"ip"`
	UserAgent string         `json:"user_agent"`
	Detail    map[string]any `json:"detail"`
	CreatedAt time.Time      `json:"created_at"`
}

// Log writes and reads audit events.
type Log struct {
	db  *db.DB
	now func() time.Time
}

// New returns a Log over d.
func New(d *db.DB) *Log { return &Log{db: d, now: time.Now} }

// Record writes e through ex (pass the transaction of the change, or nil to
// write directly).
func (l *Log) Record(ctx context.Context, ex db.Querier, e Event) error {
	if ex == nil {
		ex = l.db
	}
	c, _ := ctx.Value(ctxKey{}).(client)
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	id, _ := uuid.NewV7()
	_, err = ex.ExecContext(ctx, `INSERT INTO audit_events (id, brand_id, user_id, event, ip, user_agent, detail, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id.String(), nullable(e.BrandID), nullable(e.UserID), e.Event, c.ip, c.userAgent, string(detail), l.now().UTC())
	if err != nil {
		return fmt.Errorf("record audit event %s: %w", e.Event, err)
	}
	return nil
}

// ForBrand lists, newest first, the events recorded for the brand. Its
// members' own account events (logins, MFA, password changes) are not
// brand events: they belong to the person, who sees them on their account
// page (ForUser), and a brand they joined yesterday has no business reading
// the security history of their whole account.
func (l *Log) ForBrand(ctx context.Context, brandID string, limit int, before time.Time) ([]Entry, error) {
	return l.list(ctx, `brand_id = $1`, brandID, limit, before)
}

// ForUser lists, newest first, the account events of a user that belong to
// no brand: logins, sessions, passwords, MFA and linked logins.
func (l *Log) ForUser(ctx context.Context, userID string, limit int, before time.Time) ([]Entry, error) {
	return l.list(ctx, `user_id = $1 AND brand_id IS NULL`, userID, limit, before)
}

// list runs the one audit query with its filter on $1.
func (l *Log) list(ctx context.Context, filter, id string, limit int, before time.Time) ([]Entry, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before.IsZero() {
		before = l.now().Add(time.Hour)
	}
	rows, err := l.db.QueryContext(ctx, `SELECT id, COALESCE(brand_id, ''), COALESCE(user_id, ''), event, ip, user_agent, detail, created_at
		FROM audit_events WHERE created_at < $3 AND `+filter+` ORDER BY created_at DESC LIMIT $2`, id, limit, before.UTC())
	if err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var detail string
		if err := rows.Scan(&e.ID, &e.BrandID, &e.UserID, &e.Event, &e.IP, &e.UserAgent, &detail, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan audit event: %w", err)
		}
		_ = json.Unmarshal([]byte(detail), &e.Detail)
		out = append(out, e)
	}
	return out, rows.Err()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ClientIP returns the caller's IP recorded by WithClient ("" when unknown).
func ClientIP(ctx context.Context) string {
	c, _ := ctx.Value(ctxKey{}).(client)
	return c.ip
}

// ClientUserAgent returns the caller's user agent recorded by WithClient.
func ClientUserAgent(ctx context.Context) string {
	c, _ := ctx.Value(ctxKey{}).(client)
	return c.userAgent
}
