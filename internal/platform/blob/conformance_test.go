package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// runConformance checks the Store contract. Every backend runs it, so a
// behaviour is only relied on by the rest of Luneo once both backends pass
// here. newStore returns an empty store of its own for each subtest.
func runConformance(t *testing.T, newStore func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Overwrite", testOverwrite},
		{"Missing", testMissing},
		{"Range", testRange},
		{"Delete", testDelete},
		{"List", testList},
		{"TooLarge", testTooLarge},
		{"InvalidKeys", testInvalidKeys},
		{"InvalidContentType", testInvalidContentType},
		{"SignedURL", testSignedURL},
		{"SignedURLTampered", testSignedURLTampered},
		{"SignedURLExpired", testSignedURLExpired},
		{"ConcurrentPuts", testConcurrentPuts},
		{"Ping", testPing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Parallel subtests keep the one that waits for a URL to expire
			// from adding its wait to the whole run.
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

// put stores data under key or fails the test.
func put(t *testing.T, s Store, key string, data []byte, ct string) Info {
	t.Helper()
	info, err := s.Put(t.Context(), key, bytes.NewReader(data), PutOptions{ContentType: ct})
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

// get reads the object (or range) at key or fails the test.
func get(t *testing.T, s Store, key string, rng *Range) ([]byte, Info) {
	t.Helper()
	rc, info, err := s.Get(t.Context(), key, rng)
	if err != nil {
		t.Fatalf("Get(%q, %+v): %v", key, rng, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return data, info
}

// pattern returns n bytes that differ from position to position, so a
// misplaced range or a mixed-up object shows in the bytes.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) + seed
	}
	return b
}

func testRoundTrip(t *testing.T, s Store) {
	cases := []struct {
		key, ct, wantCT string
		data            []byte
	}{
		{"brands/42/models/chair.glb", "model/gltf-binary", "model/gltf-binary", pattern(70000, 1)},
		{"plain", "", "application/octet-stream", []byte("hello")},
		{"empty/object", "text/plain; charset=utf-8", "text/plain; charset=utf-8", nil},
		{"modèles/é-1=2+3@x.usdz", "model/vnd.usdz+zip", "model/vnd.usdz+zip", []byte("usdz")},
	}
	for _, c := range cases {
		before := time.Now().Add(-time.Minute)
		pi := put(t, s, c.key, c.data, c.ct)
		if pi.Key != c.key || pi.Size != int64(len(c.data)) || pi.ContentType != c.wantCT {
			t.Errorf("Put(%q) info = %+v, want size %d type %q", c.key, pi, len(c.data), c.wantCT)
		}
		data, gi := get(t, s, c.key, nil)
		if !bytes.Equal(data, c.data) {
			t.Errorf("Get(%q) = %d bytes, want %d bytes as put", c.key, len(data), len(c.data))
		}
		si, err := s.Stat(t.Context(), c.key)
		if err != nil {
			t.Fatalf("Stat(%q): %v", c.key, err)
		}
		for name, info := range map[string]Info{"Get": gi, "Stat": si} {
			if info.Key != c.key || info.Size != int64(len(c.data)) || info.ContentType != c.wantCT {
				t.Errorf("%s(%q) info = %+v, want size %d type %q", name, c.key, info, len(c.data), c.wantCT)
			}
			// A loose bound: it catches a zero or garbage time, not slowness.
			if info.ModTime.Before(before) {
				t.Errorf("%s(%q) ModTime = %v, want a recent time", name, c.key, info.ModTime)
			}
		}
	}
}

func testOverwrite(t *testing.T, s Store) {
	put(t, s, "doc", []byte("first version, longer"), "text/plain")
	put(t, s, "doc", []byte("second"), "application/json")
	data, info := get(t, s, "doc", nil)
	if string(data) != "second" || info.ContentType != "application/json" || info.Size != 6 {
		t.Errorf("after overwrite Get = %q %+v, want %q as application/json", data, info, "second")
	}
}

func testMissing(t *testing.T, s Store) {
	put(t, s, "here/file", []byte("x"), "")
	// "here/file/below" has an object where a folder would be; it must read
	// as missing, not as an I/O error.
	for _, key := range []string{"nothing", "here/nothing", "here", "here/file/below"} {
		if _, _, err := s.Get(t.Context(), key, nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) error = %v, want ErrNotFound", key, err)
		}
		if _, err := s.Stat(t.Context(), key); !errors.Is(err, ErrNotFound) {
			t.Errorf("Stat(%q) error = %v, want ErrNotFound", key, err)
		}
		if _, err := s.SignedURL(t.Context(), key, time.Minute, URLOptions{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("SignedURL(%q) error = %v, want ErrNotFound", key, err)
		}
	}
}

func testRange(t *testing.T, s Store) {
	data := pattern(100, 3)
	put(t, s, "r/obj", data, "application/x-test")
	ok := []struct {
		rng  Range
		want []byte
	}{
		{Range{10, 20}, data[10:30]},
		{Range{0, 1}, data[:1]},
		{Range{90, -1}, data[90:]},
		{Range{0, -1}, data},
		{Range{0, 100}, data},
		{Range{99, 1}, data[99:]},
		{Range{100, -1}, nil},
		{Range{50, 0}, nil},
	}
	for _, c := range ok {
		got, info := get(t, s, "r/obj", &c.rng)
		if !bytes.Equal(got, c.want) {
			t.Errorf("Get range %+v = %d bytes, want %d", c.rng, len(got), len(c.want))
		}
		if info.Size != 100 || info.ContentType != "application/x-test" {
			t.Errorf("Get range %+v info = %+v, want the whole object's", c.rng, info)
		}
	}
	for _, rng := range []Range{{101, -1}, {200, 1}, {95, 10}, {0, 101}, {-1, 5}} {
		rc, _, err := s.Get(t.Context(), "r/obj", &rng)
		if !errors.Is(err, ErrInvalidRange) {
			t.Errorf("Get range %+v error = %v, want ErrInvalidRange", rng, err)
		}
		if rc != nil {
			rc.Close()
		}
	}
}

func testDelete(t *testing.T, s Store) {
	put(t, s, "d/x/obj", []byte("bye"), "")
	put(t, s, "d/keep", []byte("stay"), "")
	for range 2 { // the second Delete removes a missing object: still fine
		if err := s.Delete(t.Context(), "d/x/obj"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Stat(t.Context(), "d/x/obj"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Stat after Delete error = %v, want ErrNotFound", err)
		}
	}
	if err := s.Delete(t.Context(), "never/existed"); err != nil {
		t.Errorf("Delete of a key never stored: %v", err)
	}
	if data, _ := get(t, s, "d/keep", nil); string(data) != "stay" {
		t.Errorf("neighbour object = %q after Delete, want %q", data, "stay")
	}
}

func testList(t *testing.T, s Store) {
	objs := map[string]int{"list/a/1": 1, "list/a/2": 22, "list/b/1": 3, "list/ab": 4, "listx/1": 5, "other": 6}
	for k, n := range objs {
		put(t, s, k, pattern(n, 0), "text/plain")
	}
	cases := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"list/a/1", "list/a/2", "list/ab", "list/b/1", "listx/1", "other"}},
		{"list/", []string{"list/a/1", "list/a/2", "list/ab", "list/b/1"}},
		{"list/a", []string{"list/a/1", "list/a/2", "list/ab"}},
		{"list/a/", []string{"list/a/1", "list/a/2"}},
		{"list", []string{"list/a/1", "list/a/2", "list/ab", "list/b/1", "listx/1"}},
		{"list/a/1", []string{"list/a/1"}},
		{"nothing/", nil},
	}
	for _, c := range cases {
		var got []string
		err := s.List(t.Context(), c.prefix, func(info Info) bool {
			got = append(got, info.Key)
			if info.Size != int64(objs[info.Key]) || info.ModTime.IsZero() {
				t.Errorf("List(%q) info = %+v, want size %d and a time", c.prefix, info, objs[info.Key])
			}
			return true
		})
		if err != nil {
			t.Fatalf("List(%q): %v", c.prefix, err)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("List(%q) = %q, want %q", c.prefix, got, c.want)
		}
	}
	calls := 0
	if err := s.List(t.Context(), "list/", func(Info) bool { calls++; return false }); err != nil {
		t.Fatalf("List stopped early: %v", err)
	}
	if calls != 1 {
		t.Errorf("List called fn %d times after it returned false, want 1", calls)
	}
	for _, prefix := range []string{"../", "/", "a//", "a\\"} {
		if err := s.List(t.Context(), prefix, func(Info) bool { return true }); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("List(%q) error = %v, want ErrInvalidKey", prefix, err)
		}
	}
}

