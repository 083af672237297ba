package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
)

// Invite sends an invitation to join the principal's brand with role.
func (s *Service) Invite(ctx context.Context, p Principal, email, role string) (brand.Invitation, error) {
	if err := p.Require(brand.TeamManage); err != nil {
		return brand.Invitation{}, err
	}
	if err := s.limits.Allow(ctx, InvitePerBrand, p.BrandID); err != nil {
		return brand.Invitation{}, err
	}
	email = normalizeEmail(email)
	if err := checkEmail(email); err != nil {
		return brand.Invitation{}, err
	}
	r, ok := brand.ParseRole(role)
	if !ok {
		return brand.Invitation{}, &apperr.Error{Code: apperr.Invalid, Message: "invalid role",
			Fields: map[string]string{"role": "must be owner, admin, editor or viewer"}}
	}
	b, err := s.brands.ByID(ctx, p.BrandID)
	if err != nil {
		return brand.Invitation{}, err
	}
	inviter, err := s.UserByID(ctx, p.UserID)
	if err != nil {
		return brand.Invitation{}, err
	}
	token := newToken("")
	var inv brand.Invitation
	err = s.inTx(ctx, "invite", func(tx *sql.Tx) error {
		var err error
		if inv, err = s.brands.Invite(ctx, tx, p.BrandID, p.Role, email, r, p.UserID, hashToken(token)); err != nil {
			return err
		}
		link := s.link("/invitations/accept?token=" + token)
		if _, err := s.mailer.SendTx(ctx, tx, mail.Message{To: email, Subject: fmt.Sprintf("%s invited you to %s on Luneo", clip(inviter.Name, 60), clip(b.Name, 80)),
			Text: fmt.Sprintf("Hello,\n\n%s (%s) invited you to join %s on Luneo as %s.\n\nAccept the invitation here (sign up first with this address if you have no account):\n\n%s\n\nThe link works for 7 days.\n",
				inviter.Name, inviter.Email, b.Name, r, link)}); err != nil {
			return err
		}
		s.audited(ctx, tx, p, audit.MemberInvited, map[string]any{"email": email, "role": string(r)})
		return nil
	})
	return inv, err
}

// AcceptInvitation adds the logged-in user to the inviting brand.
func (s *Service) AcceptInvitation(ctx context.Context, userID, token string) (brand.Invitation, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return brand.Invitation{}, err
	}
	var inv brand.Invitation
	err = s.inTx(ctx, "accept invitation", func(tx *sql.Tx) error {
		var err error
		if inv, err = s.brands.AcceptInvitation(ctx, tx, hashToken(strings.TrimSpace(token)), u.ID, u.Email); err != nil {
			return err
		}
		// Accepting proves the inbox, which is what confirmation is for.
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $2) WHERE id = $1`, u.ID, s.now().UTC()); err != nil {
			return err
		}
		s.record(ctx, tx, audit.Event{BrandID: inv.BrandID, UserID: u.ID, Event: audit.MemberJoined, Detail: map[string]any{"role": string(inv.Role)}})
		return nil
	})
	return inv, err
}

// ChangeRole changes a member's role in the principal's brand.
func (s *Service) ChangeRole(ctx context.Context, p Principal, userID, role string) error {
	if err := p.Require(brand.TeamManage); err != nil {
		return err
	}
	r, ok := brand.ParseRole(role)
	if !ok {
		return &apperr.Error{Code: apperr.Invalid, Message: "invalid role", Fields: map[string]string{"role": "must be owner, admin, editor or viewer"}}
	}
	return s.inTx(ctx, "change role", func(tx *sql.Tx) error {
		old, err := s.brands.ChangeRole(ctx, tx, p.BrandID, p.Role, userID, r)
		if err != nil {
			return err
		}
		s.audited(ctx, tx, p, audit.RoleChanged, map[string]any{"member": userID, "from": string(old), "to": string(r)})
		return nil
	})
}

// RemoveMember takes a member out of the principal's brand (or lets a member
// leave, when userID is the principal). The API keys they created for the
// brand are revoked in the same transaction: a key acts for the brand, but
// it is a secret its creator may have kept, and it must not outlive their
// access.
func (s *Service) RemoveMember(ctx context.Context, p Principal, userID string) error {
	if userID != p.UserID {
		if err := p.Require(brand.TeamManage); err != nil {
			return err
		}
	}
	return s.inTx(ctx, "remove member", func(tx *sql.Tx) error {
		old, err := s.brands.RemoveMember(ctx, tx, p.BrandID, p.Role, userID)
		if err != nil {
			return err
		}
		s.audited(ctx, tx, p, audit.MemberRemoved, map[string]any{"member": userID, "role": string(old)})
		keys, err := revokeKeysCreatedBy(ctx, tx, userID, p.BrandID, s.now().UTC())
		if err != nil {
			return err
		}
		for _, k := range keys {
			s.audited(ctx, tx, p, audit.APIKeyRevoked, map[string]any{"key": k.id, "reason": "its creator left the brand", "member": userID})
		}
		return nil
	})
}

// clip shortens s to at most n runes for a subject line.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
