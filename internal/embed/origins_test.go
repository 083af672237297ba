package embed

import (
	"fmt"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

func TestNormalizeOrigins(t *testing.T) {
	got, err := NormalizeOrigins([]string{"HTTPS://Shop.Example.COM/", "https://shop.example.com:443", "https://shop.example.com:8443",
		" https://b.example ", "https://[2001:DB8::1]:444"}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://[2001:db8::1]:444 https://b.example https://shop.example.com https://shop.example.com:8443"
	if strings.Join(got, " ") != want {
		t.Fatalf("normalised = %q, want %q", strings.Join(got, " "), want)
	}
	dev, err := NormalizeOrigins([]string{"http://localhost:3000", "http://127.0.0.1:80", "http://[::1]:8080"}, true)
	if err != nil || strings.Join(dev, " ") != "http://127.0.0.1 http://[::1]:8080 http://localhost:3000" {
		t.Fatalf("dev loopback = %q, %v", dev, err)
	}
	if got, err := NormalizeOrigins(nil, false); err != nil || len(got) != 0 {
		t.Fatalf("empty list = %q, %v", got, err)
	}
}

func TestNormalizeOriginsRefusals(t *testing.T) {
	for _, c := range []struct {
		in  string
		dev bool
	}{
		{"http://shop.example", true}, {"http://localhost:3000", false}, {"http://127.0.0.2", true},
		{"https://shop.example/path", false}, {"https://shop.example?q=1", false}, {"https://shop.example#f", false},
		{"https://user@shop.example", false}, {"ftp://shop.example", false}, {"shop.example", false},
		{"https://*.example", false}, {"", false}, {"javascript:alert(1)", false}, {"https://", false},
		{"https://" + strings.Repeat("a", 400), false}, {"null", false},
	} {
		_, err := NormalizeOrigins([]string{"https://ok.example", c.in}, c.dev)
		if apperr.CodeOf(err) != apperr.Unprocessable {
			t.Errorf("%q (dev %v): err = %v, want unprocessable", c.in, c.dev, err)
			continue
		}
		if c.in != "" && len(c.in) < 80 && !strings.Contains(err.Error(), fmt.Sprintf("%q", c.in)) {
			t.Errorf("%q: the message %q does not name the entry", c.in, err)
		}
	}
	many := make([]string, MaxOrigins+1)
	for i := range many {
		many[i] = fmt.Sprintf("https://s%d.example", i)
	}
	if _, err := NormalizeOrigins(many, false); apperr.CodeOf(err) != apperr.Unprocessable {
		t.Fatalf("%d origins: %v", len(many), err)
	}
	if _, err := NormalizeOrigins(many[:MaxOrigins], false); err != nil {
		t.Fatalf("%d origins: %v", MaxOrigins, err)
	}
}
