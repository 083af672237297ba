package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Shopper pacing: sessions start spread over rampUp; each then asks for a
// server preview every previewEvery (± a quarter, so they do not beat in
// step) and saves every saveEvery-th preview.
const (
	rampUp       = 10 * time.Second
	previewEvery = 5 * time.Second
	saveEvery    = 6
)

// shopper is one simulated widget session.
type shopper struct {
	s      *store
	rec    *recorder
	token  string
	key    string // X-Luneo-Shopper
	asset  string
	design string
}

// widgetSessions runs n sessions at once for d (after the ramp-up).
func widgetSessions(ctx context.Context, s *store, n int, d time.Duration) (*recorder, error) {
	rec := newRecorder()
	end := time.Now().Add(rampUp + d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(time.Duration(i) * rampUp / time.Duration(n)):
			case <-ctx.Done():
				return
			}
			sh := &shopper{s: s, rec: rec}
			sh.run(ctx, i, end)
		}()
	}
	wg.Wait()
	rec.Stop()
	return rec, ctx.Err()
}

// run is one session's life: the handshake, an image upload, then edits
// until end. A failed handshake ends the session (it is recorded).
func (sh *shopper) run(ctx context.Context, i int, end time.Time) {
	if err := sh.handshake(ctx); err != nil {
		return
	}
	up, err := sh.call(ctx, "upload", "POST", "/api/embed/assets", "image/png", sh.s.image, http.StatusCreated)
	if err != nil {
		return
	}
	sh.asset, _ = up["sha256"].(string)
	for n := 1; time.Now().Before(end); n++ {
		jitter := time.Duration(rand.Int64N(int64(previewEvery / 2)))
		select {
		case <-time.After(previewEvery*3/4 + jitter):
		case <-ctx.Done():
			return
		}
		text := fmt.Sprintf("Shopper %d edit %d", i, n)
		body, _ := json.Marshal(map[string]any{"document": sh.document(text), "zone_id": sh.s.Zone, "size": 512})
		_, _ = sh.call(ctx, "preview", "POST", "/api/embed/preview", "application/json", body, http.StatusOK)
		if n%saveEvery == 0 {
			sh.save(ctx, text)
		}
	}
}

// handshake is the loader's and the iframe's part: token, validate, session.
func (sh *shopper) handshake(ctx context.Context) error {
	g, err := sh.call(ctx, "token", "GET", sh.s.tokenPath(), "", nil, http.StatusOK)
	if err != nil {
		return err
	}
	nonce, _ := g["nonce"].(string)
	if _, err := sh.call(ctx, "validate", "POST", "/api/embed/validate?"+url.Values{"nonce": {nonce}}.Encode(), "", nil, http.StatusOK); err != nil {
		return err
	}
	sh.token, _ = g["token"].(string)
	ses, err := sh.call(ctx, "session", "GET", "/api/embed/session", "", nil, http.StatusOK)
	if err != nil {
		return err
	}
	sh.key, _ = ses["shopper"].(string)
	return nil
}

// save creates the session's design, then adds versions to it.
func (sh *shopper) save(ctx context.Context, text string) {
	body, _ := json.Marshal(map[string]any{"name": "Bench", "document": sh.document(text)})
	path := "/api/embed/designs"
	if sh.design != "" {
		path += "/" + sh.design + "/versions"
	}
	out, err := sh.call(ctx, "save", "POST", path, "application/json", body, http.StatusCreated, http.StatusOK)
	if err != nil || sh.design != "" {
		return
	}
	d, _ := out["design"].(map[string]any)
	sh.design, _ = d["id"].(string)
}

// document is the shopper's design: their image and a line of text.
func (sh *shopper) document(text string) map[string]any {
	return map[string]any{"zones": []any{map[string]any{"zone_id": sh.s.Zone, "layers": []any{
		map[string]any{"type": "image", "asset": sh.asset, "x_mm": 5, "y_mm": 10, "width_mm": 60, "height_mm": 60},
		map[string]any{"type": "text", "text": text, "font": "Noto Sans", "size_pt": 28, "color": "#1d4e89",
			"align": "center", "x_mm": 135, "y_mm": 45},
	}}}}
}

// call sends one request as the widget would (the store's Origin for the
// loader's calls, the bearer token and shopper key for the iframe's),
// records it under kind and decodes a JSON answer.
func (sh *shopper) call(ctx context.Context, kind, method, path, contentType string, body []byte, want ...int) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, sh.s.C.Base+path, rd)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if sh.token == "" {
		req.Header.Set("Origin", storeOrigin)
	} else {
		req.Header.Set("Authorization", "Bearer "+sh.token)
		if sh.key != "" {
			req.Header.Set("X-Luneo-Shopper", sh.key)
		}
	}
	t0 := time.Now()
	resp, err := sh.s.http.Do(req)
	if err != nil {
		sh.rec.Add(kind, time.Since(t0), err)
		return nil, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	ok := false
	for _, w := range want {
		ok = ok || resp.StatusCode == w
	}
	if err == nil && !ok {
		err = fmt.Errorf("%s %s: status %d: %.200s", method, path, resp.StatusCode, raw)
	}
	sh.rec.Add(kind, d, err)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(raw, &out)
	}
	return out, nil
}
