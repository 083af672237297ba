package pagetest

import (
	"testing"
)

// recorder is a testing.TB that remembers whether a check failed.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Helper()               {}

func TestCheckCSPSafe(t *testing.T) {
	t.Parallel()
	for body, bad := range map[string]bool{
		`<p>fine</p><script type="module" src="/static/x.js"></script>`: false,
		`<p style="color:red">x</p>`:                                    true,
		`<style>p{}</style>`:                                            true,
		`<script>alert(1)</script>`:                                     true,
		`<a href="javascript:alert(1)">x</a>`:                           true,
		`<button onclick="go()">x</button>`:                             true,
		`<img src="/static/a.png" alt="" onerror="x()">`:                true,
	} {
		r := &recorder{TB: t}
		CheckCSPSafe(r, "page", body)
		if r.failed != bad {
			t.Errorf("%s: failed %v, want %v", body, r.failed, bad)
		}
	}
}
