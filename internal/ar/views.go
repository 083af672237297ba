package ar

import (
	"context"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// View events.
const (
	EventOpened     = "opened"
	EventARLaunched = "ar_launched"
)

// Platform guesses the platform of a User-Agent: ios (iPhone, iPad, iPod),
// android, or desktop for anything else a browser sends; other when empty.
func Platform(userAgent string) string {
	ua := strings.ToLower(userAgent)
	switch {
	case ua == "":
		return "other"
	case strings.Contains(ua, "iphone"), strings.Contains(ua, "ipad"), strings.Contains(ua, "ipod"):
		return "ios"
	case strings.Contains(ua, "android"):
		return "android"
	default:
		return "desktop"
	}
}

// RecordView counts one event of the public AR page of an active product.
func (s *Service) RecordView(ctx context.Context, productID, event, userAgent string) error {
	if event != EventOpened && event != EventARLaunched {
		return apperr.New(apperr.Invalid, "event must be %q or %q", EventOpened, EventARLaunched)
	}
	ref, err := s.catalog.ProductModelRef(ctx, productID)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO ar_views (brand_id, product_id, event, platform, created_at) VALUES ($1, $2, $3, $4, $5)`,
		ref.BrandID, productID, event, Platform(userAgent), db.Time(s.now()))
	if err != nil {
		return fmt.Errorf("record ar view: %w", err)
	}
	return nil
}

// Counts is how often a product's AR page was opened and AR launched from
// it, by platform.
type Counts struct {
	Opened     map[string]int `json:"opened"`
	ARLaunched map[string]int `json:"ar_launched"`
}

// ViewCounts counts the AR events of a product of brandID.
func (s *Service) ViewCounts(ctx context.Context, brandID, productID string) (Counts, error) {
	return s.counts(ctx, `SELECT event, platform, count(*) FROM ar_views WHERE brand_id = $1 AND product_id = $2
		GROUP BY event, platform`, brandID, productID)
}

// counts runs a count query of (event, platform, n) rows.
func (s *Service) counts(ctx context.Context, query string, args ...any) (Counts, error) {
	c := Counts{Opened: map[string]int{}, ARLaunched: map[string]int{}}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return c, fmt.Errorf("count ar views: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev, pl string
		var n int
		if err := rows.Scan(&ev, &pl, &n); err != nil {
			return c, fmt.Errorf("count ar views: %w", err)
		}
		if ev == EventOpened {
			c.Opened[pl] = n
		} else {
			c.ARLaunched[pl] = n
		}
	}
	return c, rows.Err()
}

// RecordDesignView counts one event of a shared design's public AR page
// (/ar/d/{token}); the caller resolved the token to the design.
func (s *Service) RecordDesignView(ctx context.Context, brandID, designID, event, userAgent string) error {
	if event != EventOpened && event != EventARLaunched {
		return apperr.New(apperr.Invalid, "event must be %q or %q", EventOpened, EventARLaunched)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO design_ar_views (brand_id, design_id, event, platform, created_at) VALUES ($1, $2, $3, $4, $5)`,
		brandID, designID, event, Platform(userAgent), db.Time(s.now()))
	if err != nil {
		return fmt.Errorf("record design ar view: %w", err)
	}
	return nil
}

// DesignViewCounts counts the AR page events of a design of brandID.
func (s *Service) DesignViewCounts(ctx context.Context, brandID, designID string) (Counts, error) {
	return s.counts(ctx, `SELECT event, platform, count(*) FROM design_ar_views WHERE brand_id = $1 AND design_id = $2
		GROUP BY event, platform`, brandID, designID)
}
