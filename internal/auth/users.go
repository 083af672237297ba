package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// User is an account.
type User struct {
	ID             string     `json:"id"`
	Email          string     `json:"email"`
	Name           string     `json:"name"`
	EmailConfirmed bool       `json:"email_confirmed"`
	MFAEnabled     bool       `json:"mfa_enabled"`
	HasPassword    bool       `json:"has_password"`
	CreatedAt      time.Time  `json:"created_at"`
	ConfirmedAt    *time.Time `json:"-"`

	passwordHash string
	mfaSecret    string
}

const userColumns = `id, email, name, COALESCE(password_hash, ''), email_confirmed_at, COALESCE(mfa_secret, ''), mfa_enabled, created_at`

func scanUser(row *sql.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.passwordHash, &u.ConfirmedAt, &u.mfaSecret, &u.MFAEnabled, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.New(apperr.NotFound, "user not found")
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	u.EmailConfirmed = u.ConfirmedAt != nil
	u.HasPassword = u.passwordHash != ""
	return u, nil
}

// UserByID returns a user.
func (s *Service) UserByID(ctx context.Context, id string) (User, error) {
	return userByID(ctx, s.db, id)
}

func userByID(ctx context.Context, q db.Querier, id string) (User, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

func userByEmail(ctx context.Context, q db.Querier, email string) (User, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, normalizeEmail(email)))
}

// normalizeEmail lowercases the whole address: mailbox names are technically
// case-sensitive, but no real provider treats them so, and users mistype case.
func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// checkEmail validates an address for sign-up and invitations.
func checkEmail(email string) error {
	a, err := mail.ParseAddress(email)
	// ASCII only: many mail relays cannot deliver internationalized addresses.
	if err != nil || a.Address != email || !isASCII(email) || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return &apperr.Error{Code: apperr.Invalid, Message: "invalid email address",
			Fields: map[string]string{"email": "must be an address like name@example.com"}}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
