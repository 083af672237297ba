package blob

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxKeyLen is the longest key in bytes. S3 allows 1024 bytes per object
// name, and the S3 backend prepends its prefix, so keys stay within that.
const MaxKeyLen = 1024

// ValidateKey reports, as a wrapped ErrInvalidKey, why key cannot name an
// object. The rules are strict on purpose: a key that passes maps to the same
// object on every backend, can never climb out of the store's folder or
// prefix, and needs no quoting in URLs, shells or file names.
//
// A key is 1 to MaxKeyLen bytes of valid UTF-8 made of '/'-separated segments.
// Segments are non-empty (so no leading, trailing or doubled '/'), are never
// "." or "..", and contain only letters, digits and the characters ._-=+@.
func ValidateKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: key is empty", ErrInvalidKey)
	}
	return checkPath(key, false)
}

// validatePrefix applies the key rules to a List prefix, which may also be
// empty (everything) or end with '/' (everything under a folder). A prefix
// may end inside a segment ("brands/4" matches "brands/42/x").
func validatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return checkPath(prefix, true)
}

// checkPath holds the rules shared by keys and prefixes.
func checkPath(p string, prefix bool) error {
	if len(p) > MaxKeyLen {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrInvalidKey, len(p), MaxKeyLen)
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidKey, p)
	}
	// Checking characters first gives the most precise message for the
	// common mistakes (backslash paths, NUL bytes) before segment rules.
	for i, r := range p {
		if !keyRune(r) {
			return fmt.Errorf("%w: %q has a forbidden character %q at byte %d", ErrInvalidKey, p, r, i)
		}
	}
	segs := strings.Split(p, "/")
	if prefix && strings.HasSuffix(p, "/") {
		// The empty segment after a trailing '/' is allowed for prefixes only.
		segs = segs[:len(segs)-1]
	}
	for i, s := range segs {
		switch s {
		case "":
			return fmt.Errorf("%w: %q has an empty segment (leading, trailing or doubled '/') at segment %d", ErrInvalidKey, p, i+1)
		case ".", "..":
			return fmt.Errorf("%w: %q has a %q segment", ErrInvalidKey, p, s)
		}
	}
	return nil
}

// keyRune reports whether r may appear in a key. Control characters, spaces,
// backslashes and quoting characters all fall outside this set.
func keyRune(r rune) bool {
	if r == '/' || unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	return strings.ContainsRune("._-=+@", r)
}
