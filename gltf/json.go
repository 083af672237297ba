package gltf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeJSON turns glTF JSON into a Document, recording every structural
// problem in rep. It returns nil when the JSON cannot be used at all.
func decodeJSON(b []byte, rep *Report) *Document {
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		rep.addf(SeverityError, "INVALID_JSON", "", "the JSON starts with a UTF-8 byte order mark (BOM), which glTF forbids: save it as UTF-8 without BOM")
		return nil
	}
	if !utf8.Valid(b) {
		rep.addf(SeverityError, "INVALID_JSON", "", "the JSON is not valid UTF-8 text")
		return nil
	}
	var root any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		rep.addf(SeverityError, "INVALID_JSON", "", "the JSON cannot be parsed: %s", jsonErrText(err, b))
		return nil
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rep.addf(SeverityError, "INVALID_JSON", "", "the JSON has extra content after the root object (at byte %d)", dec.InputOffset())
		return nil
	}
	o, ok := root.(map[string]any)
	if !ok {
		rep.addf(SeverityError, "TYPE_MISMATCH", "", "the JSON root must be an object, found %s", jsonText(root))
		return nil
	}

	c := &checker{rep: rep, used: map[string]bool{}}
	if used, ok := o["extensionsUsed"].([]any); ok {
		for _, u := range used {
			if s, ok := u.(string); ok {
				c.used[s] = true
			}
		}
	}
	c.object(rootSpec, "", o)
	if req, ok := o["extensionsRequired"].([]any); ok {
		for i, r := range req {
			if s, ok := r.(string); ok && !c.used[s] {
				rep.addf(SeverityError, "UNUSED_EXTENSION_REQUIRED", ptr("extensionsRequired", i), "extension %s is required but not listed in extensionsUsed", s)
			}
		}
	}
	if rep.HasErrors() {
		return nil
	}

	if c.fix {
		normalizeInts(o)
	}
	if c.sanitized || c.fix {
		// Keys differing only in case from glTF properties were dropped
		// from the tree; decode the cleaned tree, not the original text.
		clean, err := json.Marshal(o)
		if err != nil {
			rep.addf(SeverityError, "INVALID_JSON", "", "the JSON cannot be re-encoded: %v", err)
			return nil
		}
		b = clean
	}
	doc := new(Document)
	if err := json.Unmarshal(b, doc); err != nil {
		// The checker should have caught anything the decoder rejects;
		// report it rather than fail silently.
		rep.addf(SeverityError, "TYPE_MISMATCH", "", "the JSON does not match the glTF model: %v", err)
		return nil
	}
	return doc
}

// jsonErrText describes a JSON syntax error with its position.
func jsonErrText(err error, b []byte) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if len(bytes.TrimSpace(b)) == 0 {
			return "the JSON is empty"
		}
		return "the JSON ends unexpectedly"
	}
	return err.Error()
}

// normalizeInts rewrites integral numbers spelled with a fraction or an
// exponent (36.0, 3.6e1) as plain integers, in place. Float properties
// decode to the same value either way.
func normalizeInts(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if n, ok := intNumber(e); ok {
				x[k] = n
			} else {
				normalizeInts(e)
			}
		}
	case []any:
		for i, e := range x {
			if n, ok := intNumber(e); ok {
				x[i] = n
			} else {
				normalizeInts(e)
			}
		}
	}
}

func intNumber(v any) (json.Number, bool) {
	num, ok := v.(json.Number)
	if !ok || !strings.ContainsAny(string(num), ".eE") {
		return "", false
	}
	f, err := num.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return "", false
	}
	return json.Number(strconv.FormatInt(int64(f), 10)), true
}
