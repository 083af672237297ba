package money

import (
	"errors"
	"math"
	"regexp"
	"testing"
)

func TestDigits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code string
		want int
	}{
		{"EUR", 2}, {"USD", 2}, {"usd", 2}, {" eur ", 2},
		{"JPY", 0}, {"ISK", 0}, {"CLP", 0},
		{"BHD", 3}, {"KWD", 3},
		{"CLF", 4},
		{"ABC", DefaultDigits}, {"", DefaultDigits}, {"EURO", DefaultDigits},
	} {
		if got := Digits(c.code); got != c.want {
			t.Errorf("Digits(%q) = %d, want %d", c.code, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in       string
		currency string
		signed   bool
		want     int64
		err      error
	}{
		// valid
		{"19.90", "EUR", false, 1990, nil},
		{"19,9", "EUR", false, 1990, nil},
		{"19", "EUR", false, 1900, nil},
		{" 0.05 ", "usd", false, 5, nil},
		{"0", "EUR", false, 0, nil},
		{"007.5", "EUR", false, 750, nil},
		{"1990", "JPY", false, 1990, nil},
		{"1.234", "KWD", false, 1234, nil},
		{"1.2", "BHD", false, 1200, nil},
		{"1.2345", "CLF", false, 12345, nil},
		{"19.9", "XYZ", false, 1990, nil},
		// signed
		{"-2.50", "EUR", true, -250, nil},
		{"-0", "EUR", true, 0, nil},
		{"-7", "JPY", true, -7, nil},
		{"-2.50", "EUR", false, 0, ErrSyntax},
		// invalid
		{"19.9", "JPY", false, 0, ErrSyntax},
		{"19.", "JPY", false, 0, ErrSyntax},
		{"1.999", "EUR", false, 0, ErrSyntax},
		{"1.2345", "BHD", false, 0, ErrSyntax},
		{"", "EUR", false, 0, ErrSyntax},
		{"-", "EUR", true, 0, ErrSyntax},
		{".5", "EUR", false, 0, ErrSyntax},
		{"+5", "EUR", false, 0, ErrSyntax},
		{"1e3", "EUR", false, 0, ErrSyntax},
		{"12 000", "EUR", false, 0, ErrSyntax},
		{"1,000.00", "EUR", false, 0, ErrSyntax},
		{"--5", "EUR", true, 0, ErrSyntax},
		{"٣", "EUR", false, 0, ErrSyntax},
		// limits: 15 major digits at most, and int64 minor units
		{"999999999999999.99", "EUR", false, 99999999999999999, nil},
		{"-999999999999999.99", "EUR", true, -99999999999999999, nil},
		{"1000000000000000", "EUR", false, 0, ErrSyntax},
		{"999999999999999", "JPY", false, 999999999999999, nil},
		{"922337203685477.5807", "CLF", false, math.MaxInt64, nil},
		{"922337203685477.5808", "CLF", false, 0, ErrRange},
		{"999999999999999.9999", "CLF", false, 0, ErrRange},
	} {
		got, err := Parse(c.in, c.currency, c.signed)
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("Parse(%q, %s, %v) = %d, %v; want %d, %v", c.in, c.currency, c.signed, got, err, c.want, c.err)
		}
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("Parse(%q): error %T is not a *ParseError", c.in, err)
		}
	}
}

// The messages are shown to people next to the input, after its name: they
// must stay word for word what the product forms have always said.
func TestParseMessages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, currency string
		signed       bool
		want         string
	}{
		{"x", "EUR", false, "must be an amount such as 19.90, with at most 2 decimals"},
		{"x", "EUR", true, "must be an amount such as 19.90 or -5.00, with at most 2 decimals"},
		{"1.5", "JPY", false, "must be an amount such as 1990, without decimals"},
		{"x", "JPY", true, "must be an amount such as 1990 or -500, without decimals"},
		{"x", "BHD", false, "must be an amount such as 1.990, with at most 3 decimals"},
		{"999999999999999", "CLF", false, "is too large"},
	} {
		_, err := Parse(c.in, c.currency, c.signed)
		if err == nil || err.Error() != c.want {
			t.Errorf("Parse(%q, %s, %v) error = %v, want %q", c.in, c.currency, c.signed, err, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v      int64
		digits int
		want   string
	}{
		{1990, 2, "19.90"}, {5, 2, "0.05"}, {-50, 2, "-0.50"}, {0, 2, "0.00"}, {-5, 2, "-0.05"},
		{500, 0, "500"}, {-500, 0, "-500"}, {0, 0, "0"},
		{1234, 3, "1.234"}, {1, 3, "0.001"}, {12345, 4, "1.2345"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
	} {
		if got := Format(c.v, c.digits); got != c.want {
			t.Errorf("Format(%d, %d) = %q, want %q", c.v, c.digits, got, c.want)
		}
	}
}

// canonical is what Format writes: no leading zeros, exactly digits decimals.
var canonical = map[int]*regexp.Regexp{
	0: regexp.MustCompile(`^-?(0|[1-9]\d*)$`),
	2: regexp.MustCompile(`^-?(0|[1-9]\d*)\.\d{2}$`),
	3: regexp.MustCompile(`^-?(0|[1-9]\d*)\.\d{3}$`),
	4: regexp.MustCompile(`^-?(0|[1-9]\d*)\.\d{4}$`),
}

// FuzzParse checks that whatever Parse accepts, Format writes in the
// canonical form and Parse reads back to the same amount, so a price shown
// in a form and sent again unchanged never changes.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"19.90", "19,9", " 0.05 ", "-2.50", "1990", "1.234", "1e3", "", "-0", "999999999999999.9999"} {
		for _, cur := range []string{"EUR", "JPY", "BHD", "CLF"} {
			f.Add(s, cur, true)
			f.Add(s, cur, false)
		}
	}
	f.Fuzz(func(t *testing.T, s, cur string, signed bool) {
		n, err := Parse(s, cur, signed)
		if err != nil {
			var pe *ParseError
			if n != 0 || !errors.As(err, &pe) || !(errors.Is(err, ErrSyntax) || errors.Is(err, ErrRange)) {
				t.Fatalf("Parse(%q, %q, %v) = %d, %v", s, cur, signed, n, err)
			}
			return
		}
		if n < 0 && !signed {
			t.Fatalf("Parse(%q, %q, false) = %d, negative", s, cur, n)
		}
		digits := Digits(cur)
		out := Format(n, digits)
		if re := canonical[digits]; re != nil && !re.MatchString(out) {
			t.Fatalf("Format(%d, %d) = %q, not canonical", n, digits, out)
		}
		back, err := Parse(out, cur, signed)
		if err != nil || back != n {
			t.Fatalf("Parse(Format(Parse(%q))) = Parse(%q) = %d, %v; want %d", s, out, back, err, n)
		}
	})
}
