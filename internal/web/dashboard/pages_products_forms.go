package dashboard

import (
	"github.com/luneo/luneo/internal/money"
	"github.com/luneo/luneo/internal/web/form"
)

// Form helpers of the product pages: inputs richer than the "field"
// partial, and amounts of money.

// Prices: the catalog counts minor units (cents); people type and read
// amounts in the currency's major unit ("19.90"). internal/money converts.

// parseAmount reads an amount typed in the major unit of currency into
// minor units; signed allows negative amounts (variant price changes). A
// refused amount is reported on the form's field input.
func parseAmount(s, field, currency string, signed bool) (int64, error) {
	n, err := money.Parse(s, currency, signed)
	if err != nil {
		return 0, form.Invalid(map[string]string{field: err.Error()})
	}
	return n, nil
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

// productForm is a form of the product pages: a form.Form whose inputs are
// built with Input.
type productForm struct{ form.Form }

// Input builds the required input name of the form, with its value and error.
func (f productForm) Input(name, label, typ string) Input {
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
func (i Input) InRow(formID string) Input {
	i.Form, i.HideLabel = formID, true
	return i
}
