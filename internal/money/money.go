// Package money converts amounts between the two forms Luneo uses: integer
// minor units (cents), which is what the catalog stores and computes with so
// that no amount is ever rounded, and decimal text in the currency's major
// unit ("19.90"), which is what people type and read.
//
// How many minor digits a currency has comes from ISO 4217 (2 for EUR, 0 for
// JPY, 3 for BHD, 4 for CLF). The package knows nothing of HTTP or forms:
// callers decide how a refused amount is reported.
package money

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// DefaultDigits is the number of minor digits assumed for a code that is not
// an ISO 4217 currency, the most common scale, so that a stored amount in an
// unknown code still reads sensibly rather than failing.
const DefaultDigits = 2

// Digits returns how many digits of an amount in the currency code are minor
// units (2 for EUR, 0 for JPY, 3 for KWD), so that clients and forms put the
// decimal point where the currency does. Case and surrounding spaces are
// ignored; an unknown code has DefaultDigits.
func Digits(code string) int {
	u, err := currency.ParseISO(strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return DefaultDigits
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// The reasons Parse refuses an amount, for errors.Is: callers that map them
// to their own error kinds need not compare message text.
var (
	// ErrSyntax: the text is not an amount of the currency (letters, a sign
	// where none is allowed, more decimals than the currency has).
	ErrSyntax = errors.New("money: not an amount")
	// ErrRange: the amount does not fit in int64 minor units.
	ErrRange = errors.New("money: amount too large")
)

// ParseError is why Parse refused an amount. Its message is written to
// follow the name of the input it concerns ("price must be an amount such
// as 19.90, with at most 2 decimals"), so a form can show it next to that
// input as is; it wraps ErrSyntax or ErrRange.
type ParseError struct {
	// Reason is the message without a subject.
	Reason string
	err    error
}

// Error returns the reason, meant to follow the name of the input.
func (e *ParseError) Error() string { return e.Reason }

// Unwrap returns ErrSyntax or ErrRange.
func (e *ParseError) Unwrap() error { return e.err }

// amountPattern is an optional minus, at most 15 major digits (so that an
// amount stays far from int64's limit for the common currencies) and an
// optional fraction after a point or a comma, since both are decimal
// separators somewhere.
var amountPattern = regexp.MustCompile(`^(-?)(\d{1,15})(?:[.,](\d+))?$`)

// Parse reads an amount typed in the major unit of currency ("19.90",
// "19,9", " 19 ") into minor units (1990). signed allows negative amounts,
// which only price changes (variant deltas) may be. Exponents, thousands
// separators and more decimals than the currency has are refused rather
// than guessed at; the error is a *ParseError.
func Parse(s, currency string, signed bool) (int64, error) {
	digits := Digits(currency)
	m := amountPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[1] == "-" && !signed) || len(m[3]) > digits {
		example := Format(1990, digits)
		if signed {
			example += " or -" + Format(500, digits)
		}
		decimals := "without decimals"
		if digits > 0 {
			decimals = fmt.Sprintf("with at most %d decimals", digits)
		}
		return 0, &ParseError{Reason: fmt.Sprintf("must be an amount such as %s, %s", example, decimals), err: ErrSyntax}
	}
	n, err := strconv.ParseInt(m[2]+m[3]+strings.Repeat("0", digits-len(m[3])), 10, 64)
	if err != nil {
		return 0, &ParseError{Reason: "is too large", err: ErrRange}
	}
	if m[1] == "-" {
		n = -n
	}
	return n, nil
}

// Format writes an amount of minor units in the major unit with exactly
// digits decimals, the form Parse reads back: (1990, 2) → "19.90",
// (-50, 2) → "-0.50", (500, 0) → "500". It never rounds.
func Format(minor int64, digits int) string {
	neg := minor < 0
	u := uint64(minor)
	if neg {
		// Negating in uint64 also covers math.MinInt64, whose opposite
		// does not fit in an int64.
		u = -u
	}
	s := strconv.FormatUint(u, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
