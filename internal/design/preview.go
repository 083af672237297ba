package design

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// A design has two share tokens, each revocable on its own: the preview
// token of its permanent preview image URL (carts, orders, social cards)
// and the AR token of its public AR page. Revoking a shared AR page must
// not break the preview images already on orders.
type shareKind struct {
	prefix     string // starts every token of the kind, so one is recognised in logs and leak scanners
	salt, hash string // the designs columns (constants, never input)
	notFound   error
	label      string
}

var (
	previewShare = shareKind{prefix: "dp_", salt: "preview_salt", hash: "preview_hash", label: "preview token",
		notFound: apperr.New(apperr.NotFound, "no such preview")}
	arShare = shareKind{prefix: "da_", salt: "ar_salt", hash: "ar_hash", label: "AR share token",
		notFound: apperr.New(apperr.NotFound, "no such shared design")}
)

// PreviewToken returns the design's permanent preview token, creating it
// on the first call: the same token on every later call, until
// RevokePreview. It is "dp_" and the base64url HMAC-SHA256, under the
// service's PreviewKey, of the design ID and 128 random bits kept in the
// row (256 bits in all, unguessable without both the key and the
// database); the database keeps only its SHA-256 for lookups. Staff reach
// every design of their brand, shoppers their own.
func (s *Service) PreviewToken(ctx context.Context, a Actor, designID string) (string, error) {
	return s.shareToken(ctx, a, designID, previewShare)
}

// RevokePreview ends a design's preview token; the next PreviewToken
// makes a new one. Revoking a design without one succeeds.
func (s *Service) RevokePreview(ctx context.Context, a Actor, designID string) error {
	return s.revokeShare(ctx, a, designID, previewShare)
}

// ResolvePreview returns the latest version of the design a preview token
// names, for the public preview route: anyone holding the token may see
// the design. An unknown, revoked or malformed token, or a deleted design,
// is not found.
func (s *Service) ResolvePreview(ctx context.Context, token string) (VersionRef, error) {
	return s.resolveShare(ctx, token, previewShare)
}

// ARToken returns the design's AR share token ("da_…", made like the
// preview token), for its public AR page; the same until RevokeAR.
func (s *Service) ARToken(ctx context.Context, a Actor, designID string) (string, error) {
	return s.shareToken(ctx, a, designID, arShare)
}

// RevokeAR ends a design's AR share token: its public AR page is gone.
func (s *Service) RevokeAR(ctx context.Context, a Actor, designID string) error {
	return s.revokeShare(ctx, a, designID, arShare)
}

// ResolveAR returns the latest version of the design an AR share token
// names; unknown, revoked and deleted are not found.
func (s *Service) ResolveAR(ctx context.Context, token string) (VersionRef, error) {
	return s.resolveShare(ctx, token, arShare)
}

func (s *Service) shareToken(ctx context.Context, a Actor, designID string, k shareKind) (string, error) {
	if err := a.canWrite(true); err != nil {
		return "", err
	}
	var token string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := loadDesign(ctx, tx, a, designID); err != nil {
			return err
		}
		var salt sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT `+k.salt+` FROM designs WHERE id = $1 AND brand_id = $2`,
			designID, a.BrandID).Scan(&salt); err != nil {
			return fmt.Errorf("%s: %w", k.label, err)
		}
		if salt.Valid {
			token = s.token(k, designID, salt.String)
			return nil
		}
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("%s: %w", k.label, err)
		}
		salt.String = hex.EncodeToString(b)
		token = s.token(k, designID, salt.String)
		_, err := tx.ExecContext(ctx, `UPDATE designs SET `+k.salt+` = $3, `+k.hash+` = $4 WHERE id = $1 AND brand_id = $2`,
			designID, a.BrandID, salt.String, hashToken(token))
		return err
	})
	return token, err
}

func (s *Service) revokeShare(ctx context.Context, a Actor, designID string, k shareKind) error {
	if err := a.canWrite(true); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := loadDesign(ctx, tx, a, designID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE designs SET `+k.salt+` = NULL, `+k.hash+` = NULL WHERE id = $1 AND brand_id = $2`,
			designID, a.BrandID)
		return err
	})
}

func (s *Service) resolveShare(ctx context.Context, token string, k shareKind) (VersionRef, error) {
	if !strings.HasPrefix(token, k.prefix) || len(token) > 100 {
		return VersionRef{}, k.notFound
	}
	var brandID, designID string
	var latest int
	err := s.db.QueryRowContext(ctx, `SELECT brand_id, id, latest_version FROM designs
		WHERE `+k.hash+` = $1 AND deleted_at IS NULL`, hashToken(token)).Scan(&brandID, &designID, &latest)
	if errors.Is(err, sql.ErrNoRows) {
		return VersionRef{}, k.notFound
	}
	if err != nil {
		return VersionRef{}, fmt.Errorf("resolve %s: %w", k.label, err)
	}
	v, err := loadVersion(ctx, s.db, brandID, designID, latest)
	if err != nil {
		return VersionRef{}, err
	}
	return v.Ref(brandID, Design{ID: designID}), nil
}

// token derives the token of a design from its salt. The kind's prefix is
// part of the MAC input, so a preview token never opens an AR page.
func (s *Service) token(k shareKind, designID, salt string) string {
	m := hmac.New(sha256.New, s.cfg.PreviewKey)
	m.Write([]byte(designID + "\x00" + salt))
	if k.prefix != previewShare.prefix {
		m.Write([]byte("\x00" + k.prefix))
	}
	return k.prefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// hashToken is how share tokens are stored: SHA-256 is enough for 256
// bits of entropy.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
