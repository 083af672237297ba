package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/mergepatch"
)

// Patch is a JSON merge patch (RFC 7396) of the fields to change: members
// present replace their field, nested objects (a zone's rules) merge member
// by member, null removes a field (it takes its empty value, or fails the
// same checks as a create when the field is required), lists (a product's
// variants) are replaced whole, and absent fields keep their value. Unknown
// and read-only fields are refused.
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
	body, err := mergepatch.Apply(base, patch)
	if errors.Is(err, mergepatch.ErrTooDeep) {
		return zero, apperr.New(apperr.Invalid, "%v", err)
	} else if err != nil {
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
