package mergepatch

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The cases of RFC 7396 appendix A, plus the ones our API relies on.
func TestApply(t *testing.T) {
	t.Parallel()
	cases := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"a":1,"e":null}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		// Ours: nested objects merge, an absent target is null, big
		// integers survive exactly.
		{`{"rules":{"max_layers":3,"fonts":["A"]},"name":"x"}`, `{"rules":{"max_layers":5}}`, `{"name":"x","rules":{"fonts":["A"],"max_layers":5}}`},
		{``, `{"a":1}`, `{"a":1}`},
		{`{"price":9007199254740993}`, `{"name":"n"}`, `{"name":"n","price":9007199254740993}`},
	}
	for _, c := range cases {
		got, err := Apply([]byte(c.target), []byte(c.patch))
		if err != nil {
			t.Errorf("Apply(%s, %s): %v", c.target, c.patch, err)
			continue
		}
		if !sameJSON(t, string(got), c.want) {
			t.Errorf("Apply(%s, %s) = %s, want %s", c.target, c.patch, got, c.want)
		}
	}
}

func TestApplyRefusesBadInput(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ target, patch string }{
		{`{}`, `{"a":`},
		{`{}`, `{"a":1} {"b":2}`},
		{`{"a":`, `{"a":1}`},
		{`{}`, strings.Repeat(`{"a":`, MaxDepth+2) + `1` + strings.Repeat(`}`, MaxDepth+2)},
	} {
		if got, err := Apply([]byte(c.target), []byte(c.patch)); err == nil {
			t.Errorf("Apply(%.40s, %.40s) = %s, want an error", c.target, c.patch, got)
		}
	}
	deep := strings.Repeat(`[`, MaxDepth+2) + strings.Repeat(`]`, MaxDepth+2)
	if _, err := Apply([]byte(`{}`), []byte(deep)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep array patch: %v, want ErrTooDeep", err)
	}
}

// sameJSON compares two JSON texts as values.
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y) && (strings.Contains(b, "9007199254740993") == strings.Contains(a, "9007199254740993"))
}
