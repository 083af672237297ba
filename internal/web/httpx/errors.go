package httpx

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
)

var errNoTemplates = errors.New("this server renders no pages")

// StatusOf is the one mapping from application error codes to HTTP statuses.
func StatusOf(code apperr.Code) int {
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
	case apperr.UnsupportedMedia:
		return http.StatusUnsupportedMediaType
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

// Error is the one place errors become responses: problem+json for the API
// and programs, the error page for browsers. Internal errors are logged with
// their cause; the client gets only the safe message and request ID.
func (k *Kit) Error(w http.ResponseWriter, r *http.Request, err error) {
	ae, ok := apperr.As(err)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		ae, ok = apperr.New(apperr.TooLarge, "the request body is over the limit of %d bytes", mbe.Limit), true
	case !ok:
		ae = apperr.New(apperr.Internal, "something went wrong on our side; quote the request ID if you contact support")
	}
	status := StatusOf(ae.Code)
	ctx := r.Context()
	if status >= 500 {
		k.Logger.ErrorContext(ctx, "request failed", "error", err, "status", status)
	} else {
		k.Logger.DebugContext(ctx, "request rejected", "error", err, "status", status)
	}
	RetryAfter(w, ae)
	w.Header().Del("Content-Length")
	w.Header().Del("Content-Disposition")
	w.Header().Set("Cache-Control", "no-store")
	if WantsHTML(r) && k.Templates != nil {
		data := &PageData{Title: http.StatusText(status), RequestID: obs.RequestID(ctx), Dev: k.Dev, Version: k.Version,
			Data: ErrorData{Status: status, Message: ae.Message}}
		if k.Templates.Render(w, status, "error", data) == nil {
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

// RetryAfter sets Retry-After for a rate-limited error that knows when the
// caller may try again (whole seconds, rounded up).
func RetryAfter(w http.ResponseWriter, ae *apperr.Error) {
	if ae.Code == apperr.RateLimited && ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(ae.RetryAfter.Seconds()+0.999)))
	}
}

// WantsHTML reports whether the client is a browser navigating to a page
// rather than a program calling the API.
func WantsHTML(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// NotFound answers every path no route matches, in the caller's format.
func (k *Kit) NotFound(w http.ResponseWriter, r *http.Request) {
	k.Error(w, r, apperr.New(apperr.NotFound, "nothing lives at %s", r.URL.Path))
}
