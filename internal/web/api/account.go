package api

import (
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The logged-in person's own account: MFA, sessions, linked logins, their
// security events and re-authentication. UserAPI routes: the Router has
// already refused API keys, which act for a brand, not a person.

func (s *API) mfaSetup(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	e, err := s.Auth.BeginMFA(r.Context(), p)
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

func (s *API) mfaConfirm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in codeInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	codes, err := s.Auth.ConfirmMFA(r.Context(), p, in.Code)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"backup_codes": codes})
	return nil
}

func (s *API) mfaDisable(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in codeInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return noContent(w, s.Auth.DisableMFA(r.Context(), p.UserID, in.Code))
}

func (s *API) mfaBackupCodes(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

func (s *API) sessions(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	list, err := s.Auth.Sessions(r.Context(), p.UserID, p.SessionID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"sessions": nonNil(list)})
	return nil
}

func (s *API) revokeSession(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Auth.RevokeSession(r.Context(), p.UserID, r.PathValue("id")))
}

func (s *API) identities(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	list, err := s.Auth.Identities(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"identities": nonNil(list)})
	return nil
}

func (s *API) unlinkIdentity(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Auth.UnlinkIdentity(r.Context(), p.UserID, r.PathValue("provider")))
}

// accountAudit lists the caller's own account events (logins, sessions,
// password, MFA, linked logins): they belong to the person, not to any
// brand, so no brand's log shows them.
func (s *API) accountAudit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

// reauthInput is the body of POST /api/auth/reauth.
type reauthInput struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// reauth gives the proof of identity that the routes handing the account to
// whoever calls them ask for (turning MFA on, setting a first password,
// linking another login): without one from the last auth.RecentAuthWindow
// they answer 403 with the code reauth_required.
func (s *API) reauth(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in reauthInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return noContent(w, s.Auth.Reauthenticate(r.Context(), p, in.Password, in.Code))
}
