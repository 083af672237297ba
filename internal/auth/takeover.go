package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/audit"
)

// Pre-account takeover: anyone can sign up with someone else's address and a
// password of their choosing, and simply never confirm it. When the owner of
// the address later proves it (an external login whose provider verified the
// email), the account becomes theirs, and nothing set up by whoever held it
// before may keep working: otherwise the squatter's password (or their MFA
// secret, their sessions, their API keys, the external login they linked)
// would open the real owner's account.
//
// Luneo's choice, documented in the README: the proven owner gets the
// account, and every credential made before the proof is removed in the same
// transaction as the link (password, MFA secret and backup codes, sessions,
// other linked logins, API keys the account created). The brands and their
// content stay: an owner who did sign up earlier and merely skipped the
// confirmation email loses only credentials, which the login page tells them
// to set again; refusing instead would lock the real owner out of their own
// address.

// claimReport says what was removed from an account when it was claimed.
type claimReport struct {
	Password   bool `json:"password"`
	MFA        bool `json:"mfa"`
	Sessions   int  `json:"sessions"`
	Identities int  `json:"identities"`
	APIKeys    int  `json:"api_keys"`
}

// claimUnconfirmed removes every credential of u, whose email was never
// confirmed, inside tx, and audits it (the API keys in their brands' logs).
func (s *Service) claimUnconfirmed(ctx context.Context, tx *sql.Tx, u User, via string) error {
	now := s.now().UTC()
	rep := claimReport{Password: u.HasPassword, MFA: u.MFAEnabled || u.mfaSecret != ""}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = NULL, mfa_enabled = FALSE, mfa_secret = NULL, updated_at = $2 WHERE id = $1`,
		u.ID, now); err != nil {
		return fmt.Errorf("remove unconfirmed credentials: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM mfa_backup_codes WHERE user_id = $1`, u.ID); err != nil {
		return fmt.Errorf("remove backup codes: %w", err)
	}
	n, err := affected(tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = $2, revoked_reason = 'unconfirmed account claimed'
		WHERE user_id = $1 AND revoked_at IS NULL`, u.ID, now))
	if err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	rep.Sessions = n
	if rep.Identities, err = affected(tx.ExecContext(ctx, `DELETE FROM identities WHERE user_id = $1`, u.ID)); err != nil {
		return fmt.Errorf("unlink logins: %w", err)
	}
	keys, err := revokeKeysCreatedBy(ctx, tx, u.ID, "", now)
	if err != nil {
		return err
	}
	rep.APIKeys = len(keys)
	for _, k := range keys {
		s.record(ctx, tx, audit.Event{BrandID: k.brandID, UserID: u.ID, Event: audit.APIKeyRevoked,
			Detail: map[string]any{"key": k.id, "reason": "unconfirmed account claimed through " + via}})
	}
	s.record(ctx, tx, audit.Event{UserID: u.ID, Event: audit.UnconfirmedClaimed, Detail: map[string]any{"via": via, "removed": rep}})
	s.logger.WarnContext(ctx, "unconfirmed account claimed: earlier credentials removed", "user", u.ID, "via", via,
		"sessions", rep.Sessions, "api_keys", rep.APIKeys, "identities", rep.Identities)
	return nil
}

// revokedKey is an API key that revokeKeysCreatedBy revoked.
type revokedKey struct{ id, brandID string }

// revokeKeysCreatedBy revokes the live API keys userID created, in brandID
// only unless it is empty, and returns them.
func revokeKeysCreatedBy(ctx context.Context, tx *sql.Tx, userID, brandID string, now time.Time) ([]revokedKey, error) {
	q := `SELECT id, brand_id FROM api_keys WHERE created_by = $1 AND revoked_at IS NULL`
	args := []any{userID}
	if brandID != "" {
		q += ` AND brand_id = $2`
		args = append(args, brandID)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	var keys []revokedKey
	for rows.Next() {
		var k revokedKey
		if err := rows.Scan(&k.id, &k.brandID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find api keys: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1`, k.id, now); err != nil {
			return nil, fmt.Errorf("revoke api key: %w", err)
		}
	}
	return keys, nil
}

// affected returns the rows a statement changed.
func affected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
