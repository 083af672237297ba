// Package form is how the server-rendered pages take input: one Form type
// that a page shows again after a failed post (what was typed and what is
// wrong, field by field), the errors of services mapped onto its fields, and
// the one-line flash message a successful post leaves for the next page.
// The pages work without JavaScript: every POST either redirects (303, with
// a flash message) or re-renders its page with its Form.
package form

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Form is one HTML form as the page shows it again after a failed post.
type Form struct {
	// Name tells apart the forms of one page ("password", "mfa-disable").
	Name string
	// Values is what was typed, by field name. Passwords and codes are
	// never put back.
	Values map[string]string
	// Errors says what is wrong, by field name.
	Errors map[string]string
	// Error is the message about the form as a whole.
	Error string
}

// Named returns f when it is the form called name, or an empty form by that
// name, so errors only appear next to the form that was sent on pages with
// several.
func (f Form) Named(name string) Form {
	if f.Name == name {
		return f
	}
	return Form{Name: name}
}

// Field describes one input for the "field" partial.
type Field struct {
	ID, Name, Label, Type, Value, Error, Autocomplete, Hint string
}

// Field builds the input name of the form (typ is its HTML type), with its
// value and error. A password input never gets its value back.
func (f Form) Field(name, label, typ, autocomplete string) Field {
	fd := Field{ID: f.Name + "-" + name, Name: name, Label: label, Type: typ, Autocomplete: autocomplete,
		Value: f.Values[name], Error: f.Errors[name]}
	if typ == "password" {
		fd.Value = ""
	}
	return fd
}

// Value returns what was typed in field name.
func (f Form) Value(name string) string { return f.Values[name] }

// WithHint adds a help line under the input.
func (f Field) WithHint(hint string) Field {
	f.Hint = hint
	return f
}

// Values reads the named fields of a posted form.
func Values(r *http.Request, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = r.PostFormValue(n)
	}
	return out
}

// Failure turns the error of a form post into what the page shows next to
// the form, when it is something the user can fix by editing and sending
// again; ok is false for anything else (missing rights, unknown IDs, our own
// failures), which the caller returns to go through the error writer. also
// lists further codes the caller wants shown on the form.
func Failure(w http.ResponseWriter, err error, name string, values map[string]string, also ...apperr.Code) (Form, int, bool) {
	ae, isApp := apperr.As(err)
	if !isApp {
		return Form{}, 0, false
	}
	switch ae.Code {
	case apperr.Invalid, apperr.Unprocessable, apperr.Conflict, apperr.Unauthorized, apperr.RateLimited:
	default:
		if !slices.Contains(also, ae.Code) {
			return Form{}, 0, false
		}
	}
	httpx.RetryAfter(w, ae)
	return Form{Name: name, Values: values, Errors: ae.Fields, Error: Sentence(ae.Message)}, httpx.StatusOf(ae.Code), true
}

// RemapFields renames (or, given "", drops) the field keys of an apperr, so
// that errors a service reports about its own structure ("variants[2].sku")
// land next to the inputs of the form that was sent ("sku").
func RemapFields(err error, rename func(string) string) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Fields == nil {
		return err
	}
	out := *ae
	out.Fields = map[string]string{}
	for k, msg := range ae.Fields {
		if nk := rename(k); nk != "" {
			if _, dup := out.Fields[nk]; !dup {
				out.Fields[nk] = msg
			}
		}
	}
	return &out
}

// Invalid is the error of form values that cannot even be sent to the
// service (a price that is not a number).
func Invalid(fields map[string]string) error {
	keys := slices.Sorted(maps.Keys(fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + fields[k]
	}
	return &apperr.Error{Code: apperr.Invalid, Message: "please correct the form: " + strings.Join(parts, "; "), Fields: fields}
}

// Sentence capitalizes a message, which apperr keeps lowercase so it can
// also end a longer sentence, for showing on its own.
func Sentence(msg string) string {
	if msg == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[size:]
}
