package blob

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

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
