package dashboard

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/money"
	"github.com/luneo/luneo/internal/web/pagetest"
)

// TestProductPageEscapes renders the product page with hostile text and
// checks it is escaped and needs no inline script or style.
func TestProductPageEscapes(t *testing.T) {
	p, _ := pagetest.Templates(t, Templates())
	v := &productPage{}
	v.Product.Product.Name = `<script>alert(1)</script>`
	v.Product.Issues = nil
	w := httptest.NewRecorder()
	if err := p.Render(w, http.StatusOK, "product", v); err != nil {
		t.Fatal(err)
	}
	body := w.Body.String()
	if strings.Contains(body, "<script>alert") {
		t.Error("the product name was not escaped")
	}
	pagetest.CheckCSPSafe(t, "product", body)
	if !regexp.MustCompile(`<h1>&lt;script&gt;`).MatchString(body) {
		t.Error("the product name is not the heading")
	}
}

func TestAmounts(t *testing.T) {
	for _, c := range []struct {
		in       string
		currency string
		signed   bool
		want     int64
		ok       bool
	}{
		{"19.90", "EUR", false, 1990, true},
		{"19,9", "EUR", false, 1990, true},
		{"19", "EUR", false, 1900, true},
		{" 0.05 ", "usd", false, 5, true},
		{"1990", "JPY", false, 1990, true},
		{"19.9", "JPY", false, 0, false},
		{"1.234", "KWD", false, 1234, true},
		{"-2.50", "EUR", true, -250, true},
		{"-2.50", "EUR", false, 0, false},
		{"1.999", "EUR", false, 0, false},
		{"", "EUR", false, 0, false},
		{"1e3", "EUR", false, 0, false},
		{"12 000", "EUR", false, 0, false},
	} {
		got, err := parseAmount(c.in, "price", c.currency, c.signed)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseAmount(%q, %s, %v) = %d, %v", c.in, c.currency, c.signed, got, err)
		}
	}
	for _, c := range []struct {
		v      int64
		digits int
		want   string
	}{{1990, 2, "19.90"}, {5, 2, "0.05"}, {-50, 2, "-0.50"}, {0, 2, "0.00"}, {500, 0, "500"}, {1234, 3, "1.234"}} {
		if got := money.Format(c.v, c.digits); got != c.want {
			t.Errorf("money.Format(%d, %d) = %q, want %q", c.v, c.digits, got, c.want)
		}
	}
}
