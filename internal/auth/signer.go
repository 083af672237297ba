package auth

import "fmt"

// Signer signs and verifies the JWTs of another kind of token than staff
// access tokens (the widget's embed tokens), with the same single-algorithm
// code as access tokens but keys of their own derived from LUNEO_SECRET
// under a purpose label: an access token never verifies as an embed token,
// nor the reverse. Verify checks only the header and the signature; what
// the claims must say (audience, expiry) is the caller's rule.
type Signer struct{ k *keyring }

// NewSigner derives the keys of purpose (an HKDF label such as "luneo embed
// token v1") from the current secret and the previous ones, which still
// verify.
func NewSigner(purpose string, secrets ...string) (*Signer, error) {
	if purpose == "" {
		return nil, fmt.Errorf("signer: a purpose label is required")
	}
	k, err := newKeyringFor(purpose, "", secrets...)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	return &Signer{k: k}, nil
}

// Sign returns claims (any JSON value) as a signed HS256 JWT.
func (s *Signer) Sign(claims any) (string, error) { return s.k.signAny(claims) }

// Verify checks token's header and signature and decodes its claims into
// claims (a pointer); errors wrap ErrInvalidToken.
func (s *Signer) Verify(token string, claims any) error { return s.k.verifyInto(token, claims) }
