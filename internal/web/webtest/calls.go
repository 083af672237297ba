package webtest

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/luneo/luneo/internal/web/pagetest"
)

// Browsers also upload files through its forms, fetch what a
// page links (a texture, a model) and call the JSON API as the page's
// scripts do, all with the browser's cookies.

// Upload posts content as the "file" part of a multipart form to path, as
// the product page's upload form does.
func (b *Browser) Upload(path, filename string, content []byte) Page {
	t := b.env.T
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.env.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.env.URL)
	req.Header.Set("Accept", "text/html")
	return b.send(req, "POST "+path)
}

// Fetch GETs a URL found in a page (HTML-escaped, as it appears there) and
// returns its status, content type and body.
func (b *Browser) Fetch(u string) (int, string, []byte) {
	b.env.T.Helper()
	resp, err := b.c.Get(b.env.URL + html.UnescapeString(u))
	if err != nil {
		b.env.T.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), raw
}

// JSON sends a JSON call (body "" for none) from our own origin with the
// browser's cookies, as the dashboard's scripts do.
func (b *Browser) JSON(method, path, body string) Page {
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
	return b.send(req, method+" "+path)
}

// send does req and reads the answer, checking HTML against the CSP.
func (b *Browser) send(req *http.Request, what string) Page {
	t := b.env.T
	t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	p := Page{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		pagetest.CheckCSPSafe(t, what, p.Body)
	}
	return p
}

// SetCookie puts a cookie in the browser's jar for our origin, as if the
// server had set it (an expired session, a stale state cookie).
func (b *Browser) SetCookie(c *http.Cookie) {
	u, err := url.Parse(b.env.URL)
	if err != nil {
		b.env.T.Fatal(err)
	}
	b.c.Jar.SetCookies(u, []*http.Cookie{c})
}
