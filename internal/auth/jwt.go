package auth

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Access tokens are JWTs signed with HS256 under a key derived from
// LUNEO_SECRET. We write the few lines of JWT ourselves rather than use a
// general library so that exactly one algorithm exists: the header's alg must
// be "HS256" and its kid one of ours, so "none" and algorithm switching
// (RS256 public key used as an HMAC key) cannot even be expressed.

// AccessTTL is the lifetime of an access token.
const AccessTTL = 15 * time.Minute

// Claims are what an access token says.
type Claims struct {
	Issuer    string `json:"iss"`
	Audience  string `json:"aud"`
	Subject   string `json:"sub"` // user ID
	SessionID string `json:"sid"`
	BrandID   string `json:"bid,omitempty"` // the brand the session acts for
	IssuedAt  int64  `json:"iat"`
	NotBefore int64  `json:"nbf"`
	ExpiresAt int64  `json:"exp"`
	ID        string `json:"jti"`
}

type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

// keyring signs with the current key and verifies with any known key, so the
// secret can rotate (old tokens live at most AccessTTL).
type keyring struct {
	current string
	keys    map[string][]byte
	issuer  string
}

const audience = "luneo-api"

// newKeyring derives one signing key per secret; the first is current.
func newKeyring(issuer string, secrets ...string) (*keyring, error) {
	return newKeyringFor("luneo access token v1", issuer, secrets...)
}

// newKeyringFor derives the keys of one purpose: each kind of token gets
// keys of its own (HKDF info), so a token of one kind never verifies as
// another even before its audience is read.
func newKeyringFor(purpose, issuer string, secrets ...string) (*keyring, error) {
	k := &keyring{keys: map[string][]byte{}, issuer: issuer}
	for i, s := range secrets {
		key, err := hkdf.Key(sha256.New, []byte(s), nil, purpose, 32)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(key)
		kid := hex.EncodeToString(sum[:6])
		k.keys[kid] = key
		if i == 0 {
			k.current = kid
		}
	}
	if k.current == "" {
		return nil, errors.New("no signing secret")
	}
	return k, nil
}

var b64url = base64.RawURLEncoding

func (k *keyring) sign(c Claims) (string, error) {
	c.Issuer, c.Audience = k.issuer, audience
	return k.signAny(c)
}

// signAny signs any JSON claims with the current key.
func (k *keyring) signAny(c any) (string, error) {
	h, _ := json.Marshal(jwtHeader{Alg: "HS256", Typ: "JWT", Kid: k.current})
	p, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signing := b64url.EncodeToString(h) + "." + b64url.EncodeToString(p)
	mac := hmac.New(sha256.New, k.keys[k.current])
	mac.Write([]byte(signing))
	return signing + "." + b64url.EncodeToString(mac.Sum(nil)), nil
}

// Token verification errors (wrapped in ErrInvalidToken).
var (
	ErrInvalidToken = errors.New("invalid access token")
	ErrExpiredToken = errors.New("access token expired")
)

func (k *keyring) verify(token string, now time.Time) (Claims, error) {
	var c Claims
	if err := k.verifyInto(token, &c); err != nil {
		return c, err
	}
	switch {
	case c.Issuer != k.issuer || c.Audience != audience:
		return c, fmt.Errorf("%w: wrong issuer or audience", ErrInvalidToken)
	case c.Subject == "" || c.SessionID == "":
		return c, fmt.Errorf("%w: missing subject", ErrInvalidToken)
	case now.Unix() >= c.ExpiresAt:
		return c, fmt.Errorf("%w: %w", ErrInvalidToken, ErrExpiredToken)
	case now.Unix()+30 < c.NotBefore: // 30 s of clock skew between servers
		return c, fmt.Errorf("%w: not valid yet", ErrInvalidToken)
	}
	return c, nil
}

// verifyInto checks a token's header (HS256, one of our key ids) and
// signature, then decodes its claims into c; what the claims must say is
// the caller's business.
func (k *keyring) verifyInto(token string, c any) error {
	if len(token) > 4096 {
		return fmt.Errorf("%w: too long", ErrInvalidToken)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%w: not a JWT", ErrInvalidToken)
	}
	hb, err := b64url.DecodeString(parts[0])
	if err != nil {
		return fmt.Errorf("%w: header encoding", ErrInvalidToken)
	}
	var h jwtHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return fmt.Errorf("%w: header", ErrInvalidToken)
	}
	if h.Alg != "HS256" {
		return fmt.Errorf("%w: algorithm %q is not accepted", ErrInvalidToken, h.Alg)
	}
	key, ok := k.keys[h.Kid]
	if !ok {
		return fmt.Errorf("%w: unknown key id", ErrInvalidToken)
	}
	sig, err := b64url.DecodeString(parts[2])
	if err != nil {
		return fmt.Errorf("%w: signature encoding", ErrInvalidToken)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return fmt.Errorf("%w: bad signature", ErrInvalidToken)
	}
	pb, err := b64url.DecodeString(parts[1])
	if err != nil || json.Unmarshal(pb, c) != nil {
		return fmt.Errorf("%w: claims", ErrInvalidToken)
	}
	return nil
}
