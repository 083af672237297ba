package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/luneo/luneo/internal/apperr"
)

// Argon2id parameters (RFC 9106 "second recommended" family, sized for a
// small server): 19 MiB of memory, 2 passes, 1 lane. On the 2-core build
// machine one hash takes about 25 ms (see bench/ and BenchmarkHashPassword),
// so a login costs one hash and a burst of 20 concurrent logins stays under
// half a second; memory-hardness is what makes GPU guessing expensive.
// Hashes record their parameters, so raising them later only affects new
// hashes (and Verify reports when a stored hash should be upgraded).
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16

	// MinPasswordLen is the shortest accepted password (NIST SP 800-63B).
	MinPasswordLen = 10
	// MaxPasswordLen bounds the work an attacker can make us do per guess.
	MaxPasswordLen = 256
)

//go:embed common-passwords.txt
var commonPasswordList string

// passwordPolicy rejects short, overlong and commonly used passwords.
type passwordPolicy struct{ common map[string]bool }

func newPasswordPolicy() *passwordPolicy {
	p := &passwordPolicy{common: map[string]bool{}}
	s := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for s.Scan() {
		if w := strings.TrimSpace(s.Text()); w != "" && !strings.HasPrefix(w, "#") {
			p.common[strings.ToLower(w)] = true
		}
	}
	return p
}

// check returns an apperr.Invalid on the "password" field, or nil.
func (p *passwordPolicy) check(password, email string) error {
	msg := ""
	n := utf8.RuneCountInString(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case n < MinPasswordLen:
		msg = fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		msg = fmt.Sprintf("must be at most %d bytes", MaxPasswordLen)
	case p.common[strings.ToLower(password)]:
		msg = "is one of the most commonly used passwords; choose another"
	case local != "" && strings.EqualFold(password, local):
		msg = "must not be your email address"
	}
	if msg == "" {
		return nil
	}
	return &apperr.Error{Code: apperr.Invalid, Message: "the password is not acceptable: " + msg,
		Fields: map[string]string{"password": msg}}
}

// hashCost is the Argon2id work of new hashes: memory in KiB and passes.
type hashCost struct{ memoryKiB, passes uint32 }

// cost is the work of new hashes: the production parameters, or, with
// Config.WeakPasswordHashesForTests, 64 KiB and one pass, for test harnesses
// that register hundreds of accounts to test the web layer, not the hash
// (a fraction of a millisecond instead of 25 ms, and no 19 MiB per hash
// when tests run in parallel).
func (c Config) cost() hashCost {
	if c.WeakPasswordHashesForTests {
		return hashCost{memoryKiB: 64, passes: 1}
	}
	return hashCost{memoryKiB: argonMemoryKiB, passes: argonTime}
}

// hashPassword returns a PHC-format Argon2id hash of the given cost (the
// hash records it, so verification needs no configuration).
func hashPassword(password string, c hashCost) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, c.passes, c.memoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memoryKiB, c.passes, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// verifyPassword checks password against a PHC Argon2id hash in constant time.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil || mem > 1<<21 || iter > 20 || threads == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
