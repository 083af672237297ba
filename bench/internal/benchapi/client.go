// Package benchapi is what the benchmark clients under bench/ share: a
// client of Luneo's JSON API and the brand fixture they measure with.
package benchapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"time"
)

// Client speaks Luneo's JSON API as one brand member, with a bearer token,
// the way a program integrating Luneo would.
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client
}

// NewClient is a client of the server at base.
func NewClient(base string) *Client {
	return &Client{Base: base, HTTP: &http.Client{Timeout: 2 * time.Minute}}
}

// Call sends body (JSON when not nil) and decodes the JSON answer; a status
// outside want is an error carrying the answer, so a refused request says why.
func (c *Client) Call(ctx context.Context, method, path string, body any, want ...int) (map[string]any, error) {
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encode body: %w", method, path, err)
		}
		raw = b
	}
	return c.Send(ctx, method, path, "application/json", raw, nil, want...)
}

// Send is Call with a raw body of the given content type and extra headers.
func (c *Client) Send(ctx context.Context, method, path, contentType string, body []byte, hdr map[string]string, want ...int) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	out := map[string]any{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("%s %s: status %d, answer not JSON: %.200s", method, path, resp.StatusCode, b)
		}
	}
	if !slices.Contains(want, resp.StatusCode) {
		return nil, fmt.Errorf("%s %s: status %d, want %v: %.500s", method, path, resp.StatusCode, want, b)
	}
	return out, nil
}

// Upload sends data as the multipart form field "file", as browsers do.
func (c *Client) Upload(ctx context.Context, path, name string, data []byte, want ...int) (map[string]any, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", name, err)
	}
	if _, err := w.Write(data); err != nil {
		return nil, fmt.Errorf("upload %s: %w", name, err)
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("upload %s: %w", name, err)
	}
	return c.Send(ctx, "POST", path, mw.FormDataContentType(), b.Bytes(), nil, want...)
}

// Str walks nested JSON objects along path and returns the string found
// there ("" when absent).
func Str(m map[string]any, path ...string) string {
	var v any = m
	for _, p := range path {
		mm, _ := v.(map[string]any)
		v = mm[p]
	}
	s, _ := v.(string)
	return s
}
