package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"golang.org/x/oauth2"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
)

// GitHub's public endpoints; WithGitHubEndpoints replaces them (GitHub
// Enterprise Server, tests).
const (
	githubAuthURL  = "https://github.com/login/oauth/authorize"
	githubTokenURL = "https://github.com/login/oauth/access_token"
	githubAPIURL   = "https://api.github.com"
)

// maxGitHubResponse bounds what we read from the API: a user or an email list
// is a few kilobytes, and a misbehaving server must not fill our memory.
const maxGitHubResponse = 1 << 20

// githubUser is the part of GET /user that Luneo uses.
type githubUser struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// githubEmail is one entry of GET /user/emails.
type githubEmail struct {
	Email    string `json:"email"`
	Primary  bool   `json:"primary"`
	Verified bool   `json:"verified"`
}

// errGitHubNoAccess is a 403 or 404 from the API: the token lacks a scope or
// permission, which for /user/emails means "no email known", not a failure.
var errGitHubNoAccess = errors.New("github: no access")

// githubIdentity reads who the token belongs to. The subject is the numeric
// account ID, which survives renames (the login does not). The email is the
// primary one only when GitHub says it is verified: a public profile email is
// whatever the user typed and proves nothing.
func (p *Provider) githubIdentity(ctx context.Context, tok *oauth2.Token) (auth.ExternalIdentity, error) {
	var u githubUser
	if err := p.githubGet(ctx, tok, "/user", &u); err != nil {
		return auth.ExternalIdentity{}, apperr.Wrap(apperr.Unavailable, err, "GitHub did not tell us who you are; try again later")
	}
	if u.ID == 0 {
		return auth.ExternalIdentity{}, apperr.New(apperr.Unavailable, "GitHub answered without an account ID; try again later")
	}
	id := auth.ExternalIdentity{Subject: strconv.FormatInt(u.ID, 10), Email: u.Email, Name: u.Name}
	if id.Name == "" {
		id.Name = u.Login
	}
	var emails []githubEmail
	err := p.githubGet(ctx, tok, "/user/emails", &emails)
	if err != nil && !errors.Is(err, errGitHubNoAccess) {
		return auth.ExternalIdentity{}, apperr.Wrap(apperr.Unavailable, err, "GitHub did not list your email addresses; try again later")
	}
	for _, e := range emails {
		if e.Primary && e.Verified {
			id.Email, id.EmailVerified = e.Email, true
		}
	}
	return id, nil
}

// githubGet GETs an API path with the user's token and decodes the JSON answer.
func (p *Provider) githubGet(ctx context.Context, tok *oauth2.Token, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.githubAPI+path, nil)
	if err != nil {
		return fmt.Errorf("github %s: %w", path, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("github %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxGitHubResponse))
	if err != nil {
		return fmt.Errorf("github %s: read: %w", path, err)
	}
	switch {
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("github %s: %s: %w", path, resp.Status, errGitHubNoAccess)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("github %s: %s", path, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("github %s: decode: %w", path, err)
	}
	return nil
}
