package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// newToken returns a random opaque token with a recognisable prefix
// ("lrt_" refresh tokens, "lk_" API keys…): 32 random bytes, base64url.
func newToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how opaque tokens are stored: SHA-256 is enough because the
// tokens carry 256 bits of entropy (no guessing to slow down).
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
