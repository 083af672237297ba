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
	shop = strings.ToLower(shop)
	now := s.cfg.Now().UTC().Truncate(time.Microsecond)
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE shopify_shops SET access_token = '', uninstalled_at = $3, updated_at = $3
			WHERE shop = $1 AND brand_id = $2 AND uninstalled_at IS NULL`, shop, brandID, now)
		if err != nil {
			return fmt.Errorf("disconnect shop: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "no installed store %s", trim(shop))
		}
		// The admin's right to frame the widget came with this shop.
		return s.embed.RemoveFrameOriginsTx(ctx, tx, brandID, FrameSource(shop))
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "shopify shop disconnected", "brand", brandID, "shop", shop)
	return nil
}
