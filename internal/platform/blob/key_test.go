package blob

import (
	"errors"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateKey(t *testing.T) {
	t.Parallel()
	good := []string{
		"a", "a/b", "brands/42/models/chair.glb", ".hidden", "a/..b", "a/b..", "...",
		"x=1+2@host_name-3", "modèles/é", "日本/模型.glb", strings.Repeat("k", MaxKeyLen),
	}
	for _, key := range good {
		if err := ValidateKey(key); err != nil {
			t.Errorf("ValidateKey(%q) = %v, want nil", key, err)
		}
	}
	// badKeys (conformance_test.go) covers what every backend must refuse;
	// these add cases that only matter to the rules themselves.
	bad := append([]string{"a/b/", "a/./b", "a\tb", "a\x7fb", "a:b", "a*b", "a\u200bb", "a\u00a0b"}, badKeys...)
	for _, key := range bad {
		if err := ValidateKey(key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidateKey(%q) = %v, want ErrInvalidKey", key, err)
		}
	}
}

func TestValidatePrefix(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"", "a", "a/", "a/b", "a/b/", "brands/4"} {
		if err := validatePrefix(p); err != nil {
			t.Errorf("validatePrefix(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range []string{"/", "a//", "/a", "../", "a/../", "a\\", "a/./", "a\x00"} {
		if err := validatePrefix(p); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("validatePrefix(%q) = %v, want ErrInvalidKey", p, err)
		}
	}
}

// FuzzValidateKey checks the property the FS backend relies on: any key that
// passes is a clean, local, relative path on every OS.
func FuzzValidateKey(f *testing.F) {
	for _, k := range append([]string{"a/b", "modèles/é", "a/..b"}, badKeys...) {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if ValidateKey(key) != nil {
			return
		}
		if !utf8.ValidString(key) || len(key) > MaxKeyLen {
			t.Fatalf("accepted %q: not UTF-8 or too long", key)
		}
		if path.Clean(key) != key || !filepath.IsLocal(key) || path.IsAbs(key) {
			t.Fatalf("accepted %q, which is not a clean local path", key)
		}
		if strings.ContainsAny(key, "\\\x00~") || strings.Contains(key, fsTmpDir) {
			t.Fatalf("accepted %q, which holds a forbidden character", key)
		}
	})
}
