package api

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The zones of a product and their masks (routes in catalogRoutes).

func (s *API) listZones(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	zones, err := s.Catalog.ListZones(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"zones": zones})
	return nil
}

func (s *API) createZone(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in catalog.ZoneSpec
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	z, err := s.Catalog.CreateZone(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"zone": z})
	return nil
}

func (s *API) getZone(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	z, err := s.Catalog.GetZone(r.Context(), p, r.PathValue("id"), r.PathValue("zoneID"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"zone": z})
	return nil
}

func (s *API) updateZone(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var patch json.RawMessage
	if err := httpx.DecodeJSON(r, &patch); err != nil {
		return err
	}
	z, err := s.Catalog.UpdateZone(r.Context(), p, r.PathValue("id"), r.PathValue("zoneID"), catalog.Patch(patch))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"zone": z})
	return nil
}

func (s *API) deleteZone(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Catalog.DeleteZone(r.Context(), p, r.PathValue("id"), r.PathValue("zoneID")))
}

// uploadMask takes the PNG as the raw body (Content-Type image/png) or as
// the "file" part of a multipart/form-data body.
func (s *API) uploadMask(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body io.Reader = r.Body
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		up, err := uploadedFile(r)
		if err != nil {
			return err
		}
		body = up.Body
	case "image/png", "application/octet-stream":
	default:
		return apperr.New(apperr.Invalid, "send the mask as the body with Content-Type image/png, or as the \"file\" part of multipart/form-data")
	}
	z, err := s.Catalog.UploadMask(r.Context(), p, r.PathValue("id"), r.PathValue("zoneID"), body)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"zone": z})
	return nil
}

func (s *API) deleteMask(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Catalog.DeleteMask(r.Context(), p, r.PathValue("id"), r.PathValue("zoneID")))
}
