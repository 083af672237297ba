package oidc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

// fakeGitHub implements GitHub's token endpoint and the two API calls.
func fakeGitHub(t *testing.T, emails any, emailsStatus int) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login/oauth/access_token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.Form.Get("client_id") != "hid" || r.Form.Get("client_secret") != "hs" || r.Form.Get("code") != "gh-code" || r.Form.Get("code_verifier") == "" {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "bad_verification_code"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": "gho_token", "token_type": "bearer", "scope": "read:user,user:email"})
	})
	mux.HandleFunc("GET /api/user", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer gho_token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": 4242, "login": "octo", "name": "", "email": "public@example.com"})
	})
	mux.HandleFunc("GET /api/user/emails", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(emailsStatus)
		_ = json.NewEncoder(w).Encode(emails)
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func githubProvider(t *testing.T, s *httptest.Server) *Provider {
	vars := map[string]string{"LUNEO_GITHUB_CLIENT_ID": "hid", "LUNEO_GITHUB_CLIENT_SECRET": "hs"}
	return mustProvider(t, vars, "github", nil, WithGitHubEndpoints(s.URL+"/login/oauth/authorize", s.URL+"/login/oauth/access_token", s.URL+"/api/"))
}

func TestGitHubLogin(t *testing.T) {
	t.Parallel()
	s := fakeGitHub(t, []map[string]any{
		{"email": "old@example.com", "primary": false, "verified": true},
		{"email": "octo@example.com", "primary": true, "verified": true},
	}, http.StatusOK)
	p := githubProvider(t, s)
	id, err := p.Exchange(context.Background(), "gh-code", "verifier", "")
	if err != nil {
		t.Fatal(err)
	}
	if id.Provider != "github" || id.Subject != "4242" || id.Email != "octo@example.com" || !id.EmailVerified || id.Name != "octo" {
		t.Fatalf("identity %+v", id)
	}
	if _, err := p.Exchange(context.Background(), "other-code", "verifier", ""); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("refused code: %v", err)
	}
}

func TestGitHubUnverifiedEmail(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]*httptest.Server{
		"unverified primary": fakeGitHub(t, []map[string]any{{"email": "octo@example.com", "primary": true, "verified": false}}, http.StatusOK),
		"no emails scope":    fakeGitHub(t, map[string]string{"message": "Resource not accessible"}, http.StatusForbidden),
	} {
		id, err := githubProvider(t, s).Exchange(context.Background(), "gh-code", "verifier", "")
		if err != nil || id.EmailVerified || id.Subject != "4242" {
			t.Errorf("%s: %+v %v", name, id, err)
		}
	}
	s := fakeGitHub(t, nil, http.StatusInternalServerError)
	if _, err := githubProvider(t, s).Exchange(context.Background(), "gh-code", "verifier", ""); apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("API down: %v", err)
	}
}
