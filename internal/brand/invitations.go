package brand

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation asks someone (by email) to join a brand with a role.
type Invitation struct {
	ID         string     `json:"id"`
	BrandID    string     `json:"brand_id"`
	Email      string     `json:"email"`
	Role       Role       `json:"role"`
	InvitedBy  string     `json:"invited_by,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
}

// Invite records an invitation whose secret link token hashes to tokenHash
// (the caller mails the token; only its hash is stored). Only owners may
// invite owners.
func (s *Store) Invite(ctx context.Context, ex db.Querier, brandID string, actor Role, email string, role Role, invitedBy, tokenHash string) (Invitation, error) {
	if role == Owner && actor != Owner {
		return Invitation{}, apperr.New(apperr.Forbidden, "only owners can invite owners")
	}
	id, _ := uuid.NewV7()
	now := db.Time(s.now())
	inv := Invitation{ID: id.String(), BrandID: brandID, Email: strings.ToLower(email), Role: role, InvitedBy: invitedBy,
		CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	var already int
	if err := ex.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.brand_id = $1 AND u.email = $2`, brandID, inv.Email).Scan(&already); err != nil {
		return Invitation{}, fmt.Errorf("check membership: %w", err)
	}
	if already > 0 {
		return Invitation{}, apperr.New(apperr.Conflict, "%s is already a member of this brand", inv.Email)
	}
	_, err := ex.ExecContext(ctx, `INSERT INTO invitations (id, brand_id, email, role, token_hash, invited_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, inv.ID, brandID, inv.Email, string(role), tokenHash, invitedBy, inv.CreatedAt, inv.ExpiresAt)
	if err != nil {
		return Invitation{}, fmt.Errorf("create invitation: %w", err)
	}
	return inv, nil
}

// Invitations lists a brand's pending invitations, newest first.
func (s *Store) Invitations(ctx context.Context, brandID string) ([]Invitation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, brand_id, email, role, COALESCE(invited_by, ''), created_at, expires_at
		FROM invitations WHERE brand_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at DESC`, brandID, s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		var inv Invitation
		if err := rows.Scan(&inv.ID, &inv.BrandID, &inv.Email, &inv.Role, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// RevokeInvitation deletes a pending invitation of the brand.
func (s *Store) RevokeInvitation(ctx context.Context, brandID, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM invitations WHERE id = $1 AND brand_id = $2 AND accepted_at IS NULL`, id, brandID)
	if err != nil {
		return fmt.Errorf("revoke invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "invitation not found")
	}
	return nil
}

// AcceptInvitation marks the invitation with tokenHash accepted by a user
// whose address is email, and adds them to the brand. The invitation is for
// one address: a forwarded link does not let someone else in.
func (s *Store) AcceptInvitation(ctx context.Context, ex db.Querier, tokenHash, userID, email string) (Invitation, error) {
	var inv Invitation
	err := ex.QueryRowContext(ctx, `SELECT id, brand_id, email, role, created_at, expires_at FROM invitations
		WHERE token_hash = $1 AND accepted_at IS NULL`, tokenHash).Scan(&inv.ID, &inv.BrandID, &inv.Email, &inv.Role, &inv.CreatedAt, &inv.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, apperr.New(apperr.NotFound, "this invitation does not exist or was already used")
	}
	if err != nil {
		return inv, fmt.Errorf("read invitation: %w", err)
	}
	now := s.now().UTC()
	if now.After(inv.ExpiresAt) {
		return inv, apperr.New(apperr.Invalid, "this invitation has expired; ask for a new one")
	}
	if !strings.EqualFold(inv.Email, email) {
		return inv, apperr.New(apperr.Forbidden, "this invitation was sent to %s; log in with that address to accept it", inv.Email)
	}
	res, err := ex.ExecContext(ctx, `UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL`, inv.ID, now)
	if err != nil {
		return inv, fmt.Errorf("accept invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inv, apperr.New(apperr.Conflict, "this invitation was just used")
	}
	inv.AcceptedAt = &now
	return inv, s.AddMember(ctx, ex, inv.BrandID, userID, inv.Role)
}