// endlessReader yields the byte b forever.
type endlessReader byte

func (r endlessReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func testTooLarge(t *testing.T, s Store) {
	ctx := t.Context()
	if _, err := s.Put(ctx, "big/exact", bytes.NewReader(pattern(10, 0)), PutOptions{MaxSize: 10}); err != nil {
		t.Fatalf("Put of exactly MaxSize bytes: %v", err)
	}
	srcs := map[string]func() io.Reader{
		"one byte over": func() io.Reader { return bytes.NewReader(pattern(11, 0)) },
		"endless":       func() io.Reader { return endlessReader('z') },
	}
	for name, src := range srcs {
		key := "big/new-" + strings.ReplaceAll(name, " ", "-")
		if _, err := s.Put(ctx, key, src(), PutOptions{MaxSize: 10}); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: Put error = %v, want ErrTooLarge", name, err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: Stat after refused Put error = %v, want ErrNotFound", name, err)
		}

		put(t, s, "big/old", []byte("previous"), "text/old")
		if _, err := s.Put(ctx, "big/old", src(), PutOptions{MaxSize: 10, ContentType: "text/new"}); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: overwriting Put error = %v, want ErrTooLarge", name, err)
		}
		if data, info := get(t, s, "big/old", nil); string(data) != "previous" || info.ContentType != "text/old" {
			t.Errorf("%s: previous object after refused Put = %q %q, want it unchanged", name, data, info.ContentType)
		}
	}
}

