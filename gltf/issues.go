package gltf

import (
	"fmt"
	"strings"
)

// Severity ranks an Issue. The values match the Khronos glTF-Validator's
// (0 error, 1 warning, 2 information, 3 hint) so reports compare directly.
type Severity int

// Severities, most serious first.
const (
	SeverityError Severity = iota
	SeverityWarning
	SeverityInfo
	SeverityHint
)

// String returns "error", "warning", "info" or "hint".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	}
	return "hint"
}

// MarshalText writes the severity as its name, so API output reads well.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Issue is one problem found in an asset. Code is a stable identifier (the
// Khronos validator's code where one exists); Pointer is a JSON pointer into
// the glTF JSON ("/meshes/0/primitives/1/attributes/POSITION"), empty for
// problems of the binary container, which carry a byte Offset instead.
type Issue struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Pointer  string   `json:"pointer,omitempty"`
	Offset   *int64   `json:"offset,omitempty"`
	Message  string   `json:"message"`
}

// String formats the issue for logs and error messages.
func (i Issue) String() string {
	where := i.Pointer
	if where == "" && i.Offset != nil {
		where = fmt.Sprintf("byte %d", *i.Offset)
	}
	if where == "" {
		return fmt.Sprintf("%s %s: %s", i.Severity, i.Code, i.Message)
	}
	return fmt.Sprintf("%s %s at %s: %s", i.Severity, i.Code, where, i.Message)
}

// Report is the list of issues found in an asset.
type Report struct {
	Issues []Issue `json:"issues"`
	// Truncated is set when more issues were found than Report keeps
	// (maxIssues): a hostile file must not make the report itself huge.
	Truncated bool `json:"truncated,omitempty"`
}

// maxIssues bounds the number of issues kept per severity.
const maxIssues = 200

// NumErrors counts the issues of severity error.
func (r *Report) NumErrors() int { return r.count(SeverityError) }

// NumWarnings counts the issues of severity warning.
func (r *Report) NumWarnings() int { return r.count(SeverityWarning) }

// HasErrors reports whether the asset must be refused.
func (r *Report) HasErrors() bool { return r.count(SeverityError) > 0 }

func (r *Report) count(s Severity) int {
	n := 0
	for _, i := range r.Issues {
		if i.Severity == s {
			n++
		}
	}
	return n
}

// add appends an issue, keeping at most maxIssues of each severity.
func (r *Report) add(i Issue) {
	if r.count(i.Severity) >= maxIssues {
		r.Truncated = true
		return
	}
	r.Issues = append(r.Issues, i)
}

// addf adds an issue at a JSON pointer.
func (r *Report) addf(sev Severity, code, pointer, format string, args ...any) {
	r.add(Issue{Code: code, Severity: sev, Pointer: pointer, Message: fmt.Sprintf(format, args...)})
}

// addAt adds an issue at a byte offset of the container.
func (r *Report) addAt(sev Severity, code string, offset int64, format string, args ...any) {
	r.add(Issue{Code: code, Severity: sev, Offset: &offset, Message: fmt.Sprintf(format, args...)})
}

// merge appends every issue of o.
func (r *Report) merge(o Report) {
	for _, i := range o.Issues {
		r.add(i)
	}
	r.Truncated = r.Truncated || o.Truncated
}

// Errors returns only the issues of severity error.
func (r *Report) Errors() []Issue {
	var out []Issue
	for _, i := range r.Issues {
		if i.Severity == SeverityError {
			out = append(out, i)
		}
	}
	return out
}

// ValidationError is returned by the readers when an asset has at least one
// error-level issue. Report holds every issue found (warnings too).
type ValidationError struct {
	Report Report
}

// Error summarises the first few errors in one line, since it often ends up
// in an API response; the full list is in Report.
func (e *ValidationError) Error() string {
	errs := e.Report.Errors()
	var b strings.Builder
	fmt.Fprintf(&b, "invalid glTF: %d error(s)", len(errs))
	for i, is := range errs {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(errs)-3)
			break
		}
		b.WriteString("; ")
		b.WriteString(is.String())
	}
	return b.String()
}

// ptr builds a JSON pointer from path segments, escaping '~' and '/'
// per RFC 6901 (attribute names and extension names may contain them).
func ptr(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteByte('/')
		switch v := p.(type) {
		case string:
			if strings.ContainsAny(v, "~/") {
				v = strings.ReplaceAll(strings.ReplaceAll(v, "~", "~0"), "/", "~1")
			}
			b.WriteString(v)
		case int:
			fmt.Fprint(&b, v)
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

// escapeKey escapes one JSON pointer segment (RFC 6901).
func escapeKey(k string) string {
	if !strings.ContainsAny(k, "~/") {
		return k
	}
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}
