package order

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
)

// DefaultPattern names production files when the brand set none: the
// order, the line, the SKU, the zone and the quantity, e.g.
// "1001-1-MUG-L-front-x2.png".
const DefaultPattern = "{order}-{line}-{sku}-{zone}-x{qty}"

// MaxPatternLen is the longest pattern in characters.
const MaxPatternLen = 200

// maxNameLen bounds a file name before its extension.
const maxNameLen = 150

// Placeholders are the names a pattern may use, each between braces.
var Placeholders = []string{"order", "line", "sku", "zone", "qty", "design", "version", "product", "variant"}

// ValidatePattern checks a brand's file-name pattern: only known
// placeholders, balanced braces, no path separators or "..", and at least
// one placeholder (a fixed name would make every file a duplicate).
func ValidatePattern(p string) error {
	if strings.TrimSpace(p) == "" {
		return apperr.New(apperr.Invalid, "the file name pattern is required")
	}
	if !utf8.ValidString(p) || utf8.RuneCountInString(p) > MaxPatternLen {
		return apperr.New(apperr.Invalid, "the file name pattern must be at most %d characters", MaxPatternLen)
	}
	if strings.ContainsAny(p, `/\`) || strings.Contains(p, "..") {
		return apperr.New(apperr.Invalid, "the file name pattern must not contain /, \\ or ..")
	}
	if strings.ContainsFunc(p, unicode.IsControl) {
		return apperr.New(apperr.Invalid, "the file name pattern must not contain control characters")
	}
	n := 0
	for rest := p; rest != ""; {
		open, close := strings.IndexByte(rest, '{'), strings.IndexByte(rest, '}')
		switch {
		case open < 0 && close < 0:
			rest = ""
		case open < 0 || (close >= 0 && close < open):
			return apperr.New(apperr.Invalid, "the file name pattern has a } without its {")
		case close < 0:
			return apperr.New(apperr.Invalid, "the file name pattern has a { without its }")
		default:
			name := rest[open+1 : close]
			if !known(name) {
				return apperr.New(apperr.Invalid, "unknown placeholder {%s}: use %s", name, placeholderList())
			}
			n++
			rest = rest[close+1:]
		}
	}
	if n == 0 {
		return apperr.New(apperr.Invalid, "the file name pattern needs at least one placeholder, such as {order} or {line}")
	}
	return nil
}

func known(name string) bool {
	for _, p := range Placeholders {
		if p == name {
			return true
		}
	}
	return false
}

func placeholderList() string {
	out := make([]string, len(Placeholders))
	for i, p := range Placeholders {
		out[i] = "{" + p + "}"
	}
	return strings.Join(out, " ")
}

// fileVars are the values of a pattern's placeholders for one file.
type fileVars map[string]string

// expand fills a (validated) pattern and sanitizes the result into a safe
// file name without extension: letters, digits, '.', '-' and '_' only
// (anything else becomes '_'), no leading dots, never empty.
func expand(pattern string, v fileVars) string {
	var b strings.Builder
	for rest := pattern; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		close := strings.IndexByte(rest[open:], '}')
		if close < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:open])
		b.WriteString(v[rest[open+1:open+close]])
		rest = rest[open+close+1:]
	}
	return sanitize(b.String())
}

// sanitize makes s a safe file name part (see expand).
func sanitize(s string) string {
	var b strings.Builder
	last := rune(0)
	for _, r := range s {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.'
		if !ok {
			r = '_'
		}
		if (r == '_' || r == '.') && last == r {
			continue // no "__" runs, and never ".."
		}
		b.WriteRune(r)
		last = r
	}
	out := strings.Trim(b.String(), "._-")
	for utf8.RuneCountInString(out) > maxNameLen {
		_, size := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-size]
	}
	if out == "" {
		out = "file"
	}
	return out
}

// names hands out unique file names in one ZIP: a name already taken gets
// "-2", "-3", … before its extension.
type names map[string]bool

func (n names) unique(base, ext string) string {
	name := base + ext
	for i := 2; n[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s-%d%s", base, i, ext)
	}
	n[strings.ToLower(name)] = true
	return name
}
