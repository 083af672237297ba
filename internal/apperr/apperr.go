// Package apperr is Luneo's one application error type. Business code returns
// an *Error with a Code when the caller did something wrong (bad input, missing
// rights, unknown ID); everything else is an internal error. The HTTP layer maps
// codes to statuses in exactly one place (internal/web), and only the Message of
// an *Error ever reaches a client: wrapped causes stay in the logs.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for clients.
type Code string

// The codes Luneo uses; each maps to one HTTP status.
const (
	Invalid       Code = "invalid"       // 400/422: the request is wrong
	Unauthorized  Code = "unauthorized"  // 401: who are you?
	Forbidden     Code = "forbidden"     // 403: you may not
	NotFound      Code = "not_found"     // 404 (also for other brands' IDs)
	Conflict      Code = "conflict"      // 409: already exists / changed meanwhile
	TooLarge      Code = "too_large"     // 413: body or upload over its limit
	RateLimited   Code = "rate_limited"  // 429: slow down (see RetryAfter)
	Unavailable   Code = "unavailable"   // 503: a dependency is down
	Internal      Code = "internal"      // 500: our fault; details only in logs
	Unprocessable Code = "unprocessable" // 422: well-formed but semantically invalid (e.g. a broken GLB)
	// UnsupportedMedia (415): an upload of a kind not taken (a GIF image,
	// a WOFF2 font), recognised by its content.
	UnsupportedMedia Code = "unsupported_media"
	// ReauthRequired (403): the session is valid but its last proof of
	// identity is too old for this action; authenticate again and retry.
	ReauthRequired Code = "reauth_required"
)

// Error is an error meant for a client.
type Error struct {
	Code    Code
	Message string // safe to show to the client
	// Fields lists per-field problems ("email" → "is not a valid address").
	Fields map[string]string
	// RetryAfter is set with RateLimited.
	RetryAfter time.Duration
	// Details is a machine-readable list that explains the error and is safe
	// to show, such as the validator's issues of a refused 3D model.
	Details any
	// Err is the cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap exposes the cause to errors.Is/As.
func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with a message for the client and a cause for the logs.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
