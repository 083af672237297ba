package web

import (
	"net/http"
	"net/url"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The account API: sign-up, login (with MFA), refresh, logout, the current
// user, password and MFA management, sessions and linked logins.

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	var in auth.RegisterInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	u, b, err := s.Auth.Register(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"user": u, "brand": b})
	return nil
}

// loginResponse answers a login step: tokens (also as cookies), or the MFA step.
func (s *Server) loginResponse(w http.ResponseWriter, res auth.LoginResult) {
	if res.MFARequired {
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"mfa_required": true, "mfa_token": res.MFAToken})
		return
	}
	s.kit.SetSessionCookies(w, *res.Tokens)
	httpx.WriteJSON(w, http.StatusOK, res.Tokens)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.Auth.Login(r.Context(), in.Email, in.Password)
	if err != nil {
		return err
	}
	s.loginResponse(w, res)
	return nil
}

func (s *Server) loginMFA(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		MFAToken string `json:"mfa_token"`
		Code     string `json:"code"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.Auth.LoginMFA(r.Context(), in.MFAToken, in.Code)
	if err != nil {
		return err
	}
	s.loginResponse(w, res)
	return nil
}

// refreshToken reads the refresh token from the body or the cookie.
func refreshToken(r *http.Request) (string, error) {
	var in struct {
		RefreshToken string `json:"refresh_token"`
	}
	if r.ContentLength != 0 && r.Header.Get("Content-Type") != "" {
		if err := httpx.DecodeJSON(r, &in); err != nil {
			return "", err
		}
	}
	if in.RefreshToken == "" {
		if c, err := r.Cookie(httpx.RefreshCookie); err == nil {
			in.RefreshToken = c.Value
		}
	}
	if in.RefreshToken == "" {
		return "", apperr.New(apperr.Unauthorized, "send refresh_token in the body (or the refresh cookie)")
	}
	return in.RefreshToken, nil
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) error {
	token, err := refreshToken(r)
	if err != nil {
		return err
	}
	t, err := s.Auth.Refresh(r.Context(), token)
	if err != nil {
		s.kit.ClearSessionCookies(w)
		return err
	}
	s.kit.SetSessionCookies(w, t)
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

// refreshRedirect lets a browser whose access cookie expired get a new one
// and go back where it was, without JavaScript: pages redirect here.
func (s *Server) refreshRedirect(w http.ResponseWriter, r *http.Request) error {
	back := httpx.ReturnTo(r.URL.Query().Get("return"))
	c, err := r.Cookie(httpx.RefreshCookie)
	if err != nil {
		http.Redirect(w, r, "/login?return="+url.QueryEscape(back), http.StatusSeeOther)
		return nil
	}
	t, err := s.Auth.Refresh(r.Context(), c.Value)
	if err != nil {
		s.kit.ClearSessionCookies(w)
		http.Redirect(w, r, "/login?return="+url.QueryEscape(back), http.StatusSeeOther)
		return nil
	}
	s.kit.SetSessionCookies(w, t)
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	// Cleared first: cookies set after the status is written are never sent.
	s.kit.ClearSessionCookies(w)
	if p, err := s.kit.Principal(r); err == nil && p.SessionID != "" {
		return s.noContent(w, s.Auth.Logout(r.Context(), p.UserID, p.SessionID))
	}
	token, err := refreshToken(r)
	if err != nil {
		return err
	}
	uid, sid, err := s.Auth.SessionForRefresh(r.Context(), token)
	if err != nil {
		return err
	}
	return s.noContent(w, s.Auth.Logout(r.Context(), uid, sid))
}

func (s *Server) logoutAll(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	n, err := s.Auth.LogoutAll(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	s.kit.ClearSessionCookies(w)
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"sessions_ended": n})
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	u, err := s.Auth.UserByID(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	brands, err := s.Brands.BrandsOf(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"user": u, "brands": brands, "brand_id": p.BrandID, "role": p.Role})
	return nil
}

func (s *Server) switchBrand(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	var in struct {
		BrandID string `json:"brand_id"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.Auth.SwitchBrand(r.Context(), p.UserID, p.SessionID, in.BrandID)
	if err != nil {
		return err
	}
	s.kit.SetSessionCookies(w, t)
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) confirmEmail(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.Auth.ConfirmEmail(r.Context(), in.Token)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"user": u})
	return nil
}

func (s *Server) resendConfirmation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	return s.accepted(w, s.Auth.ResendConfirmation(r.Context(), p.UserID))
}

func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return s.accepted(w, s.Auth.RequestPasswordReset(r.Context(), in.Email))
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return s.noContent(w, s.Auth.ResetPassword(r.Context(), in.Token, in.Password))
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return s.noContent(w, s.Auth.ChangePassword(r.Context(), p, in.CurrentPassword, in.NewPassword))
}

// noContent answers 204 unless err.
func (s *Server) noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// accepted answers 202 unless err.
func (s *Server) accepted(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
	return nil
}

// reauthInput is the body of POST /api/auth/reauth.
type reauthInput struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// reauth gives the proof of identity recent-authentication routes ask for
// (see reauth.go).
func (s *Server) reauth(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := httpx.UserOnly(p); err != nil {
		return err
	}
	var in reauthInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return s.noContent(w, s.Auth.Reauthenticate(r.Context(), p, in.Password, in.Code))
}
