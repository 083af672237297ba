package apperr

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// TestCodes pins the wire value of every code: clients and the HTTP mapping
// in internal/web depend on these strings.
func TestCodes(t *testing.T) {
	t.Parallel()
	for code, want := range map[Code]string{
		Invalid:          "invalid",
		Unauthorized:     "unauthorized",
		Forbidden:        "forbidden",
		NotFound:         "not_found",
		Conflict:         "conflict",
		TooLarge:         "too_large",
		RateLimited:      "rate_limited",
		Unavailable:      "unavailable",
		Internal:         "internal",
		Unprocessable:    "unprocessable",
		ReauthRequired:   "reauth_required",
		UnsupportedMedia: "unsupported_media",
	} {
		if string(code) != want {
			t.Errorf("code %q, want %q", code, want)
		}
	}
}

func TestNewAndWrap(t *testing.T) {
	t.Parallel()
	cause := errors.New("disk on fire")
	tests := []struct {
		name      string
		err       *Error
		code      Code
		message   string
		errString string
		cause     error
	}{
		{"new plain", New(NotFound, "design not found"), NotFound, "design not found", "not_found: design not found", nil},
		{"new formatted", New(Invalid, "name %q is %d chars too long", "x", 3), Invalid, `name "x" is 3 chars too long`, `invalid: name "x" is 3 chars too long`, nil},
		{"new percent without args", New(Conflict, "100%% taken"), Conflict, "100% taken", "conflict: 100% taken", nil},
		{"wrap", Wrap(Unavailable, cause, "storage is down"), Unavailable, "storage is down", "unavailable: storage is down: disk on fire", cause},
		{"wrap formatted", Wrap(Internal, cause, "save %s", "design"), Internal, "save design", "internal: save design: disk on fire", cause},
		{"wrap nil cause", Wrap(Forbidden, nil, "no"), Forbidden, "no", "forbidden: no", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Code != tt.code {
				t.Errorf("Code = %q, want %q", tt.err.Code, tt.code)
			}
			if tt.err.Message != tt.message {
				t.Errorf("Message = %q, want %q", tt.err.Message, tt.message)
			}
			if got := tt.err.Error(); got != tt.errString {
				t.Errorf("Error() = %q, want %q", got, tt.errString)
			}
			if got := tt.err.Unwrap(); got != tt.cause {
				t.Errorf("Unwrap() = %v, want %v", got, tt.cause)
			}
			if tt.cause != nil && !errors.Is(tt.err, tt.cause) {
				t.Errorf("errors.Is(err, cause) = false")
			}
			if tt.err.Fields != nil || tt.err.RetryAfter != 0 || tt.err.Details != nil {
				t.Errorf("New/Wrap set extra fields: %+v", tt.err)
			}
		})
	}
}

// TestMessageHidesCause: only Message reaches a client, so the cause must
// never leak into it.
func TestMessageHidesCause(t *testing.T) {
	t.Parallel()
	e := Wrap(Internal, errors.New("pq: password authentication failed"), "could not save")
	if e.Message != "could not save" {
		t.Fatalf("Message = %q", e.Message)
	}
}

func TestCodeOfAndAs(t *testing.T) {
	t.Parallel()
	notFound := New(NotFound, "no such brand")
	// An *Error wrapping another *Error: the outermost one is "first in the chain".
	outer := Wrap(Forbidden, New(NotFound, "inner"), "outer")
	tests := []struct {
		name     string
		err      error
		code     Code
		asOK     bool
		asTarget *Error // identity expected from As
	}{
		{"nil", nil, Internal, false, nil},
		{"plain error", errors.New("boom"), Internal, false, nil},
		{"io.EOF", io.EOF, Internal, false, nil},
		{"direct", notFound, NotFound, true, notFound},
		{"wrapped once", fmt.Errorf("load brand: %w", notFound), NotFound, true, notFound},
		{"wrapped twice", fmt.Errorf("handler: %w", fmt.Errorf("load brand: %w", notFound)), NotFound, true, notFound},
		{"joined", errors.Join(errors.New("other"), notFound), NotFound, true, notFound},
		{"formatted with %v loses it", fmt.Errorf("load brand: %v", notFound), Internal, false, nil},
		{"outermost wins", fmt.Errorf("x: %w", outer), Forbidden, true, outer},
		{"internal code", New(Internal, "oops"), Internal, true, nil},
		{"reauth", fmt.Errorf("change email: %w", New(ReauthRequired, "log in again")), ReauthRequired, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.code {
				t.Errorf("CodeOf = %q, want %q", got, tt.code)
			}
			e, ok := As(tt.err)
			if ok != tt.asOK {
				t.Fatalf("As ok = %v, want %v", ok, tt.asOK)
			}
			if !ok {
				if e != nil {
					t.Errorf("As returned %v with ok=false", e)
				}
				return
			}
			if e.Code != tt.code {
				t.Errorf("As(...).Code = %q, want %q", e.Code, tt.code)
			}
			if tt.asTarget != nil && e != tt.asTarget {
				t.Errorf("As returned %p, want %p", e, tt.asTarget)
			}
		})
	}
}

// TestErrorsAsThroughCause: errors.Is/As see through an *Error to its cause
// (via Unwrap), so callers can still test for sentinel errors.
func TestErrorsAsThroughCause(t *testing.T) {
	t.Parallel()
	type myErr struct{ error }
	cause := &myErr{errors.New("deep")}
	err := fmt.Errorf("top: %w", Wrap(Unavailable, fmt.Errorf("mid: %w", cause), "try later"))
	var got *myErr
	if !errors.As(err, &got) || got != cause {
		t.Fatalf("errors.As through *Error failed: %v", got)
	}
	if !errors.Is(err, cause) {
		t.Fatal("errors.Is through *Error failed")
	}
	if CodeOf(err) != Unavailable {
		t.Fatalf("CodeOf = %q", CodeOf(err))
	}
}

func TestExtraFieldsSurvive(t *testing.T) {
	t.Parallel()
	e := New(RateLimited, "slow down")
	e.RetryAfter = 30e9
	e.Fields = map[string]string{"email": "is not a valid address"}
	e.Details = []string{"a"}
	got, ok := As(fmt.Errorf("wrap: %w", e))
	if !ok || got.RetryAfter != 30e9 || got.Fields["email"] != "is not a valid address" || got.Details == nil {
		t.Fatalf("As lost fields: %+v", got)
	}
}
