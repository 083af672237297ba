package dashboard

import (
	"html/template"
	"net/http"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/ui"
)

// arCard is the AR part of the dashboard's product page.
type arCard struct {
	PageURL string
	QR      template.URL
	// Public says the AR page answers (the product is active).
	Public           bool
	Opened, Launched int
}

// loadARCard fills in the AR card of a product that has a model.
func (s *Dashboard) loadARCard(r *http.Request, p auth.Principal, pr catalog.Product) (*arCard, error) {
	if s.AR == nil {
		return nil, nil
	}
	c := &arCard{PageURL: s.Kit.BaseURL + "/ar/" + pr.ID, Public: pr.Status == catalog.Active}
	var err error
	if c.QR, err = ui.QRDataURL(c.PageURL); err != nil {
		return nil, err
	}
	counts, err := s.AR.ViewCounts(r.Context(), p.BrandID, pr.ID)
	if err != nil {
		s.Kit.Logger.WarnContext(r.Context(), "product page: AR view counts unavailable", "product", pr.ID, "error", err)
	}
	for _, n := range counts.Opened {
		c.Opened += n
	}
	for _, n := range counts.ARLaunched {
		c.Launched += n
	}
	return c, nil
}
