package catalog

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"github.com/luneo/luneo/internal/apperr"
)

// problems collects what is wrong with an input, field by field, so one
// answer lists every mistake instead of the first one only.
type problems map[string]string

// add records a problem with field, keeping the first one per field.
func (p problems) add(field, format string, args ...any) {
	if _, dup := p[field]; !dup {
		p[field] = fmt.Sprintf(format, args...)
	}
}

// err returns nil when nothing is wrong, otherwise an apperr.Invalid whose
// message names every field (so clients that only show the message still
// say what to fix) and whose Fields carry them one by one.
func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + p[k]
	}
	return &apperr.Error{Code: apperr.Invalid, Message: what + ": " + strings.Join(parts, "; "), Fields: map[string]string(p)}
}

// checkText trims s and checks its length in characters and that it holds no
// control characters (which have no place in names shown to shoppers).
func checkText(p problems, field string, s *string, min, max int) {
	*s = strings.TrimSpace(*s)
	n := utf8.RuneCountInString(*s)
	switch {
	case !utf8.ValidString(*s):
		p.add(field, "must be valid UTF-8")
	case n < min && min == 1:
		p.add(field, "is required")
	case n < min || n > max:
		p.add(field, "must be %d to %d characters", min, max)
	case strings.ContainsFunc(*s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		p.add(field, "must not contain control characters")
	}
}

// checkSKU checks an optional stock-keeping unit: up to 64 characters on
// one line.
func checkSKU(p problems, field string, s *string) {
	checkText(p, field, s, 0, 64)
	if strings.ContainsAny(*s, "\n\t") {
		p.add(field, "must be on one line")
	}
}

var hexColour = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// NormHex returns a colour as lowercase #rrggbb, accepting #rgb and
// #RRGGBB: the one spelling zones and designs store, so they compare equal.
func NormHex(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !hexColour.MatchString(s) {
		return "", false
	}
	s = strings.ToLower(s)
	if len(s) == 4 {
		s = "#" + strings.Repeat(s[1:2], 2) + strings.Repeat(s[2:3], 2) + strings.Repeat(s[3:4], 2)
	}
	return s, true
}

// normCurrency returns an ISO 4217 code in upper case, or false when the
// code is not a currency.
func normCurrency(s string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if len(code) != 3 {
		return "", false
	}
	if _, err := currency.ParseISO(code); err != nil {
		return "", false
	}
	return code, true
}

// checkNames trims a list of names, checks each and refuses duplicates
// (ignoring case), and returns the cleaned list (never nil).
func checkNames(p problems, field string, in []string, maxItems, maxLen int) []string {
	if len(in) > maxItems {
		p.add(field, "may hold at most %d entries", maxItems)
		return []string{}
	}
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for i, s := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		checkText(p, f, &s, 1, maxLen)
		if seen[strings.ToLower(s)] {
			p.add(f, "repeats %q", s)
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	return out
}

// checkColours normalises a list of hex colours and refuses duplicates.
func checkColours(p problems, field string, in []string, maxItems int) []string {
	if len(in) > maxItems {
		p.add(field, "may hold at most %d colours", maxItems)
		return []string{}
	}
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for i, c := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		h, ok := NormHex(c)
		switch {
		case !ok:
			p.add(f, "must be a hex colour such as #ff0000, not %q", c)
		case seen[h]:
			p.add(f, "repeats %s", h)
		}
		seen[h] = true
		out = append(out, h)
	}
	return out
}
