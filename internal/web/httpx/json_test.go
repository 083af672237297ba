package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

func TestDecodeJSONErrors(t *testing.T) {
	t.Parallel()
	type in struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	cases := map[string]string{
		"":                          "empty",
		"{":                         "JSON",
		`{"name":1}`:                `"name"`,
		`{"other":1}`:               "other",
		`{"name":"a"} {"name":"b"}`: "more than one",
	}
	for body, want := range cases {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		var v in
		err := DecodeJSON(req, &v)
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), want) {
			t.Errorf("body %q: %v (want %q)", body, err, want)
		}
	}
	req := httptest.NewRequest("POST", "/", strings.NewReader(`{"name":"a"}`))
	req.Header.Set("Content-Type", "text/plain")
	if err := DecodeJSON(req, &in{}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("wrong content type: %v", err)
	}
	// A JSON merge patch (RFC 7396) is what every PATCH body is; other
	// methods do not take that media type.
	for _, c := range []struct {
		method, ct string
		ok         bool
	}{
		{"PATCH", "application/merge-patch+json", true},
		{"PATCH", "application/merge-patch+json; charset=utf-8", true},
		{"PATCH", "application/json", true},
		{"PATCH", "application/json-patch+json", false},
		{"POST", "application/merge-patch+json", false},
		{"PUT", "application/merge-patch+json", false},
	} {
		req := httptest.NewRequest(c.method, "/", strings.NewReader(`{"name":"a"}`))
		req.Header.Set("Content-Type", c.ct)
		var v in
		err := DecodeJSON(req, &v)
		if c.ok && (err != nil || v.Name != "a") {
			t.Errorf("%s %s: %v %+v", c.method, c.ct, err, v)
		}
		if !c.ok && apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s %s: %v, want invalid", c.method, c.ct, err)
		}
	}
}

func TestQueryTime(t *testing.T) {
	t.Parallel()
	at, err := QueryTime(httptest.NewRequest("GET", "/?before=2026-12-05T10:00:00.5Z", nil), "before")
	if err != nil || at.Nanosecond() != 500000000 {
		t.Fatalf("parsed %v %v", at, err)
	}
	if at, err := QueryTime(httptest.NewRequest("GET", "/", nil), "before"); err != nil || !at.IsZero() {
		t.Fatalf("absent: %v %v", at, err)
	}
	if _, err := QueryTime(httptest.NewRequest("GET", "/?before=yesterday", nil), "before"); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "before must be") {
		t.Fatalf("bad time: %v", err)
	}
}
