package design

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// The design link is the third share token of a design, "de_…": whoever
// holds it may reopen the design in the widget and save new versions of
// it, as the shopper who made it (the store page's URL carries it, so a
// cart line, an email or another device finds the design again). It is
// made like the preview and AR tokens and revoked on its own: ending a
// link must not break the preview images on orders or the AR page.
var editShare = shareKind{prefix: "de_", salt: "edit_salt", hash: "edit_hash", label: "design link",
	notFound: apperr.New(apperr.NotFound, "no such design link")}

// EditToken returns the design's link token, creating it on the first
// call: the same token on every later call, until RevokeEdit. Staff reach
// every design of their brand, shoppers their own.
func (s *Service) EditToken(ctx context.Context, a Actor, designID string) (string, error) {
	return s.shareToken(ctx, a, designID, editShare)
}

// RevokeEdit ends a design's link; the next EditToken makes a new one.
func (s *Service) RevokeEdit(ctx context.Context, a Actor, designID string) error {
	return s.revokeShare(ctx, a, designID, editShare)
}

// Link is the design a link opens.
type Link struct {
	BrandID  string
	DesignID string
	// Creator made the design; saving through the link acts as them.
	Creator Creator
}

// Actor is who acts through the link: the shopper who made the design, so
// the design's own-designs rule lets the link's holder read it and save
// its versions, and nothing else. A design staff made cannot be reached
// this way (a shopper actor never owns it: not found).
func (l Link) Actor() Actor { return ShopperActor(l.BrandID, l.Creator.ID) }

// ResolveEdit returns the design a link token names, whatever its brand:
// the caller compares BrandID with the brand it acts for (another brand's
// link must be not found there). An unknown, revoked or malformed token,
// or a deleted design, is not found.
func (s *Service) ResolveEdit(ctx context.Context, token string) (Link, error) {
	if !strings.HasPrefix(token, editShare.prefix) || len(token) > 100 {
		return Link{}, editShare.notFound
	}
	var l Link
	err := s.db.QueryRowContext(ctx, `SELECT brand_id, id, creator_kind, creator_id FROM designs
		WHERE edit_hash = $1 AND deleted_at IS NULL`, hashToken(token)).Scan(&l.BrandID, &l.DesignID, &l.Creator.Kind, &l.Creator.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, editShare.notFound
	}
	if err != nil {
		return Link{}, fmt.Errorf("resolve %s: %w", editShare.label, err)
	}
	return l, nil
}
