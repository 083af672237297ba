package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
)

// config returns the complete oauth2 configuration, discovering an OIDC
// provider's endpoints and keys on first use. A failed discovery is not
// remembered: the next login tries again, so a provider that was down at the
// first attempt does not stay broken until a restart.
func (p *Provider) config(ctx context.Context) (*oauth2.Config, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conf != nil {
		return p.conf, nil
	}
	// The client in the context is kept by go-oidc for the JWKS fetches that
	// later verifications make, so they use our client (and its timeout) too.
	found, err := gooidc.NewProvider(p.clientContext(ctx), p.issuer)
	if err != nil {
		return nil, apperr.Wrap(apperr.Unavailable, fmt.Errorf("discover %s: %w", p.issuer, err),
			"%s cannot be reached right now; try again later or log in another way", p.display)
	}
	conf := p.template
	conf.Endpoint = found.Endpoint()
	p.verifier = found.Verifier(&gooidc.Config{ClientID: conf.ClientID})
	p.conf = &conf
	return p.conf, nil
}

// idTokenClaims are the ID token claims Luneo reads beyond the registered ones.
type idTokenClaims struct {
	Email             string   `json:"email"`
	EmailVerified     flexBool `json:"email_verified"`
	Name              string   `json:"name"`
	PreferredUsername string   `json:"preferred_username"`
}

// idTokenIdentity verifies the ID token of an OIDC token response and reads
// the identity from it. Only the ID token is trusted: it is signed by the
// provider and addressed to us, while the userinfo endpoint would add a round
// trip for claims that standard providers already put in the token.
func (p *Provider) idTokenIdentity(ctx context.Context, tok *oauth2.Token, nonce string) (auth.ExternalIdentity, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return auth.ExternalIdentity{}, apperr.New(apperr.Unauthorized, "%s answered without an ID token; check that the client is set up for OpenID Connect", p.display)
	}
	p.mu.Lock()
	verifier := p.verifier
	p.mu.Unlock()
	idt, err := verifier.Verify(p.clientContext(ctx), raw)
	if err != nil {
		return auth.ExternalIdentity{}, apperr.Wrap(apperr.Unauthorized, err, "the ID token from %s could not be verified; start the login again", p.display)
	}
	// go-oidc leaves the nonce to us. Comparing it is what stops an ID token
	// issued for another login (replayed or injected) from being accepted.
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return auth.ExternalIdentity{}, apperr.New(apperr.Unauthorized, "the ID token from %s belongs to another login; start again", p.display)
	}
	var c idTokenClaims
	if err := idt.Claims(&c); err != nil {
		return auth.ExternalIdentity{}, apperr.Wrap(apperr.Unauthorized, err, "the ID token from %s has unreadable claims", p.display)
	}
	name := c.Name
	if name == "" {
		name = c.PreferredUsername
	}
	return auth.ExternalIdentity{Subject: idt.Subject, Email: c.Email, EmailVerified: bool(c.EmailVerified), Name: name}, nil
}

// flexBool reads a JSON boolean, or the strings "true" and "false" that some
// providers send for email_verified.
type flexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case bool:
		*b = flexBool(t)
	case string:
		*b = flexBool(strings.EqualFold(t, "true"))
	case nil:
		*b = false
	default:
		return fmt.Errorf("email_verified: %s is not a boolean", data)
	}
	return nil
}
