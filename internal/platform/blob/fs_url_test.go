package blob

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// serveFS is the handler shape the web package is expected to use for FS
// signed URLs: verify, open, then let http.ServeContent handle ranges.
func serveFS(store *FS) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{key...}", func(w http.ResponseWriter, r *http.Request) {
		key := r.PathValue("key")
		q := r.URL.Query()
		if err := store.VerifySignature(key, q, time.Now()); err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		rs, info, err := store.OpenSeeker(r.Context(), key)
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer rs.Close()
		w.Header().Set("Content-Type", info.ContentType)
		if dl := q.Get("dl"); dl != "" {
			cd, err := AttachmentDisposition(dl)
			if err != nil {
				http.Error(w, "bad filename", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Disposition", cd)
		}
		http.ServeContent(w, r, "", info.ModTime, rs)
	})
	return mux
}

func TestFSVerifySignature(t *testing.T) {
	t.Parallel()
	f := newTestFS(t)
	put(t, f, "v/obj", []byte("x"), "")
	signed := func(opts URLOptions) url.Values {
		t.Helper()
		u, err := f.SignedURL(t.Context(), "v/obj", time.Hour, opts)
		if err != nil {
			t.Fatalf("SignedURL: %v", err)
		}
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatalf("parse %q: %v", u, err)
		}
		return pu.Query()
	}
	now := time.Now()
	if err := f.VerifySignature("v/obj", signed(URLOptions{}), now); err != nil {
		t.Fatalf("VerifySignature of a fresh URL: %v", err)
	}
	if err := f.VerifySignature("v/obj", signed(URLOptions{Filename: "a.glb"}), now); err != nil {
		t.Fatalf("VerifySignature of a fresh download URL: %v", err)
	}
	if err := f.VerifySignature("v/obj", signed(URLOptions{}), now.Add(2*time.Hour)); !errors.Is(err, ErrURLExpired) {
		t.Errorf("VerifySignature two hours on = %v, want ErrURLExpired", err)
	}

	other, err := NewFS(f.root, "http://localhost", bytes.Repeat([]byte{'z'}, 32))
	if err != nil {
		t.Fatal(err)
	}
	tamper := map[string]func(q url.Values){
		"sig flipped":     func(q url.Values) { q.Set("sig", flipFirst(q.Get("sig"))) },
		"sig missing":     func(q url.Values) { q.Del("sig") },
		"sig not base64":  func(q url.Values) { q.Set("sig", "!!!") },
		"exp extended":    func(q url.Values) { q.Set("exp", q.Get("exp")+"0") },
		"exp missing":     func(q url.Values) { q.Del("exp") },
		"filename added":  func(q url.Values) { q.Set("dl", "x.exe") },
		"filename second": func(q url.Values) { q.Add("dl", "x.exe") },
	}
	for name, change := range tamper {
		q := signed(URLOptions{})
		if strings.HasPrefix(name, "filename second") {
			q = signed(URLOptions{Filename: "a.glb"})
		}
		change(q)
		if err := f.VerifySignature("v/obj", q, now); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: VerifySignature = %v, want ErrBadSignature", name, err)
		}
	}
	q := signed(URLOptions{Filename: "a.glb"})
	q.Del("dl")
	if err := f.VerifySignature("v/obj", q, now); !errors.Is(err, ErrBadSignature) {
		t.Errorf("filename removed: VerifySignature = %v, want ErrBadSignature", err)
	}
	if err := f.VerifySignature("v/other", signed(URLOptions{}), now); !errors.Is(err, ErrBadSignature) {
		t.Errorf("other key: VerifySignature = %v, want ErrBadSignature", err)
	}
	if err := other.VerifySignature("v/obj", signed(URLOptions{}), now); !errors.Is(err, ErrBadSignature) {
		t.Errorf("other secret: VerifySignature = %v, want ErrBadSignature", err)
	}
	if err := f.VerifySignature("../v/obj", signed(URLOptions{}), now); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("bad key: VerifySignature = %v, want ErrInvalidKey", err)
	}
}

// flipFirst changes the first character of a base64url string to another
// valid one, keeping it decodable.
func flipFirst(s string) string {
	if s == "" {
		return "A"
	}
	c := byte('A')
	if s[0] == 'A' {
		c = 'B'
	}
	return string(c) + s[1:]
}
