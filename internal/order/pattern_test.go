package order

import (
	"strings"
	"testing"
)

// Patterns: only known placeholders, no path separators or "..", balanced
// braces; names come out sanitized and unique.
func TestPatterns(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{DefaultPattern, "{order}", "order-{order}_{design}-v{version}.{zone}", "Commande {order} {line}"} {
		if err := ValidatePattern(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for bad, why := range map[string]string{
		"":                            "required",
		"{order}/{line}":              "/",
		`{order}\{line}`:              "/",
		"../{order}":                  "..",
		"{order}..{line}":             "..",
		"{customer}":                  "unknown placeholder {customer}",
		"{order":                      "without its }",
		"order}":                      "without its {",
		"fixed-name":                  "at least one placeholder",
		"{order}\n{line}":             "control",
		strings.Repeat("{order}", 40): "at most",
	} {
		err := ValidatePattern(bad)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%q: %v, want an error saying %q", bad, err, why)
		}
	}
	v := fileVars{"order": "#1001", "line": "1", "sku": "../../etc/passwd", "zone": "Front / Back", "qty": "2"}
	if got := expand(DefaultPattern, v); strings.Contains(got, "..") || strings.ContainsAny(got, `/\ #`) || strings.HasPrefix(got, ".") {
		t.Errorf("expand = %q: not a safe file name", got)
	}
	if got := expand("{sku}", fileVars{"sku": "///"}); got != "file" {
		t.Errorf("an empty name = %q, want file", got)
	}
	if got := expand("{sku}", fileVars{"sku": strings.Repeat("é", 400)}); len([]rune(got)) != maxNameLen {
		t.Errorf("a long name has %d characters", len([]rune(got)))
	}
	n := names{"summary.json": true}
	if a, b, c := n.unique("x", ".png"), n.unique("x", ".png"), n.unique("X", ".png"); a != "x.png" || b != "x-2.png" || c != "X-3.png" {
		t.Errorf("unique names %s %s %s", a, b, c)
	}
	if got := n.unique("summary", ".json"); got != "summary-2.json" {
		t.Errorf("a file named like the summary = %s", got)
	}
	if got := cell("=HYPERLINK(1)"); got != "'=HYPERLINK(1)" {
		t.Errorf("cell = %q", got)
	}
}
