package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
)

// WriteJSON sends v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// NoContent answers 204.
func NoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// MergePatchType is the media type of RFC 7396 JSON merge patches, which
// PATCH routes accept besides application/json.
const MergePatchType = "application/merge-patch+json"

// DecodeJSON reads one JSON object from the (already size-limited) body
// into v, refusing unknown fields, trailing data and wrong content types
// with an apperr that says what is wrong.
func DecodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		switch {
		case mt == "application/json":
		case mt == MergePatchType && r.Method == http.MethodPatch:
			// Every PATCH body is a JSON merge patch (RFC 7396), so both
			// media types mean the same; handlers apply it with
			// internal/mergepatch.
		case r.Method == http.MethodPatch:
			return apperr.New(apperr.Invalid, "send the body as application/json or %s, not %s", MergePatchType, mt)
		default:
			return apperr.New(apperr.Invalid, "send the body as application/json, not %s", mt)
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.Is(err, io.EOF):
			return apperr.New(apperr.Invalid, "the request body is empty; send a JSON object")
		case errors.As(err, &se):
			return apperr.New(apperr.Invalid, "the body is not valid JSON (at byte %d)", se.Offset)
		case errors.As(err, &te):
			return apperr.New(apperr.Invalid, "field %q must be a %s", te.Field, te.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return apperr.New(apperr.Invalid, "%s", strings.TrimPrefix(err.Error(), "json: "))
		}
		return apperr.Wrap(apperr.Invalid, err, "the body could not be read as JSON")
	}
	if dec.More() {
		return apperr.New(apperr.Invalid, "the body holds more than one JSON value")
	}
	return nil
}

// QueryTime reads an RFC 3339 time from query parameter name (a paging
// cursor such as ?before=); absent gives the zero time.
func QueryTime(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "%s must be an RFC 3339 time", name)
	}
	return t, nil
}
