package oidc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// googleIssuer is Google's OpenID Connect issuer.
const googleIssuer = "https://accounts.google.com"

// defaultOIDCName is the button label of the generic provider when
// LUNEO_OIDC_NAME is not set.
const defaultOIDCName = "Single sign-on"

// Providers is the set of configured providers, in a fixed order (Google,
// GitHub, then the generic provider) so login pages list them the same way
// every time. A nil *Providers is an empty set.
type Providers struct {
	list []*Provider
}

// Names lists the configured providers' keys in display order.
func (ps *Providers) Names() []string {
	if ps == nil {
		return nil
	}
	names := make([]string, len(ps.list))
	for i, p := range ps.list {
		names[i] = p.name
	}
	return names
}

// Get returns the provider with key name.
func (ps *Providers) Get(name string) (*Provider, bool) {
	if ps == nil {
		return nil, false
	}
	for _, p := range ps.list {
		if p.name == name {
			return p, true
		}
	}
	return nil, false
}

// Option changes how FromEnv builds providers.
type Option func(*options)

type options struct {
	githubAuthURL, githubTokenURL, githubAPIURL string
}

// WithGitHubEndpoints points the GitHub provider at another GitHub: a GitHub
// Enterprise Server (https://HOST/login/oauth/authorize,
// https://HOST/login/oauth/access_token, https://HOST/api/v3) or a fake in
// tests. It is an option rather than a variable because nobody configuring
// github.com should ever have to think about it.
func WithGitHubEndpoints(authURL, tokenURL, apiURL string) Option {
	return func(o *options) {
		o.githubAuthURL, o.githubTokenURL, o.githubAPIURL = authURL, tokenURL, strings.TrimRight(apiURL, "/")
	}
}

// FromEnv builds the providers that the environment configures:
//
//	Google  LUNEO_GOOGLE_CLIENT_ID, LUNEO_GOOGLE_CLIENT_SECRET
//	GitHub  LUNEO_GITHUB_CLIENT_ID, LUNEO_GITHUB_CLIENT_SECRET
//	OIDC    LUNEO_OIDC_ISSUER, LUNEO_OIDC_CLIENT_ID, LUNEO_OIDC_CLIENT_SECRET,
//	        LUNEO_OIDC_NAME (button label, default "Single sign-on")
//
// A provider whose variables are only partly set is an error naming the
// missing ones; all such errors are reported together. Each provider's
// redirect URL is baseURL + "/auth/oidc/{name}/callback", which is what must
// be registered with the provider. FromEnv does no I/O (ctx is not used for
// any): OIDC discovery waits for the first login, so start-up never needs the
// internet. httpClient makes every call to the providers; nil means a client
// with a 15-second timeout.
func FromEnv(ctx context.Context, getenv func(string) string, baseURL string, httpClient *http.Client, opts ...Option) (*Providers, error) {
	o := options{githubAuthURL: githubAuthURL, githubTokenURL: githubTokenURL, githubAPIURL: githubAPIURL}
	for _, opt := range opts {
		opt(&o)
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	// set reports whether all of names are set; some but not all is an error.
	set := func(names ...string) bool {
		var missing, given []string
		for _, n := range names {
			if get(n) == "" {
				missing = append(missing, n)
			} else {
				given = append(given, n)
			}
		}
		if len(given) > 0 && len(missing) > 0 {
			bad(strings.Join(missing, ", "), "must be set too when %s is set (or unset them all to turn this login off)", strings.Join(given, ", "))
		}
		return len(missing) == 0
	}

	base := strings.TrimRight(baseURL, "/")
	ps := &Providers{}
	add := func(name, display string, kind Kind, scopes []string, idVar, secretVar string) *Provider {
		p := &Provider{name: name, display: display, kind: kind, client: httpClient}
		p.template = oauth2.Config{
			ClientID: get(idVar), ClientSecret: get(secretVar), Scopes: scopes,
			RedirectURL: base + "/auth/oidc/" + name + "/callback",
		}
		ps.list = append(ps.list, p)
		return p
	}
	oidcScopes := []string{"openid", "email", "profile"}
	if set("LUNEO_GOOGLE_CLIENT_ID", "LUNEO_GOOGLE_CLIENT_SECRET") {
		add("google", "Google", KindOIDC, oidcScopes, "LUNEO_GOOGLE_CLIENT_ID", "LUNEO_GOOGLE_CLIENT_SECRET").issuer = googleIssuer
	}
	if set("LUNEO_GITHUB_CLIENT_ID", "LUNEO_GITHUB_CLIENT_SECRET") {
		p := add("github", "GitHub", KindGitHub, []string{"read:user", "user:email"}, "LUNEO_GITHUB_CLIENT_ID", "LUNEO_GITHUB_CLIENT_SECRET")
		conf := p.template
		// GitHub takes the client credentials in the form; saying so saves
		// the failed first try that auto-detection would make.
		conf.Endpoint = oauth2.Endpoint{AuthURL: o.githubAuthURL, TokenURL: o.githubTokenURL, AuthStyle: oauth2.AuthStyleInParams}
		p.conf, p.githubAPI = &conf, o.githubAPIURL
	}
	if set("LUNEO_OIDC_ISSUER", "LUNEO_OIDC_CLIENT_ID", "LUNEO_OIDC_CLIENT_SECRET") {
		issuer := get("LUNEO_OIDC_ISSUER")
		if err := checkIssuer(issuer); err != nil {
			bad("LUNEO_OIDC_ISSUER", "%v", err)
		}
		display := get("LUNEO_OIDC_NAME")
		if display == "" {
			display = defaultOIDCName
		}
		add("oidc", display, KindOIDC, oidcScopes, "LUNEO_OIDC_CLIENT_ID", "LUNEO_OIDC_CLIENT_SECRET").issuer = issuer
	}
	if len(ps.list) > 0 {
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("external logins need an absolute base URL for their callbacks, not %q", baseURL))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("login providers:\n%w", err)
	}
	return ps, nil
}

// checkIssuer accepts https URLs, and http only on the loopback interface
// (a provider running beside Luneo in development or tests): over plain
// http anyone on the path could swap the provider's keys.
func checkIssuer(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute https:// URL", raw)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%q must use https:// (http is accepted only for localhost)", raw)
		}
	}
	return nil
}
