package shopify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
)

// Installation is one shop's install of the app, as a brand's dashboard
// shows it; the access token is never part of it (AccessToken opens it).
type Installation struct {
	Shop          string    `json:"shop"`
	BrandID       string    `json:"brand_id"`
	Scopes        []string  `json:"scopes"`
	PrimaryDomain string    `json:"primary_domain,omitempty"`
	InstalledAt   time.Time `json:"installed_at"`
	// UninstalledAt is set once the app was removed from the shop (or the
	// brand disconnected it); the token is gone then.
	UninstalledAt *time.Time `json:"uninstalled_at,omitempty"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Active says whether the app is installed on the shop now.
func (i Installation) Active() bool { return i.UninstalledAt == nil }

const shopColumns = `shop, brand_id, scopes, primary_domain, installed_at, uninstalled_at, updated_at`

func scanShop(sc interface{ Scan(...any) error }) (Installation, error) {
	var i Installation
	var scopes string
	var gone sql.NullTime
	if err := sc.Scan(&i.Shop, &i.BrandID, &scopes, &i.PrimaryDomain, &i.InstalledAt, &gone, &i.UpdatedAt); err != nil {
		return Installation{}, err
	}
	i.Scopes = splitScopes(scopes)
	i.InstalledAt, i.UpdatedAt = i.InstalledAt.UTC(), i.UpdatedAt.UTC()
	if gone.Valid {
		t := gone.Time.UTC()
		i.UninstalledAt = &t
	}
	return i, nil
}

// Shops lists brandID's shops, installed or not, by domain.
func (s *Service) Shops(ctx context.Context, brandID string) ([]Installation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+shopColumns+` FROM shopify_shops WHERE brand_id = $1 ORDER BY shop`, brandID)
	if err != nil {
		return nil, fmt.Errorf("list shops: %w", err)
	}
	defer rows.Close()
	out := []Installation{}
	for rows.Next() {
		i, err := scanShop(rows)
		if err != nil {
			return nil, fmt.Errorf("list shops: %w", err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Shop returns shop's installation (apperr.NotFound when the app was never
// installed there).
func (s *Service) Shop(ctx context.Context, shop string) (Installation, error) {
	i, err := scanShop(s.db.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shopify_shops WHERE shop = $1`, shop))
	if errors.Is(err, sql.ErrNoRows) {
		return Installation{}, apperr.New(apperr.NotFound, "the Luneo app is not installed on %s", shop)
	}
	if err != nil {
		return Installation{}, fmt.Errorf("read shop: %w", err)
	}
	return i, nil
}

// AccessToken opens shop's offline access token (apperr.NotFound when the
// app is not installed there now).
func (s *Service) AccessToken(ctx context.Context, shop string) (string, error) {
	var sealed string
	err := s.db.QueryRowContext(ctx, `SELECT access_token FROM shopify_shops WHERE shop = $1 AND uninstalled_at IS NULL`, shop).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && sealed == "") {
		return "", apperr.New(apperr.NotFound, "the Luneo app is not installed on %s", shop)
	}
	if err != nil {
		return "", fmt.Errorf("read shop token: %w", err)
	}
	plain, err := s.ring.Open(sealed, TokenContext(shop))
	if err != nil {
		return "", fmt.Errorf("open shop token: %w", err)
	}
	return string(plain), nil
}

// Disconnect is a brand letting go of one of its shops: the installation
// is marked uninstalled and its token dropped (orders stay until the shop's
// redact). The caller must be an owner or admin of brandID; another
// brand's shop, or none, is a 404.
func (s *Service) Disconnect(ctx context.Context, brandID, userID, shop string) error {
	if err := s.requireManager(ctx, brandID, userID); err != nil {
		return err
	}
	if err := s.markUninstalled(ctx, strings.ToLower(shop), brandID); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "shopify shop disconnected", "brand", brandID, "shop", shop)
	return nil
}

// markUninstalled blanks shop's token, marks it uninstalled and takes back
// the admin's right to frame the widget, which came with the install. With
// brandID set, only that brand's installed shop qualifies (NotFound
// otherwise); without, any installed shop (app/uninstalled).
func (s *Service) markUninstalled(ctx context.Context, shop, brandID string) error {
	now := s.cfg.Now().UTC().Truncate(time.Microsecond)
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `UPDATE shopify_shops SET access_token = '', uninstalled_at = $2, updated_at = $2
			WHERE shop = $1 AND uninstalled_at IS NULL AND ($3 = '' OR brand_id = $3) RETURNING brand_id`, shop, now, brandID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "no installed store %s", trim(shop))
		}
		if err != nil {
			return fmt.Errorf("mark shop uninstalled: %w", err)
		}
		return s.embed.RemoveFrameOriginsTx(ctx, tx, owner, FrameSource(shop))
	})
}

// The installations as the webhooks see them (Shops).

// BrandOf returns the brand shop is (or was) installed for and whether it
// is installed now; "" for a shop Luneo does not know.
func (s *Service) BrandOf(ctx context.Context, shop string) (string, bool, error) {
	var brandID string
	var gone sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT brand_id, uninstalled_at FROM shopify_shops WHERE shop = $1`, shop).Scan(&brandID, &gone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("brand of shop: %w", err)
	}
	return brandID, !gone.Valid, nil
}

// ShopsOf lists the domains of brandID's shops, installed or not yet
// redacted.
func (s *Service) ShopsOf(ctx context.Context, brandID string) ([]string, error) {
	is, err := s.Shops(ctx, brandID)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(is))
	for i, in := range is {
		out[i] = in.Shop
	}
	return out, nil
}

// Uninstalled is app/uninstalled: Shopify has revoked the token already;
// the installation is marked and its data kept until shop/redact. A shop
// not installed (a replay, or disconnected first) is no error.
func (s *Service) Uninstalled(ctx context.Context, shop string) error {
	err := s.markUninstalled(ctx, shop, "")
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err == nil {
		s.log.InfoContext(ctx, "shopify app uninstalled", "shop", shop)
	}
	return err
}

// Forget is shop/redact: the installation row goes, and with it the
// admin's framing right (the brand's embed origins stay: the brand may
// still sell there some other way, and edits them on the Widget page).
func (s *Service) Forget(ctx context.Context, shop string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `DELETE FROM shopify_shops WHERE shop = $1 RETURNING brand_id`, shop).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("forget shop: %w", err)
		}
		return s.embed.RemoveFrameOriginsTx(ctx, tx, owner, FrameSource(shop))
	})
}
