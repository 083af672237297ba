package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
)

// MFAEnrollment is what the account page shows while turning MFA on.
type MFAEnrollment struct {
	Secret     string `json:"secret"` // base32, for typing into an app
	OTPAuthURL string `json:"otpauth_url"`
	QRCode     string `json:"qr_code"` // data: URL of a PNG
}

// BeginMFA creates a new TOTP secret for the principal's user, kept
// (sealed) but not active until ConfirmMFA proves the app has it. Turning
// MFA on would let a thief's app lock the owner out, so the session must
// have proved who it is recently (RequireRecentAuth), whatever the caller.
func (s *Service) BeginMFA(ctx context.Context, p Principal) (MFAEnrollment, error) {
	if err := s.RequireRecentAuth(p); err != nil {
		return MFAEnrollment{}, err
	}
	userID := p.UserID
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return MFAEnrollment{}, err
	}
	if u.MFAEnabled {
		return MFAEnrollment{}, apperr.New(apperr.Conflict, "two-factor authentication is already on")
	}
	secret := newTOTPSecret()
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET mfa_secret = $2, updated_at = $3 WHERE id = $1`,
		userID, s.sealer.Seal(secret, mfaContext(userID)), s.now().UTC()); err != nil {
		return MFAEnrollment{}, fmt.Errorf("store mfa secret: %w", err)
	}
	url := otpauthURL(s.cfg.Issuer, u.Email, secret)
	qr, err := qrDataURL(url)
	if err != nil {
		return MFAEnrollment{}, err
	}
	return MFAEnrollment{Secret: b32.EncodeToString(secret), OTPAuthURL: url, QRCode: qr}, nil
}

// ConfirmMFA turns MFA on once the user types a valid code, and returns ten
// one-time backup codes (shown once; only their hashes are kept). Like
// BeginMFA, it needs a recent proof of identity.
func (s *Service) ConfirmMFA(ctx context.Context, p Principal, code string) ([]string, error) {
	if err := s.RequireRecentAuth(p); err != nil {
		return nil, err
	}
	userID := p.UserID
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.MFAEnabled {
		return nil, apperr.New(apperr.Conflict, "two-factor authentication is already on")
	}
	if u.mfaSecret == "" {
		return nil, apperr.New(apperr.Invalid, "start the two-factor setup first")
	}
	if err := s.checkCode(ctx, u, code, false); err != nil {
		return nil, err
	}
	codes := newBackupCodes(10)
	err = s.inTx(ctx, "enable mfa", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET mfa_enabled = TRUE, updated_at = $2 WHERE id = $1`, userID, s.now().UTC()); err != nil {
			return err
		}
		if err := replaceBackupCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		s.record(ctx, tx, audit.Event{UserID: userID, Event: audit.MFAEnabled})
		return nil
	})
	return codes, err
}

// DisableMFA turns MFA off; it needs a current code (or backup code) so a
// stolen session alone cannot remove the second factor.
func (s *Service) DisableMFA(ctx context.Context, userID, code string) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if !u.MFAEnabled {
		return apperr.New(apperr.Conflict, "two-factor authentication is already off")
	}
	if err := s.checkCode(ctx, u, code, true); err != nil {
		return err
	}
	return s.inTx(ctx, "disable mfa", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET mfa_enabled = FALSE, mfa_secret = NULL, updated_at = $2 WHERE id = $1`, userID, s.now().UTC()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mfa_backup_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		s.record(ctx, tx, audit.Event{UserID: userID, Event: audit.MFADisabled})
		return nil
	})
}

// RegenerateBackupCodes replaces the backup codes (a current code is required).
func (s *Service) RegenerateBackupCodes(ctx context.Context, userID, code string) ([]string, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !u.MFAEnabled {
		return nil, apperr.New(apperr.Conflict, "turn on two-factor authentication first")
	}
	if err := s.checkCode(ctx, u, code, false); err != nil {
		return nil, err
	}
	codes := newBackupCodes(10)
	return codes, s.inTx(ctx, "regenerate backup codes", func(tx *sql.Tx) error { return replaceBackupCodes(ctx, tx, userID, codes) })
}

func replaceBackupCodes(ctx context.Context, tx *sql.Tx, userID string, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM mfa_backup_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mfa_backup_codes (user_id, code_hash) VALUES ($1, $2)`,
			userID, hashToken(normalizeBackupCode(c))); err != nil {
			return err
		}
	}
	return nil
}

var errBadCode = apperr.New(apperr.Unauthorized, "the code is wrong or was already used")

// checkCode is the one place a second-factor code is checked (the login
// step, turning MFA on or off, new backup codes, re-authentication): each
// check first counts against the account's MFAPerAccount limit, so a
// six-digit code cannot be guessed through whichever endpoint forgot to.
// backupOK also accepts an unused backup code.
func (s *Service) checkCode(ctx context.Context, u User, code string, backupOK bool) error {
	if err := s.limits.Allow(ctx, MFAPerAccount, u.ID); err != nil {
		return err
	}
	code = strings.TrimSpace(code)
	if !backupOK || len(strings.ReplaceAll(code, " ", "")) == totpDigits {
		return s.matchTOTP(ctx, u, code)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE mfa_backup_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
		u.ID, hashToken(normalizeBackupCode(code)), s.now().UTC())
	if err != nil {
		return fmt.Errorf("use backup code: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.MFAFailed})
		return errBadCode
	}
	s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.BackupCodeUsed})
	return nil
}

// matchTOTP verifies a code and remembers its time step, so a code seen once
// (over a shoulder, in a phishing proxy) cannot be replayed. It does not
// count attempts: call it only through checkCode.
func (s *Service) matchTOTP(ctx context.Context, u User, code string) error {
	secret, err := s.sealer.Open(u.mfaSecret, mfaContext(u.ID))
	if err != nil {
		return fmt.Errorf("open mfa secret: %w", err)
	}
	step := totpMatch(secret, code, s.now())
	if step < 0 {
		s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.MFAFailed})
		return errBadCode
	}
	fresh, err := s.kv.SetNX(ctx, "totp-used:"+u.ID+":"+strconv.FormatInt(step, 10), []byte("1"), 3*totpPeriod*time.Second)
	if err != nil {
		return fmt.Errorf("record totp step: %w", err)
	}
	if !fresh {
		return errBadCode
	}
	return nil
}

// mfaContext binds a sealed TOTP seed to its user: copied to another row,
// it does not open.
func mfaContext(userID string) string { return "mfa secret:" + userID }
