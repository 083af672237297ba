package web

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Helpers of the tests that moved to internal/web/api, still used by
// recent_auth_test.go.

// api sends a JSON call from our own origin with b's cookies.
func (b *browser) api(method, path, body string) page {
	t := b.env.t
	t.Helper()
	req, err := http.NewRequest(method, b.env.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", b.env.url)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, loc: resp.Header.Get("Location"), body: string(raw)}
}

// codeBody is a JSON body with one code.
func codeBody(code string) string { return fmt.Sprintf(`{"code":%q}`, code) }