// badKeys are keys every backend must refuse before touching storage.
var badKeys = []string{
	"../x", "a/../b", "..", ".", "./a", "a/.", "/abs", "a//b", "a/", `a\b`, "",
	"a\x00b", "a\nb", "a b", "a?b", "a#b", "a%2Fb", "a~b", "\xff\xfe", strings.Repeat("k", MaxKeyLen+1),
}

func testInvalidKeys(t *testing.T, s Store) {
	ctx := t.Context()
	for _, key := range badKeys {
		ops := map[string]error{}
		_, ops["Put"] = s.Put(ctx, key, strings.NewReader("x"), PutOptions{})
		_, _, ops["Get"] = s.Get(ctx, key, nil)
		_, ops["Stat"] = s.Stat(ctx, key)
		ops["Delete"] = s.Delete(ctx, key)
		_, ops["SignedURL"] = s.SignedURL(ctx, key, time.Minute, URLOptions{})
		for op, err := range ops {
			if !errors.Is(err, ErrInvalidKey) {
				t.Errorf("%s(%q) error = %v, want ErrInvalidKey", op, key, err)
			}
		}
	}
	// Nothing may have been written by any refused Put.
	if err := s.List(ctx, "", func(i Info) bool { t.Errorf("List found %q", i.Key); return true }); err != nil {
		t.Fatalf("List: %v", err)
	}
}

func testInvalidContentType(t *testing.T, s Store) {
	for _, ct := range []string{"text/html\r\nX-Evil: 1", "not a type", strings.Repeat("a", 250) + "/" + strings.Repeat("b", 10)} {
		if _, err := s.Put(t.Context(), "ct", strings.NewReader("x"), PutOptions{ContentType: ct}); !errors.Is(err, ErrInvalidContentType) {
			t.Errorf("Put with content type %q error = %v, want ErrInvalidContentType", ct, err)
		}
	}
}

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
	key := "u/modèle-é.glb"
	put(t, s, key, data, "model/gltf-binary")
	u, err := s.SignedURL(t.Context(), key, time.Minute, URLOptions{Filename: "Chaise rouge é.glb"})
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

func testSignedURLExpired(t *testing.T, s Store) {
	put(t, s, "e/obj", []byte("short-lived"), "text/plain")
	u, err := s.SignedURL(t.Context(), "e/obj", time.Second, URLOptions{})
	if err != nil {
		t.Fatalf("SignedURL: %v", err)
	}
	// Expiry is checked in whole seconds by both backends; waiting a little
	// over two seconds is the shortest wait that is certain to pass it.
	time.Sleep(2100 * time.Millisecond)
	resp, body := fetch(t, u, nil)
	if resp.StatusCode == http.StatusOK {
		t.Errorf("expired URL = 200 %q, want a refusal", body)
	}
}

func testConcurrentPuts(t *testing.T, s Store) {
	const writers, size = 12, 200_000
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, writers*2)
	for w := range writers {
		wg.Go(func() {
			data := bytes.Repeat([]byte{byte('A' + w)}, size)
			ct := fmt.Sprintf("application/x-writer-%c", 'A'+w)
			if _, err := s.Put(ctx, "race/obj", bytes.NewReader(data), PutOptions{ContentType: ct}); err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
			}
		})
		// Readers run alongside: whatever they see must be one whole object.
		wg.Go(func() {
			rc, info, err := s.Get(ctx, "race/obj", nil)
			if errors.Is(err, ErrNotFound) {
				return
			}
			if err != nil {
				errs <- fmt.Errorf("reader %d: %w", w, err)
				return
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				errs <- fmt.Errorf("reader %d: %w", w, err)
				return
			}
			if err := checkWhole(data, info); err != nil {
				errs <- fmt.Errorf("reader %d: %w", w, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	data, info := get(t, s, "race/obj", nil)
	if err := checkWhole(data, info); err != nil {
		t.Error(err)
	}
	if len(data) != size {
		t.Errorf("final object has %d bytes, want %d", len(data), size)
	}
}

// checkWhole verifies that data and info come from a single writer of
// testConcurrentPuts: every byte and the content type name the same writer.
func checkWhole(data []byte, info Info) error {
	if len(data) == 0 || int64(len(data)) != info.Size {
		return fmt.Errorf("read %d bytes, info says %d", len(data), info.Size)
	}
	if n := bytes.Count(data, data[:1]); n != len(data) {
		return fmt.Errorf("object mixes writers: %d of %d bytes are %q", n, len(data), data[0])
	}
	if want := fmt.Sprintf("application/x-writer-%c", data[0]); info.ContentType != want {
		return fmt.Errorf("data from writer %q has content type %q", data[0], info.ContentType)
	}
	return nil
}

func testPing(t *testing.T, s Store) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}
