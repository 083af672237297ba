package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// Patch is a JSON object of the fields to change: a JSON merge patch
// (RFC 7396) applied at the top level. Each member present replaces that
// field whole (a list, such as a product's variants, is replaced by the new
// list), null resets the field to its empty value, and absent fields keep
// their value. Unknown and read-only fields are refused.
type Patch json.RawMessage

// apply returns cur with patch applied. The result is decoded strictly from
// the merged JSON, so the same type and unknown-field checks apply as on
// create.
func apply[T any](cur T, patch Patch) (T, error) {
	var zero T
	var changes map[string]json.RawMessage
	if err := json.Unmarshal(patch, &changes); err != nil || changes == nil {
		return zero, apperr.New(apperr.Invalid, "send the changes as a JSON object")
	}
	base, err := json.Marshal(cur)
	if err != nil {
		return zero, fmt.Errorf("patch: %w", err)
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(base, &merged); err != nil {
		return zero, fmt.Errorf("patch: %w", err)
	}
	for k, v := range changes {
		merged[k] = v
	}
	body, err := json.Marshal(merged)
	if err != nil {
		return zero, fmt.Errorf("patch: %w", err)
	}
	var out T
	if err := decodeStrict(body, &out); err != nil {
		return zero, err
	}
	return out, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields, with
// client-facing messages.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return apperr.New(apperr.Invalid, "field %q must be a %s", te.Field, te.Type)
	case errors.As(err, &se):
		return apperr.New(apperr.Invalid, "the body is not valid JSON (at byte %d)", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return apperr.New(apperr.Invalid, "%s (it does not exist or is read-only)", strings.TrimPrefix(err.Error(), "json: "))
	}
	return apperr.Wrap(apperr.Invalid, err, "the body could not be read as JSON")
}
