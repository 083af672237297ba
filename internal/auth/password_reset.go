package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/mail"
)

// resetTTL is how long a password reset link works.
const resetTTL = time.Hour

// RequestPasswordReset emails a reset link when the address has an account.
// It answers the same way when it does not, so it cannot be used to find
// out who is registered.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email = normalizeEmail(email)
	if err := s.limits.Allow(ctx, ResetPerIP, audit.ClientIP(ctx)); err != nil {
		return err
	}
	if err := s.limits.Allow(ctx, ResetPerAccount, email); err != nil {
		return err
	}
	u, err := userByEmail(ctx, s.db, email)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	token := newToken("")
	if err := s.kv.Set(ctx, "reset:"+hashToken(token), []byte(u.ID), resetTTL); err != nil {
		return fmt.Errorf("store reset token: %w", err)
	}
	link := s.link("/reset-password?token=" + token)
	return s.inTx(ctx, "request password reset", func(tx *sql.Tx) error {
		_, err := s.mailer.SendTx(ctx, tx, mail.Message{To: u.Email, Subject: "Reset your Luneo password",
			Text: fmt.Sprintf("Hello %s,\n\nSomeone (hopefully you) asked to reset the password of your Luneo account. Choose a new password here:\n\n%s\n\nThe link works for one hour, once. If you did not ask, ignore this email: your password has not changed.\n", u.Name, link)})
		return err
	})
}

// ResetPassword sets a new password with a reset token (single use), confirms
// the email (the link proved the inbox) and ends every session.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	if err := s.limits.Allow(ctx, ResetPerIP, audit.ClientIP(ctx)); err != nil {
		return err
	}
	key := "reset:" + hashToken(token)
	raw, err := s.kv.Get(ctx, key)
	if err != nil {
		return apperr.New(apperr.Invalid, "this reset link is invalid or has expired; ask for a new one")
	}
	u, err := s.UserByID(ctx, string(raw))
	if err != nil {
		return err
	}
	if err := s.policy.check(password, u.Email); err != nil {
		return err
	}
	if _, err := s.kv.Take(ctx, key); err != nil {
		return apperr.New(apperr.Invalid, "this reset link was already used")
	}
	if !u.EmailConfirmed {
		// The link proves the inbox of an address nobody had confirmed:
		// whatever was set up before (by whoever signed up with it) goes,
		// as when an external login proves it (takeover.go).
		if err := s.inTx(ctx, "claim account", func(tx *sql.Tx) error { return s.claimUnconfirmed(ctx, tx, u, "password reset") }); err != nil {
			return err
		}
	}
	if err := s.setPassword(ctx, u.ID, password, true); err != nil {
		return err
	}
	if _, err := s.LogoutAll(ctx, u.ID); err != nil {
		return err
	}
	s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.PasswordReset})
	return nil
}

// ChangePassword changes the password of the principal's user, who must know
// the current one; an account made through an external login that has none
// may set a first one after a recent authentication (RequireRecentAuth), as
// that hands the account to whoever does it. Other sessions are ended; the
// principal's stays.
func (s *Service) ChangePassword(ctx context.Context, p Principal, current, next string) error {
	userID, currentSession := p.UserID, p.SessionID
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if !u.HasPassword {
		if err := s.RequireRecentAuth(p); err != nil {
			return err
		}
	} else {
		ok, err := s.checkPassword(ctx, u, current)
		if err != nil {
			return err
		}
		if !ok {
			return &apperr.Error{Code: apperr.Invalid, Message: "the current password is wrong",
				Fields: map[string]string{"current_password": "is wrong"}}
		}
	}
	if err := s.policy.check(next, u.Email); err != nil {
		return err
	}
	if err := s.setPassword(ctx, userID, next, false); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = $3, revoked_reason = 'password changed'
		WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, userID, currentSession, s.now().UTC()); err != nil {
		return fmt.Errorf("end other sessions: %w", err)
	}
	s.record(ctx, nil, audit.Event{UserID: userID, Event: audit.PasswordChanged})
	return nil
}

func (s *Service) setPassword(ctx context.Context, userID, password string, confirmEmail bool) error {
	hash, err := hashPassword(password, s.cfg.cost())
	if err != nil {
		return err
	}
	now := s.now().UTC()
	q := `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`
	if confirmEmail {
		q = `UPDATE users SET password_hash = $2, updated_at = $3, email_confirmed_at = COALESCE(email_confirmed_at, $3) WHERE id = $1`
	}
	if _, err := s.db.ExecContext(ctx, q, userID, hash, now); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}
