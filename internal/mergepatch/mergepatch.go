// Package mergepatch applies JSON Merge Patch documents (RFC 7396), the
// format PATCH requests use: an object patch merges into the target member
// by member, nested objects merge recursively, a null member removes the
// member, and anything else (arrays included) replaces the target's value.
//
// It works on raw JSON so callers can decode the merged result strictly into
// their own types, with the same checks as a create.
package mergepatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MaxDepth bounds how deeply nested a patch may be. Our documents are a few
// levels deep; the bound keeps a hostile patch from costing a deep
// recursion.
const MaxDepth = 32

// ErrTooDeep is returned for a patch nested more than MaxDepth levels.
var ErrTooDeep = errors.New("the patch is nested too deeply")

// Apply returns target with patch applied, as RFC 7396 section 2 defines.
// Both must be valid JSON; an empty or null target counts as null. The
// result is compact JSON with object members in sorted order.
func Apply(target, patch []byte) ([]byte, error) {
	var p any
	if err := decode(patch, &p); err != nil {
		return nil, fmt.Errorf("merge patch: the patch: %w", err)
	}
	if err := checkDepth(p, 0); err != nil {
		return nil, err
	}
	var t any
	if len(bytes.TrimSpace(target)) > 0 {
		if err := decode(target, &t); err != nil {
			return nil, fmt.Errorf("merge patch: the target: %w", err)
		}
	}
	out, err := json.Marshal(merge(t, p))
	if err != nil {
		return nil, fmt.Errorf("merge patch: %w", err)
	}
	return out, nil
}

// merge is the MergePatch function of RFC 7396 on decoded values.
func merge(target, patch any) any {
	po, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	to, ok := target.(map[string]any)
	if !ok {
		to = map[string]any{}
	}
	for k, v := range po {
		if v == nil {
			delete(to, k)
			continue
		}
		to[k] = merge(to[k], v)
	}
	return to
}

// decode reads exactly one JSON value, keeping numbers as written so large
// integers (prices in minor units, IDs) survive the round trip exactly.
func decode(b []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// checkDepth refuses values nested more than MaxDepth levels.
func checkDepth(v any, depth int) error {
	if depth > MaxDepth {
		return ErrTooDeep
	}
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
