package api

import (
	"net/http"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The widget's embed settings of the caller's brand: members read them,
// those who may change the brand's settings write them.

func (s *API) getEmbed(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.BrandRead); err != nil {
		return err
	}
	list, err := s.Embed.Origins(r.Context(), p.BrandID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"allowed_origins": list})
	return nil
}

func (s *API) putEmbed(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.BrandWrite); err != nil {
		return err
	}
	var in struct {
		AllowedOrigins []string `json:"allowed_origins"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	list, err := s.Embed.SetOrigins(r.Context(), p.BrandID, in.AllowedOrigins)
	if err != nil {
		return err
	}
	// The change is done; a failed audit write must not report it failed.
	if err := s.Audit.Record(r.Context(), nil, audit.Event{BrandID: p.BrandID, UserID: p.UserID, Event: audit.BrandUpdated,
		Detail: map[string]any{"allowed_origins": list}}); err != nil {
		s.Kit.Logger.ErrorContext(r.Context(), "audit", "error", err)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"allowed_origins": list})
	return nil
}
