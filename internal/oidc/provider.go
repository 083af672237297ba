// Package oidc logs people in with an outside account: Google and any
// configured OpenID Connect provider (authorization code flow with PKCE and a
// nonce, identity taken from the verified ID token), and GitHub, which speaks
// plain OAuth 2.0 and is asked for the user and their verified email through
// its API. It proves who someone is at the provider and hands back an
// auth.ExternalIdentity; what that identity may do is the auth package's
// business, and the HTTP flow (state, cookies, redirects) is the web package's.
package oidc

import (
	"context"
	"net/http"
	"sync"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
)

// Kind is the protocol a provider speaks.
type Kind string

// The protocols Luneo can log in with.
const (
	KindOIDC   Kind = "oidc"   // OpenID Connect: discovery, ID token, JWKS
	KindGitHub Kind = "github" // GitHub's OAuth 2.0 plus its REST API
)

// Provider is one configured login provider. It is safe for concurrent use.
type Provider struct {
	name    string
	display string
	kind    Kind
	client  *http.Client

	// issuer is the OIDC issuer URL. Discovery against it is deferred to the
	// first login, so that start-up never depends on reaching the provider:
	// until then conf is nil and template holds the client settings that the
	// discovered endpoints complete. mu guards conf and verifier.
	issuer   string
	template oauth2.Config
	mu       sync.Mutex
	conf     *oauth2.Config
	verifier *gooidc.IDTokenVerifier

	// githubAPI is GitHub's REST API root ("https://api.github.com"); a
	// GitHub provider's conf is complete from the start.
	githubAPI string
}

// Name is the provider's key in URLs and in linked identities ("google",
// "github", "oidc").
func (p *Provider) Name() string { return p.name }

// Display is the name shown on buttons ("Google", "Single sign-on").
func (p *Provider) Display() string { return p.display }

// Kind is the protocol the provider speaks.
func (p *Provider) Kind() Kind { return p.kind }

// AuthCodeURL returns the provider's page where the user consents. state is
// echoed back to the callback; codeVerifier is the PKCE secret whose S256
// challenge goes into the URL (RFC 7636), so a stolen code is useless without
// it; nonce (OIDC only) must come back inside the ID token, which ties the
// token to this very login. The first call for an OIDC provider fetches its
// discovery document.
func (p *Provider) AuthCodeURL(ctx context.Context, state, nonce, codeVerifier string) (string, error) {
	if state == "" || codeVerifier == "" || (p.kind == KindOIDC && nonce == "") {
		return "", apperr.New(apperr.Internal, "a login needs a state, a nonce and a code verifier")
	}
	conf, err := p.config(ctx)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(codeVerifier)}
	if p.kind == KindOIDC {
		opts = append(opts, gooidc.Nonce(nonce))
	}
	return conf.AuthCodeURL(state, opts...), nil
}

// Exchange trades the code the callback received for the identity it proves.
// For OIDC the ID token is verified (signature against the provider's JWKS,
// issuer, audience, expiry) and must carry nonce; for GitHub the user and
// their primary verified email are read from the API.
func (p *Provider) Exchange(ctx context.Context, code, codeVerifier, nonce string) (auth.ExternalIdentity, error) {
	if code == "" {
		return auth.ExternalIdentity{}, apperr.New(apperr.Invalid, "%s sent no authorization code; start the login again", p.display)
	}
	conf, err := p.config(ctx)
	if err != nil {
		return auth.ExternalIdentity{}, err
	}
	tok, err := conf.Exchange(p.clientContext(ctx), code, oauth2.VerifierOption(codeVerifier))
	if err != nil {
		return auth.ExternalIdentity{}, apperr.Wrap(apperr.Unauthorized, err, "%s did not accept this login (it may have expired); start again", p.display)
	}
	var id auth.ExternalIdentity
	switch p.kind {
	case KindGitHub:
		id, err = p.githubIdentity(ctx, tok)
	default:
		id, err = p.idTokenIdentity(ctx, tok, nonce)
	}
	if err != nil {
		return auth.ExternalIdentity{}, err
	}
	id.Provider = p.name
	return id, nil
}

// clientContext carries our HTTP client to oauth2 and go-oidc, which take it
// from the context rather than as an argument.
func (p *Provider) clientContext(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, p.client)
}
