package api

import (
	"net/http"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The seed's AR flow for a design (render.Service.AR): 200 with signed
// GLB, USDZ and preview URLs when the files exist, 202 with the render
// being waited for, 422 when the design's renders failed. Asking is a
// read (products:read): enqueueing the missing render is the flow's own
// business, and at most one waits per version.
func (s *API) getDesignAR(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	version, err := versionParam(r)
	if err != nil {
		return err
	}
	t, err := s.renderTarget(r, p, version)
	if err != nil {
		return err
	}
	res, err := s.Renders.AR(r.Context(), t)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, arStatus(res.Status), res)
	return nil
}

func (s *API) createARToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	tok, err := s.Designs.ARToken(r.Context(), design.StaffActor(p), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"token": tok, "url": s.Kit.BaseURL + "/ar/d/" + tok})
	return nil
}

func (s *API) revokeARToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Designs.RevokeAR(r.Context(), design.StaffActor(p), r.PathValue("id")))
}
