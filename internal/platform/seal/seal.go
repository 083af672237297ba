// Package seal encrypts small secrets at rest (TOTP seeds, Shopify access
// tokens, webhook signing secrets) with AES-256-GCM under keys derived from
// LUNEO_SECRET. Every sealed value names the key that sealed it, so a
// rotation is: set LUNEO_SECRET_PREVIOUS to the old secret and LUNEO_SECRET
// to the new one; values sealed under either open, new ones are sealed under
// the new one, and Reseal moves old values over.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ErrUnsealable is returned for a value no key of the ring opens: made under
// a secret that is gone, tampered with, or not a sealed value at all.
var ErrUnsealable = errors.New("sealed value cannot be opened with the configured secrets")

// key is one derived AES key and its public id.
type key struct {
	id   string
	aead cipher.AEAD
}

// Ring holds the current key (seals and opens) and, during a rotation, the
// previous one (opens only).
type Ring struct {
	current  key
	previous *key
}

// iterations of PBKDF2: the secrets are 32+ random characters, so this only
// adds cost to a dictionary attack on a weak one; it runs once per process.
const iterations = 100_000

// salt of the derivation; it was the auth package's before this package
// existed, and values it sealed ("v1.") still open.
const salt = "luneo sealed secrets v1"

// New derives the ring from the current secret and, when non-empty, the
// previous one.
func New(secret, previous string) (*Ring, error) {
	if secret == "" {
		return nil, errors.New("seal: empty secret")
	}
	cur, err := derive(secret)
	if err != nil {
		return nil, err
	}
	r := &Ring{current: cur}
	if previous != "" && previous != secret {
		p, err := derive(previous)
		if err != nil {
			return nil, err
		}
		r.previous = &p
	}
	return r, nil
}

func derive(secret string) (key, error) {
	raw, err := pbkdf2.Key(sha256.New, secret, []byte(salt), iterations, 32)
	if err != nil {
		return key{}, err
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return key{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, err
	}
	// The id is a MAC of a constant under the key: it names the key without
	// saying anything about it.
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("luneo seal key id"))
	return key{id: hex.EncodeToString(m.Sum(nil)[:4]), aead: aead}, nil
}

// KeyID is the id of the current key (what new values carry).
func (r *Ring) KeyID() string { return r.current.id }

// Seal encrypts plain under the current key. context binds the value to
// where it is stored (say "shopify token:shop.myshopify.com"): a value
// copied to another row does not open there. The result is
// "s2.<key id>.<base64(nonce|ciphertext)>".
func (r *Ring) Seal(plain []byte, context string) string {
	nonce := make([]byte, r.current.aead.NonceSize())
	_, _ = rand.Read(nonce)
	ct := r.current.aead.Seal(nonce, nonce, plain, []byte(context))
	return "s2." + r.current.id + "." + base64.RawStdEncoding.EncodeToString(ct)
}

// Open decrypts a value made by Seal (with the same context) under the
// current or the previous key, or a legacy "v1." value (no key id, no
// context) under either.
func (r *Ring) Open(sealed, context string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(sealed, "v1."); ok {
		for _, k := range r.keys() {
			if plain, err := open(k, rest, ""); err == nil {
				return plain, nil
			}
		}
		return nil, ErrUnsealable
	}
	rest, ok := strings.CutPrefix(sealed, "s2.")
	if !ok {
		return nil, fmt.Errorf("%w: unknown format", ErrUnsealable)
	}
	id, body, ok := strings.Cut(rest, ".")
	if !ok {
		return nil, fmt.Errorf("%w: no key id", ErrUnsealable)
	}
	for _, k := range r.keys() {
		if k.id == id {
			plain, err := open(k, body, context)
			if err != nil {
				return nil, ErrUnsealable
			}
			return plain, nil
		}
	}
	return nil, fmt.Errorf("%w: key %s is neither LUNEO_SECRET's nor LUNEO_SECRET_PREVIOUS's", ErrUnsealable, id)
}

// Stale reports whether sealed was made under a key other than the current
// one (a rotation's leftovers, to Reseal).
func (r *Ring) Stale(sealed string) bool {
	return !strings.HasPrefix(sealed, "s2."+r.current.id+".")
}

// Reseal opens sealed and seals it again under the current key.
func (r *Ring) Reseal(sealed, context string) (string, error) {
	plain, err := r.Open(sealed, context)
	if err != nil {
		return "", err
	}
	return r.Seal(plain, context), nil
}

func (r *Ring) keys() []key {
	if r.previous == nil {
		return []key{r.current}
	}
	return []key{r.current, *r.previous}
}

// open decodes strictly: the last base64 character carries unused bits, and a
// lenient decoder would accept several spellings of one sealed value, so a
// changed character could still open.
func open(k key, b64, context string) ([]byte, error) {
	raw, err := base64.RawStdEncoding.Strict().DecodeString(b64)
	if err != nil || len(raw) < k.aead.NonceSize()+k.aead.Overhead() {
		return nil, ErrUnsealable
	}
	n := k.aead.NonceSize()
	var ad []byte
	if context != "" {
		ad = []byte(context)
	}
	return k.aead.Open(nil, raw[:n], raw[n:], ad)
}
