package blob

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fetch GETs url with optional extra headers and returns the response and body.
func fetch(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s: %v", url, err)
	}
	return resp, body
}

func testSignedURL(t *testing.T, s Store) {
	data := pattern(5000, 9)
	// The second key needs escaping in a URL path, on both backends.
	for _, key := range []string{"u/model.glb", "u/modèle-é=1+2@3.glb"} {
		put(t, s, key, data, "model/gltf-binary")
		u, err := s.SignedURL(t.Context(), key, time.Minute, URLOptions{})
		if err != nil {
			t.Fatalf("SignedURL(%q): %v", key, err)
		}
		resp, body := fetch(t, u, nil)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
			t.Fatalf("GET signed URL for %q = %d with %d bytes, want 200 with %d: %s", key, resp.StatusCode, len(body), len(data), body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "model/gltf-binary" {
			t.Errorf("signed URL Content-Type = %q, want model/gltf-binary", ct)
		}
		// Viewers fetch big models in pieces, so ranges must work too.
		resp, body = fetch(t, u, map[string]string{"Range": "bytes=100-199"})
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[100:200]) {
			t.Errorf("ranged GET of signed URL = %d with %d bytes, want 206 with 100", resp.StatusCode, len(body))
		}
	}
	// A caller that knows the stored type passes it: the same answer.
	u, err := s.SignedURL(t.Context(), "u/model.glb", time.Minute, URLOptions{ContentType: "model/gltf-binary"})
	if err != nil {
		t.Fatalf("SignedURL with a content type: %v", err)
	}
	if resp, body := fetch(t, u, nil); resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) || resp.Header.Get("Content-Type") != "model/gltf-binary" {
		t.Errorf("GET signed URL with a content type = %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	key := "u/modèle-é.glb"
	put(t, s, key, data, "model/gltf-binary")
	u, err = s.SignedURL(t.Context(), key, time.Minute, URLOptions{Filename: "Chaise rouge é.glb"})
	if err != nil {
		t.Fatalf("SignedURL with filename: %v", err)
	}
	resp, body := fetch(t, u, nil)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("GET download URL = %d with %d bytes, want 200 with %d: %s", resp.StatusCode, len(body), len(data), body)
	}
	cd := resp.Header.Get("Content-Disposition")
	want, _ := AttachmentDisposition("Chaise rouge é.glb")
	if cd != want {
		t.Errorf("Content-Disposition = %q, want %q", cd, want)
	}
	for _, ttl := range []time.Duration{0, -time.Second, MaxURLTTL + time.Second} {
		if _, err := s.SignedURL(t.Context(), key, ttl, URLOptions{}); err == nil {
			t.Errorf("SignedURL with ttl %s succeeded, want an error", ttl)
		}
	}
	if _, err := s.SignedURL(t.Context(), key, time.Minute, URLOptions{Filename: "../../etc/passwd"}); err == nil {
		t.Errorf("SignedURL with a path as filename succeeded, want an error")
	}
}

func testSignedURLTampered(t *testing.T, s Store) {
	put(t, s, "t/public", []byte("may be shared"), "text/plain")
	put(t, s, "t/secret", []byte("must stay private"), "text/plain")
	u, err := s.SignedURL(t.Context(), "t/public", time.Minute, URLOptions{})
	if err != nil {
		t.Fatalf("SignedURL: %v", err)
	}
	if !strings.Contains(u, "/t/public?") {
		t.Fatalf("signed URL %q does not contain the key path", u)
	}
	forged := strings.Replace(u, "/t/public?", "/t/secret?", 1)
	resp, body := fetch(t, forged, nil)
	if resp.StatusCode == http.StatusOK || bytes.Contains(body, []byte("private")) {
		t.Errorf("URL signed for t/public with the key swapped = %d %q, want a refusal", resp.StatusCode, body)
	}
}

// signingClock is implemented by stores whose signing clock a test can set
// (FS); S3 URLs are signed by minio-go with the real clock.
type signingClock interface {
	setNow(now func() time.Time)
}

func (f *FS) setNow(now func() time.Time) { f.now = now }

func testSignedURLExpired(t *testing.T, s Store) {
	put(t, s, "e/obj", []byte("short-lived"), "text/plain")
	if c, ok := s.(signingClock); ok {
		// Signed two minutes ago for one minute: the server, on the real
		// clock, must refuse it; the same URL signed now is served.
		c.setNow(func() time.Time { return time.Now().Add(-2 * time.Minute) })
		old, err := s.SignedURL(t.Context(), "e/obj", time.Minute, URLOptions{})
		c.setNow(time.Now)
		if err != nil {
			t.Fatalf("SignedURL: %v", err)
		}
		if resp, body := fetch(t, old, nil); resp.StatusCode == http.StatusOK {
			t.Errorf("URL that expired a minute ago = 200 %q, want a refusal", body)
		}
		fresh, err := s.SignedURL(t.Context(), "e/obj", time.Minute, URLOptions{})
		if err != nil {
			t.Fatalf("SignedURL: %v", err)
		}
		if resp, body := fetch(t, fresh, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("fresh URL = %d %q, want 200", resp.StatusCode, body)
		}
		return
	}
	// Otherwise wait for the refusal to come, as it must once the second
	// has passed: polling for an expected answer, not sleeping then hoping.
	u, err := s.SignedURL(t.Context(), "e/obj", time.Second, URLOptions{})
	if err != nil {
		t.Fatalf("SignedURL: %v", err)
	}
	if pu, err := url.Parse(u); err != nil || pu.Query().Get("X-Amz-Expires") != "1" {
		t.Fatalf("presigned URL %q does not carry the one-second lifetime", u)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		resp, body := fetch(t, u, nil)
		if resp.StatusCode != http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("URL signed for one second still served 30 s later: %q", body)
		}
	}
}
