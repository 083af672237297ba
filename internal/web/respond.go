package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
)

// statusOf is the one mapping from application error codes to HTTP statuses.
func statusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Unprocessable:
		return http.StatusUnprocessableEntity
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden, apperr.ReauthRequired:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details body, with Luneo's extensions.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	Code      apperr.Code       `json:"code"`
	RequestID string            `json:"request_id,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	// Issues carries apperr.Error.Details, e.g. why a 3D model was refused.
	Issues any `json:"issues,omitempty"`
}

// writeError is the one place errors become responses: problem+json for the
// API and programs, the error page for browsers. Internal errors are logged
// with their cause; the client gets only the safe message and request ID.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae, ok := apperr.As(err)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		ae, ok = apperr.New(apperr.TooLarge, "the request body is over the limit of %d bytes", mbe.Limit), true
	case !ok:
		ae = apperr.New(apperr.Internal, "something went wrong on our side; quote the request ID if you contact support")
	}
	status := statusOf(ae.Code)
	ctx := r.Context()
	if status >= 500 {
		s.Logger.ErrorContext(ctx, "request failed", "error", err, "status", status)
	} else {
		s.Logger.DebugContext(ctx, "request rejected", "error", err, "status", status)
	}
	if ae.Code == apperr.RateLimited && ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(ae.RetryAfter.Seconds()+0.999)))
	}
	w.Header().Del("Content-Length")
	w.Header().Del("Content-Disposition")
	w.Header().Set("Cache-Control", "no-store")
	if wantsHTML(r) && s.Pages != nil {
		data := PageData{Title: http.StatusText(status), RequestID: obs.RequestID(ctx), Dev: s.Dev, Version: s.Version,
			Data: ErrorData{Status: status, Message: ae.Message}}
		if s.Pages.Render(w, status, "error", data) == nil {
			return
		}
	}
	p := Problem{
		Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: ae.Message,
		Instance: r.URL.Path, Code: ae.Code, RequestID: obs.RequestID(ctx), Errors: ae.Fields,
		Issues: ae.Details,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// wantsHTML reports whether the client is a browser navigating to a page
// rather than a program calling the API.
func wantsHTML(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// mergePatchType is the media type of RFC 7396 JSON merge patches, which
// PATCH routes accept besides application/json.
const mergePatchType = "application/merge-patch+json"

// decodeJSON reads one JSON object from the (already size-limited) body into
// v, refusing unknown fields, trailing data and wrong content types with an
// apperr that says what is wrong.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		switch {
		case mt == "application/json":
		case mt == mergePatchType && r.Method == http.MethodPatch:
			// Every PATCH body is a JSON merge patch (RFC 7396), so both
			// media types mean the same; handlers apply it with
			// internal/mergepatch.
		case r.Method == http.MethodPatch:
			return apperr.New(apperr.Invalid, "send the body as application/json or %s, not %s", mergePatchType, mt)
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
