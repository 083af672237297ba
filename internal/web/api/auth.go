package api

import (
	"net/http"
	"net/url"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Signing up and in: register, login (with the MFA step), refresh, logout,
// the current user and brand switching, email confirmation and passwords.
// The tokens of a login also go to browsers as the session cookies.

func (s *API) register(w http.ResponseWriter, r *http.Request) error {
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
func (s *API) loginResponse(w http.ResponseWriter, res auth.LoginResult) {
	if res.MFARequired {
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"mfa_required": true, "mfa_token": res.MFAToken})
		return
	}
	s.Kit.SetSessionCookies(w, *res.Tokens)
	httpx.WriteJSON(w, http.StatusOK, res.Tokens)
}

func (s *API) login(w http.ResponseWriter, r *http.Request) error {
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

func (s *API) loginMFA(w http.ResponseWriter, r *http.Request) error {
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

func (s *API) refresh(w http.ResponseWriter, r *http.Request) error {
	token, err := refreshToken(r)
	if err != nil {
		return err
	}
	t, err := s.Auth.Refresh(r.Context(), token)
	if err != nil {
		s.Kit.ClearSessionCookies(w)
		return err
	}
	s.Kit.SetSessionCookies(w, t)
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

// refreshRedirect lets a browser whose access cookie expired get a new one
// and go back where it was, without JavaScript: pages redirect here.
func (s *API) refreshRedirect(w http.ResponseWriter, r *http.Request) error {
	back := httpx.ReturnTo(r.URL.Query().Get("return"))
	c, err := r.Cookie(httpx.RefreshCookie)
	if err != nil {
		http.Redirect(w, r, "/login?return="+url.QueryEscape(back), http.StatusSeeOther)
		return nil
	}
	t, err := s.Auth.Refresh(r.Context(), c.Value)
	if err != nil {
		s.Kit.ClearSessionCookies(w)
		http.Redirect(w, r, "/login?return="+url.QueryEscape(back), http.StatusSeeOther)
		return nil
	}
	s.Kit.SetSessionCookies(w, t)
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *API) logout(w http.ResponseWriter, r *http.Request) error {
	// Cleared first: cookies set after the status is written are never sent.
	s.Kit.ClearSessionCookies(w)
	if p, err := s.Kit.Principal(r); err == nil && p.SessionID != "" {
		return noContent(w, s.Auth.Logout(r.Context(), p.UserID, p.SessionID))
	}
	token, err := refreshToken(r)
	if err != nil {
		return err
	}
	uid, sid, err := s.Auth.SessionForRefresh(r.Context(), token)
	if err != nil {
		return err
	}
	return noContent(w, s.Auth.Logout(r.Context(), uid, sid))
}

func (s *API) logoutAll(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	n, err := s.Auth.LogoutAll(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	s.Kit.ClearSessionCookies(w)
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"sessions_ended": n})
	return nil
}

func (s *API) me(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

func (s *API) switchBrand(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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
	s.Kit.SetSessionCookies(w, t)
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (s *API) confirmEmail(w http.ResponseWriter, r *http.Request) error {
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

func (s *API) resendConfirmation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return accepted(w, s.Auth.ResendConfirmation(r.Context(), p.UserID))
}

func (s *API) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return accepted(w, s.Auth.RequestPasswordReset(r.Context(), in.Email))
}

func (s *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return noContent(w, s.Auth.ResetPassword(r.Context(), in.Token, in.Password))
}

func (s *API) changePassword(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	return noContent(w, s.Auth.ChangePassword(r.Context(), p, in.CurrentPassword, in.NewPassword))
}
