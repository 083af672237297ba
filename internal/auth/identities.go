package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
)

// ExternalIdentity is what an OpenID Connect (or GitHub) login proved.
type ExternalIdentity struct {
	Provider      string // "google", "github", or a configured OIDC provider name
	Subject       string // the provider's stable user ID
	Email         string
	EmailVerified bool
	Name          string
}

// Identity is a linked external login as the account page lists it.
type Identity struct {
	Provider  string    `json:"provider"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// LoginWithIdentity logs in with an external identity: an already linked
// identity logs its user in; otherwise a verified email that matches an
// account links to it (the provider proved the inbox); otherwise a new
// account and brand are created. MFA still applies.
func (s *Service) LoginWithIdentity(ctx context.Context, id ExternalIdentity) (LoginResult, error) {
	if err := s.limits.Allow(ctx, LoginPerIP, audit.ClientIP(ctx)); err != nil {
		return LoginResult{}, err
	}
	var userID string
	var claimed bool
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM identities WHERE provider = $1 AND subject = $2`, id.Provider, id.Subject).Scan(&userID)
	switch {
	case err == nil:
	case !errors.Is(err, sql.ErrNoRows):
		return LoginResult{}, fmt.Errorf("find identity: %w", err)
	case !id.EmailVerified || id.Email == "":
		return LoginResult{}, apperr.New(apperr.Forbidden, "%s did not confirm an email address for this account; log in with your password and link %s from your account page", id.Provider, id.Provider)
	default:
		if userID, claimed, err = s.userForNewIdentity(ctx, id); err != nil {
			return LoginResult{}, err
		}
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return LoginResult{}, err
	}
	res, err := s.afterFirstFactor(ctx, u, id.Provider)
	res.Claimed = claimed
	return res, err
}

// userForNewIdentity links id to the account with its email, or creates one.
// An account whose email nobody confirmed is claimed first (takeover.go):
// claimed reports that its earlier credentials were removed.
func (s *Service) userForNewIdentity(ctx context.Context, id ExternalIdentity) (userID string, claimed bool, err error) {
	email := normalizeEmail(id.Email)
	err = s.inTx(ctx, "link identity", func(tx *sql.Tx) error {
		u, err := userByEmail(ctx, tx, email)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			uid, _ := uuid.NewV7()
			now := s.now().UTC()
			name := id.Name
			if name == "" {
				name = email
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, email_confirmed_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $4, $4)`, uid.String(), email, name, now); err != nil {
				return err
			}
			b, err := s.createBrandWithUniqueSlug(ctx, tx, name+"'s brand")
			if err != nil {
				return err
			}
			if err := s.brands.AddMember(ctx, tx, b.ID, uid.String(), brand.Owner); err != nil {
				return err
			}
			s.record(ctx, tx, audit.Event{BrandID: b.ID, UserID: uid.String(), Event: audit.Signup, Detail: map[string]any{"via": id.Provider}})
			userID = uid.String()
		case err != nil:
			return err
		default:
			userID = u.ID
			if !u.EmailConfirmed {
				if err := s.claimUnconfirmed(ctx, tx, u, id.Provider); err != nil {
					return err
				}
				claimed = true
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $2) WHERE id = $1`, u.ID, s.now().UTC()); err != nil {
				return err
			}
		}
		return s.insertIdentity(ctx, tx, userID, id)
	})
	return userID, claimed, err
}

// LinkIdentity links an external identity to a logged-in user.
func (s *Service) LinkIdentity(ctx context.Context, userID string, id ExternalIdentity) error {
	var owner string
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM identities WHERE provider = $1 AND subject = $2`, id.Provider, id.Subject).Scan(&owner)
	if err == nil {
		if owner == userID {
			return nil
		}
		return apperr.New(apperr.Conflict, "this %s account is already linked to another Luneo account", id.Provider)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("find identity: %w", err)
	}
	return s.inTx(ctx, "link identity", func(tx *sql.Tx) error { return s.insertIdentity(ctx, tx, userID, id) })
}

func (s *Service) insertIdentity(ctx context.Context, tx *sql.Tx, userID string, id ExternalIdentity) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO identities (provider, subject, user_id, email, created_at) VALUES ($1, $2, $3, $4, $5)`,
		id.Provider, id.Subject, userID, normalizeEmail(id.Email), s.now().UTC()); err != nil {
		return fmt.Errorf("insert identity: %w", err)
	}
	s.record(ctx, tx, audit.Event{UserID: userID, Event: audit.IdentityLinked, Detail: map[string]any{"provider": id.Provider}})
	return nil
}

// Identities lists a user's linked logins.
func (s *Service) Identities(ctx context.Context, userID string) ([]Identity, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT provider, email, created_at FROM identities WHERE user_id = $1 ORDER BY provider`, userID)
	if err != nil {
		return nil, fmt.Errorf("list identities: %w", err)
	}
	defer rows.Close()
	var out []Identity
	for rows.Next() {
		var i Identity
		if err := rows.Scan(&i.Provider, &i.Email, &i.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// UnlinkIdentity removes a linked login, unless it is the only way left to
// log in (no password and no other identity).
func (s *Service) UnlinkIdentity(ctx context.Context, userID, provider string) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "unlink identity", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM identities WHERE user_id = $1`, userID).Scan(&n); err != nil {
			return err
		}
		if n <= 1 && !u.HasPassword {
			return apperr.New(apperr.Conflict, "set a password before unlinking your only login")
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM identities WHERE user_id = $1 AND provider = $2`, userID, provider)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.New(apperr.NotFound, "no %s login is linked", provider)
		}
		s.record(ctx, tx, audit.Event{UserID: userID, Event: audit.IdentityRemoved, Detail: map[string]any{"provider": provider}})
		return nil
	})
}
