package api

import (
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Designs: documents saved as immutable versions, and their preview
// tokens. The design service checks permissions (products:read to read,
// products:write to change) and scopes every query to the caller's brand;
// these handlers only translate HTTP.

// savedBody is the answer of a save: the design, the saved (or, when
// unchanged, the latest) version, its sha256 and its warnings.
func savedBody(s design.Saved) map[string]any {
	return map[string]any{"design": s.Design, "version": s.Version, "sha256": s.Version.SHA256,
		"warnings": s.Version.Warnings, "unchanged": s.Unchanged}
}

func (s *API) createDesign(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in design.Draft
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	saved, err := s.Designs.Create(r.Context(), design.StaffActor(p), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, savedBody(saved))
	return nil
}

func (s *API) newDesignVersion(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in design.Draft
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	saved, err := s.Designs.NewVersion(r.Context(), design.StaffActor(p), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if saved.Unchanged {
		status = http.StatusOK
	}
	httpx.WriteJSON(w, status, savedBody(saved))
	return nil
}

func (s *API) listDesigns(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q := r.URL.Query()
	limit := 0
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return apperr.New(apperr.Invalid, "limit must be a number from 1 to %d", design.MaxPageSize)
		}
		limit = n
	}
	page, err := s.Designs.List(r.Context(), design.StaffActor(p), q.Get("product_id"), q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

// versionParam reads ?version=N (0 when absent: the latest).
func versionParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, apperr.New(apperr.Invalid, "version must be a version number (1, 2, …)")
	}
	return n, nil
}

func (s *API) getDesign(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	n, err := versionParam(r)
	if err != nil {
		return err
	}
	got, err := s.Designs.Get(r.Context(), design.StaffActor(p), r.PathValue("id"), n)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, got)
	return nil
}

func (s *API) deleteDesign(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Designs.Delete(r.Context(), design.StaffActor(p), r.PathValue("id")))
}

func (s *API) createPreviewToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	tok, err := s.Designs.PreviewToken(r.Context(), design.StaffActor(p), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"token": tok})
	return nil
}

func (s *API) revokePreviewToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Designs.RevokePreview(r.Context(), design.StaffActor(p), r.PathValue("id")))
}
