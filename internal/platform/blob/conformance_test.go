package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
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

func testPing(t *testing.T, s Store) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}
