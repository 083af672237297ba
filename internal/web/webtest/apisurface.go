package webtest

import (
	"io"
	"net/http"
	"strings"
)

// API sends a JSON call (body "" for none) from our own origin with the
// browser's cookies, as the dashboard's scripts would: the same person, in
// the same session, on the JSON API.
func (b *Browser) API(method, path, body string) Page {
	t := b.env.T
	t.Helper()
	req, err := http.NewRequest(method, b.env.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", b.env.URL)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Page{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(raw)}
}
