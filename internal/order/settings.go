package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
)

// Settings are a brand's order settings.
type Settings struct {
	// FilePattern names the files of production ZIPs (see Placeholders).
	FilePattern string `json:"file_pattern"`
	// NotifyEmail emails the brand's owners and admins when an order's
	// files are ready.
	NotifyEmail bool       `json:"notify_email"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty"`
}

// DefaultSettings are the settings of a brand that saved none.
func DefaultSettings() Settings { return Settings{FilePattern: DefaultPattern, NotifyEmail: true} }

// settingsOf reads a brand's settings (the defaults when none are saved).
func settingsOf(ctx context.Context, q db.Querier, brandID string) (Settings, error) {
	st := DefaultSettings()
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT file_pattern, notify_email, updated_at FROM order_settings WHERE brand_id = $1`, brandID).
		Scan(&st.FilePattern, &st.NotifyEmail, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("read order settings: %w", err)
	}
	at = at.UTC()
	st.UpdatedAt = &at
	return st, nil
}

// Settings returns the brand's order settings (orders:read).
func (s *Service) Settings(ctx context.Context, p auth.Principal) (Settings, error) {
	if err := p.Require(brand.OrdersRead); err != nil {
		return Settings{}, err
	}
	return settingsOf(ctx, s.db, p.BrandID)
}

// SetSettings replaces the brand's order settings (orders:write); the
// pattern is validated (ValidatePattern). Orders produced later use it.
func (s *Service) SetSettings(ctx context.Context, p auth.Principal, st Settings) (Settings, error) {
	if err := p.Require(brand.OrdersWrite); err != nil {
		return Settings{}, err
	}
	if err := ValidatePattern(st.FilePattern); err != nil {
		return Settings{}, err
	}
	now := s.stamp()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO order_settings (brand_id, file_pattern, notify_email, updated_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (brand_id) DO UPDATE SET file_pattern = $2, notify_email = $3, updated_at = $4`,
		p.BrandID, st.FilePattern, st.NotifyEmail, now); err != nil {
		return Settings{}, fmt.Errorf("save order settings: %w", err)
	}
	st.UpdatedAt = &now
	return st, nil
}
