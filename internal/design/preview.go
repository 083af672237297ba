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

// previewPrefix starts every preview token, so one is recognised in logs
// and leak scanners.
const previewPrefix = "dp_"

// PreviewToken returns the design's permanent preview token, creating it
// on the first call: the same token on every later call, until
// RevokePreview. It is "dp_" and the base64url HMAC-SHA256, under the
// service's PreviewKey, of the design ID and 128 random bits kept in the
// row (256 bits in all, unguessable without both the key and the
// database); the database keeps only its SHA-256 for lookups. Staff reach
// every design of their brand, shoppers their own.
func (s *Service) PreviewToken(ctx context.Context, a Actor, designID string) (string, error) {
	if err := a.canWrite(true); err != nil {
		return "", err
	}
	var token string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := loadDesign(ctx, tx, a, designID); err != nil {
			return err
		}
		var salt sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT preview_salt FROM designs WHERE id = $1 AND brand_id = $2`,
			designID, a.BrandID).Scan(&salt); err != nil {
			return fmt.Errorf("preview token: %w", err)
		}
		if salt.Valid {
			token = s.previewToken(designID, salt.String)
			return nil
		}
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("preview token: %w", err)
		}
		salt.String = hex.EncodeToString(b)
		token = s.previewToken(designID, salt.String)
		_, err := tx.ExecContext(ctx, `UPDATE designs SET preview_salt = $3, preview_hash = $4 WHERE id = $1 AND brand_id = $2`,
			designID, a.BrandID, salt.String, hashToken(token))
		return err
	})
	return token, err
}

// RevokePreview ends a design's preview token; the next PreviewToken
// makes a new one. Revoking a design without one succeeds.
func (s *Service) RevokePreview(ctx context.Context, a Actor, designID string) error {
	if err := a.canWrite(true); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := loadDesign(ctx, tx, a, designID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE designs SET preview_salt = NULL, preview_hash = NULL WHERE id = $1 AND brand_id = $2`,
			designID, a.BrandID)
		return err
	})
}

// ResolvePreview returns the latest version of the design a preview token
// names, for the public preview route: anyone holding the token may see
// the design. An unknown, revoked or malformed token, or a deleted design,
// is not found.
func (s *Service) ResolvePreview(ctx context.Context, token string) (VersionRef, error) {
	if !strings.HasPrefix(token, previewPrefix) || len(token) > 100 {
		return VersionRef{}, errPreviewNotFound
	}
	var brandID, designID string
	var latest int
	err := s.db.QueryRowContext(ctx, `SELECT brand_id, id, latest_version FROM designs
		WHERE preview_hash = $1 AND deleted_at IS NULL`, hashToken(token)).Scan(&brandID, &designID, &latest)
	if errors.Is(err, sql.ErrNoRows) {
		return VersionRef{}, errPreviewNotFound
	}
	if err != nil {
		return VersionRef{}, fmt.Errorf("resolve preview: %w", err)
	}
	v, err := loadVersion(ctx, s.db, brandID, designID, latest)
	if err != nil {
		return VersionRef{}, err
	}
	return v.Ref(brandID, Design{ID: designID}), nil
}

var errPreviewNotFound = apperr.New(apperr.NotFound, "no such preview")

// previewToken derives the token of a design from its salt.
func (s *Service) previewToken(designID, salt string) string {
	m := hmac.New(sha256.New, s.cfg.PreviewKey)
	m.Write([]byte(designID + "\x00" + salt))
	return previewPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// hashToken is how preview tokens are stored: SHA-256 is enough for 256
// bits of entropy.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
