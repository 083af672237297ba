package web

import (
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
)

// MFA, sessions and linked logins of the logged-in user.

func (s *Server) mfaSetup(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	if err := s.Auth.RequireRecentAuth(p); err != nil {
		return err
	}
	e, err := s.Auth.BeginMFA(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, e)
	return nil
}

type codeInput struct {
	Code string `json:"code"`
}

func (s *Server) mfaConfirm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	var in codeInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.Auth.RequireRecentAuth(p); err != nil {
		return err
	}
	codes, err := s.Auth.ConfirmMFA(r.Context(), p.UserID, in.Code)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"backup_codes": codes})
	return nil
}

func (s *Server) mfaDisable(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	var in codeInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return s.noContent(w, s.Auth.DisableMFA(r.Context(), p.UserID, in.Code))
}

func (s *Server) mfaBackupCodes(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	var in codeInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	codes, err := s.Auth.RegenerateBackupCodes(r.Context(), p.UserID, in.Code)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"backup_codes": codes})
	return nil
}

func (s *Server) sessions(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	list, err := s.Auth.Sessions(r.Context(), p.UserID, p.SessionID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"sessions": nonNil(list)})
	return nil
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	return s.noContent(w, s.Auth.RevokeSession(r.Context(), p.UserID, r.PathValue("id")))
}

func (s *Server) identities(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	list, err := s.Auth.Identities(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"identities": nonNil(list)})
	return nil
}

func (s *Server) unlinkIdentity(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	return s.noContent(w, s.Auth.UnlinkIdentity(r.Context(), p.UserID, r.PathValue("provider")))
}

// accountAudit lists the caller's own account events (logins, sessions,
// password, MFA, linked logins): they belong to the person, not to any
// brand, so no brand's log shows them.
func (s *Server) accountAudit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	before, err := httpx.QueryTime(r, "before")
	if err != nil {
		return err
	}
	list, err := s.Audit.ForUser(r.Context(), p.UserID, limit, before)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"events": nonNil(list)})
	return nil
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
