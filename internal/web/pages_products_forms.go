package web

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
)

// Form helpers of the product pages: inputs richer than the "field"
// partial, amounts of money, and service errors mapped onto form fields.

// remapFields renames (or, given "", drops) the field keys of an apperr, so
// that errors a service reports about its own structure ("variants[2].sku")
// land next to the inputs of the form that was sent ("sku").
func remapFields(err error, rename func(string) string) error {
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

// postValues reads the named fields of a posted form.
func postValues(r *http.Request, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = r.PostFormValue(n)
	}
	return out
}

// invalidFields is the error of form values that cannot even be sent to
// the service (a price that is not a number).
func invalidFields(fields map[string]string) error {
	keys := slices.Sorted(maps.Keys(fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + fields[k]
	}
	return &apperr.Error{Code: apperr.Invalid, Message: "please correct the form: " + strings.Join(parts, "; "), Fields: fields}
}

// Prices: the catalog counts minor units (cents); people type and read
// amounts in the currency's major unit ("19.90").

var amountPattern = regexp.MustCompile(`^(-?)(\d{1,15})(?:[.,](\d+))?$`)

// parseAmount reads an amount typed in the major unit of currency into
// minor units; signed allows negative amounts (variant price changes).
func parseAmount(s, field, currency string, signed bool) (int64, error) {
	digits := catalog.MinorDigits(strings.ToUpper(strings.TrimSpace(currency)))
	m := amountPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[1] == "-" && !signed) || len(m[3]) > digits {
		example := formatMinor(1990, digits)
		if signed {
			example += " or -" + formatMinor(500, digits)
		}
		decimals := "without decimals"
		if digits > 0 {
			decimals = fmt.Sprintf("with at most %d decimals", digits)
		}
		return 0, invalidFields(map[string]string{field: fmt.Sprintf("must be an amount such as %s, %s", example, decimals)})
	}
	n, err := strconv.ParseInt(m[2]+m[3]+strings.Repeat("0", digits-len(m[3])), 10, 64)
	if err != nil {
		return 0, invalidFields(map[string]string{field: "is too large"})
	}
	if m[1] == "-" {
		n = -n
	}
	return n, nil
}

// formatMinor writes an amount of minor units in the major unit:
// (1990, 2) → "19.90", (-50, 2) → "-0.50", (500, 0) → "500".
func formatMinor(v int64, digits int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
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

// Input is one input of the product forms, for the "product-input" partial
// (templates/partials/product_form.html). Unlike Field it can be optional,
// numeric, or belong to a form elsewhere on the page (the inputs of a table
// row, whose form sits in the row's last cell).
type Input struct {
	ID, Name, Label, Type, Value, Error, Hint string
	Required                                  bool
	// Mode is the inputmode ("decimal"), Step, Min and Max the number bounds.
	Mode, Step, Min, Max string
	// Form is the id of the form the input belongs to, when it is outside it.
	Form string
	// HideLabel keeps the label for screen readers only (table rows have
	// column headers).
	HideLabel bool
}

// Input builds the required input name of the form, with its value and error.
func (f Form) Input(name, label, typ string) Input {
	return Input{ID: f.Name + "-" + name, Name: name, Label: label, Type: typ, Value: f.Values[name],
		Error: f.Errors[name], Required: true}
}

// Optional makes the input optional.
func (i Input) Optional() Input {
	i.Required = false
	return i
}

// WithHint adds a help line under the input.
func (i Input) WithHint(hint string) Input {
	i.Hint = hint
	return i
}

// Amount makes the input take an amount of money.
func (i Input) Amount() Input {
	i.Mode = "decimal"
	return i
}

// Number makes the input a number input with the given step and bounds
// ("" leaves one out).
func (i Input) Number(step, min, max string) Input {
	i.Type, i.Step, i.Min, i.Max = "number", step, min, max
	return i
}

// InRow makes the input part of the form with the given id, labelled for
// screen readers only.
func (i Input) InRow(form string) Input {
	i.Form, i.HideLabel = form, true
	return i
}
