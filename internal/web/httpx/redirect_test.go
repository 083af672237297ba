package httpx

import "testing"

// TestSafeReturn: the classic open-redirect vectors, as the handler sees
// them (query and form values already decoded once).
func TestSafeReturn(t *testing.T) {
	t.Parallel()
	bad := []string{
		"", "//evil.example", "///evil.example", "/\\evil.example", "\\/\\/evil.example", "\\\\evil.example",
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example", "/\x00/evil.example", "/\x7f/evil.example",
		"/%09/evil.example", "/%0a/evil.example", "/%0D/evil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
		"%2F%2Fevil.example", "/%2F/evil.example", "/%2f%2fevil.example",
		"https://evil.example", "http:/evil.example", "HTTPS://evil.example/app", "javascript:alert(1)", "JavaScript:alert(1)",
		"data:text/html,hi", "evil.example", " /app", "\t/app",
		"/.//evil.example", "/./evil", "/../evil", "/app/../..//evil.example", "/%2e%2e//evil.example",
		"/app\xff", "/%ff",
	}
	for _, raw := range bad {
		if got, ok := SafeReturn(raw); ok || got != DefaultReturn {
			t.Errorf("SafeReturn(%q) = %q, %v; want %q, false", raw, got, ok, DefaultReturn)
		}
	}
	good := []string{"/app", "/app/team?x=1", "/app/products/p1#zones", "/app?return=//evil.example", "/@evil.example",
		"/app/products/caf%C3%A9", "/logout"}
	for _, raw := range good {
		if got, ok := SafeReturn(raw); !ok || got != raw {
			t.Errorf("SafeReturn(%q) = %q, %v; want it kept", raw, got, ok)
		}
	}
}
