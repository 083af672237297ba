package form

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
)

func TestFailure(t *testing.T) {
	t.Parallel()
	values := map[string]string{"email": "a@b", "password": "secret-typed"}
	w := httptest.NewRecorder()
	err := &apperr.Error{Code: apperr.Invalid, Message: "please correct the form", Fields: map[string]string{"email": "is not an address"}}
	f, status, ok := Failure(w, err, "login", values)
	if !ok || status != 400 || f.Name != "login" || f.Errors["email"] != "is not an address" || f.Error != "Please correct the form" {
		t.Fatalf("invalid: %+v %d %v", f, status, ok)
	}
	if fd := f.Field("password", "Password", "password", "current-password"); fd.Value != "" || fd.ID != "login-password" {
		t.Errorf("a password was put back: %+v", fd)
	}
	if fd := f.Field("email", "Email", "email", "email"); fd.Value != "a@b" || fd.Error != "is not an address" {
		t.Errorf("email field: %+v", fd)
	}
	limited := &apperr.Error{Code: apperr.RateLimited, Message: "slow down", RetryAfter: 1500 * time.Millisecond}
	if _, status, ok := Failure(w, limited, "login", values); !ok || status != 429 || w.Header().Get("Retry-After") != "2" {
		t.Errorf("rate limited: %d %v %q", status, ok, w.Header().Get("Retry-After"))
	}
	// Missing rights, unknown IDs and our own failures are not the form's.
	for _, e := range []error{apperr.New(apperr.Forbidden, "no"), apperr.New(apperr.NotFound, "gone"), errAny{}} {
		if _, _, ok := Failure(httptest.NewRecorder(), e, "x", nil); ok {
			t.Errorf("%v shown on the form", e)
		}
	}
	if _, status, ok := Failure(httptest.NewRecorder(), apperr.New(apperr.Forbidden, "no"), "x", nil, apperr.Forbidden); !ok || status != 403 {
		t.Errorf("a code the caller asked for was not shown: %d %v", status, ok)
	}
}

type errAny struct{}

func (errAny) Error() string { return "database on fire" }

func TestNamedAndValues(t *testing.T) {
	t.Parallel()
	sent := Form{Name: "invite", Error: "x"}
	if got := sent.Named("invite"); got.Error != "x" {
		t.Errorf("the sent form lost its error: %+v", got)
	}
	if got := sent.Named("role"); got.Error != "" || got.Name != "role" {
		t.Errorf("another form shows the error: %+v", got)
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(url.Values{"a": {"1"}, "b": {"2"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if v := Values(r, "a", "c"); v["a"] != "1" || v["c"] != "" || len(v) != 2 {
		t.Errorf("values: %v", v)
	}
}

func TestRemapAndInvalid(t *testing.T) {
	t.Parallel()
	err := &apperr.Error{Code: apperr.Invalid, Message: "m", Fields: map[string]string{"variants[2].sku": "taken", "internal": "x"}}
	got, _ := apperr.As(RemapFields(err, func(k string) string {
		if strings.HasSuffix(k, ".sku") {
			return "sku"
		}
		return ""
	}))
	if len(got.Fields) != 1 || got.Fields["sku"] != "taken" || err.Fields["internal"] != "x" {
		t.Errorf("remapped: %v (original %v)", got.Fields, err.Fields)
	}
	inv, _ := apperr.As(Invalid(map[string]string{"price": "must be a number", "amount": "is too large"}))
	if inv.Code != apperr.Invalid || inv.Message != "please correct the form: amount is too large; price must be a number" {
		t.Errorf("invalid: %+v", inv)
	}
	if Sentence("é ok") != "É ok" || Sentence("") != "" {
		t.Error("sentence")
	}
}
