package api

import (
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The brand API: settings, team, invitations, API keys and the audit log of
// the brand the caller acts for. Every query is scoped to p.BrandID, so
// another brand's IDs answer 404.

func (s *API) getBrand(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.BrandRead); err != nil {
		return err
	}
	b, err := s.Brands.ByID(r.Context(), p.BrandID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"brand": b, "role": p.Role})
	return nil
}

func (s *API) updateBrand(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.BrandWrite); err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	b, err := s.Brands.Rename(r.Context(), nil, p.BrandID, in.Name)
	if err != nil {
		return err
	}
	_ = s.Audit.Record(r.Context(), nil, audit.Event{BrandID: p.BrandID, UserID: p.UserID, Event: audit.BrandUpdated, Detail: map[string]any{"name": b.Name}})
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"brand": b})
	return nil
}

func (s *API) members(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.TeamRead); err != nil {
		return err
	}
	list, err := s.Brands.Members(r.Context(), p.BrandID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"members": nonNil(list)})
	return nil
}

func (s *API) changeRole(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		Role string `json:"role"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return noContent(w, s.Auth.ChangeRole(r.Context(), p, r.PathValue("userID"), in.Role))
}

func (s *API) removeMember(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Auth.RemoveMember(r.Context(), p, r.PathValue("userID")))
}

func (s *API) invitations(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.TeamManage); err != nil {
		return err
	}
	list, err := s.Brands.Invitations(r.Context(), p.BrandID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"invitations": nonNil(list)})
	return nil
}

func (s *API) invite(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	inv, err := s.Auth.Invite(r.Context(), p, in.Email, in.Role)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"invitation": inv})
	return nil
}

func (s *API) revokeInvitation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.TeamManage); err != nil {
		return err
	}
	return noContent(w, s.Brands.RevokeInvitation(r.Context(), p.BrandID, r.PathValue("id")))
}

func (s *API) acceptInvitation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	inv, err := s.Auth.AcceptInvitation(r.Context(), p.UserID, in.Token)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"invitation": inv})
	return nil
}

func (s *API) apiKeys(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	list, err := s.Auth.APIKeys(r.Context(), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"api_keys": nonNil(list)})
	return nil
}

func (s *API) createAPIKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		Name   string   `json:"name"`
		Scopes []string `json:"scopes"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	k, secret, err := s.Auth.CreateAPIKey(r.Context(), p, in.Name, in.Scopes)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"api_key": k, "secret": secret})
	return nil
}

func (s *API) revokeAPIKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Auth.RevokeAPIKey(r.Context(), p, r.PathValue("id")))
}

func (s *API) auditLog(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.AuditRead); err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	before, err := httpx.QueryTime(r, "before")
	if err != nil {
		return err
	}
	list, err := s.Audit.ForBrand(r.Context(), p.BrandID, limit, before)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"events": nonNil(list)})
	return nil
}
