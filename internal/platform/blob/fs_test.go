package blob

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testSecret is a fixed 32-byte secret for tests.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// newTestFS returns an FS in a fresh folder whose signed URLs are served by
// a test HTTP server.
func newTestFS(t *testing.T) *FS {
	t.Helper()
	var store *FS
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveFS(store).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var err error
	store, err = NewFS(filepath.Join(t.TempDir(), "blobs"), srv.URL, testSecret)
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	return store
}

func TestFSConformance(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T) Store {
		store := newTestFS(t)
		t.Cleanup(func() { assertNoTempFiles(t, store) })
		return store
	})
}

// assertNoTempFiles checks that no upload, refused or not, left a temp file.
func assertNoTempFiles(t *testing.T, f *FS) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(f.root, fsTmpDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read temp folder: %v", err)
	}
	for _, e := range entries {
		t.Errorf("temp file %s left behind", e.Name())
	}
}

func TestNewFS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := NewFS(dir, "http://localhost:8080", testSecret[:31]); err == nil {
		t.Error("NewFS with a 31-byte secret succeeded")
	}
	for _, base := range []string{"", "localhost:8080", "ftp://x", "http://", "http://x/?a=1"} {
		if _, err := NewFS(dir, base, testSecret); err == nil {
			t.Errorf("NewFS with base URL %q succeeded", base)
		}
	}
	root := filepath.Join(dir, "new", "root")
	f, err := NewFS(root, "http://localhost:8080/", testSecret)
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	if fi, err := os.Stat(root); err != nil || fi.Mode().Perm() != fsDirMode {
		t.Errorf("root = %v, %v; want a folder with mode %o", fi, err, fsDirMode)
	}
	put(t, f, "k", []byte("x"), "")
	u, err := f.SignedURL(t.Context(), "k", time.Minute, URLOptions{})
	if err != nil || !strings.HasPrefix(u, "http://localhost:8080/blobs/k?") {
		t.Errorf("SignedURL = %q, %v; want it under http://localhost:8080/blobs/", u, err)
	}
}

func TestFSSweepsStaleTempFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	tmp := filepath.Join(root, fsTmpDir)
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		t.Fatal(err)
	}
	stale, fresh := filepath.Join(tmp, "put-stale"), filepath.Join(tmp, "put-fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * fsStaleTmp)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFS(root, "http://localhost", testSecret); err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file still there (err %v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
}

func TestFSSymlinkEscape(t *testing.T) {
	t.Parallel()
	f := newTestFS(t)
	// The outside folder holds a genuine object file, so only the symlink
	// check (not a bad header) can stop it from being served.
	outside, err := NewFS(t.TempDir(), "http://localhost", testSecret)
	if err != nil {
		t.Fatal(err)
	}
	put(t, outside, "secret/obj", []byte("outside data"), "text/plain")
	target := filepath.Join(outside.root, "secret")

	if err := os.Symlink(filepath.Join(target, "obj"), filepath.Join(f.root, "file-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(f.root, "dir-link")); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, key := range []string{"file-link", "dir-link/obj"} {
		if rc, _, err := f.Get(ctx, key, nil); err == nil {
			rc.Close()
			t.Errorf("Get(%q) through a symlink out of root succeeded", key)
		}
		if _, err := f.Stat(ctx, key); err == nil {
			t.Errorf("Stat(%q) through a symlink out of root succeeded", key)
		}
		if rs, _, err := f.OpenSeeker(ctx, key); err == nil {
			rs.Close()
			t.Errorf("OpenSeeker(%q) through a symlink out of root succeeded", key)
		}
	}
	if _, err := f.Put(ctx, "dir-link/new", strings.NewReader("x"), PutOptions{}); err == nil {
		t.Error("Put through a symlinked folder out of root succeeded")
	}
	if err := f.Delete(ctx, "dir-link/obj"); err == nil {
		t.Error("Delete through a symlinked folder out of root succeeded")
	}
	if data, _ := get(t, outside, "secret/obj", nil); string(data) != "outside data" {
		t.Errorf("outside object = %q, want it untouched", data)
	}
	if _, err := os.Stat(filepath.Join(target, "new")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Put wrote outside root (stat err %v)", err)
	}
	err = f.List(ctx, "", func(i Info) bool { t.Errorf("List found %q", i.Key); return true })
	if err != nil {
		t.Errorf("List: %v", err)
	}
}

func TestFSDamagedFiles(t *testing.T) {
	t.Parallel()
	f := newTestFS(t)
	put(t, f, "good", pattern(100, 0), "text/plain")
	whole, err := os.ReadFile(filepath.Join(f.root, "good"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"foreign":   []byte("dropped here by hand, no header"),
		"truncated": whole[:len(whole)-1],
		"header":    whole[:10],
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(f.root, name), data, 0o640); err != nil {
			t.Fatal(err)
		}
		_, err := f.Stat(t.Context(), name)
		if err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Stat of %s file error = %v, want a damage error", name, err)
		}
	}
	if err := f.List(t.Context(), "", func(Info) bool { return true }); err == nil {
		t.Error("List over damaged files succeeded, want an error naming one")
	}
}

func TestFSPingFailsWhenRootIsGone(t *testing.T) {
	t.Parallel()
	f := newTestFS(t)
	if err := os.RemoveAll(f.root); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.root, []byte("not a folder"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := f.Ping(t.Context()); err == nil {
		t.Error("Ping with a file in place of the root succeeded")
	}
}

func TestFSObjectFolderConflict(t *testing.T) {
	t.Parallel()
	f := newTestFS(t)
	put(t, f, "a/b", []byte("x"), "")
	// "a" is a folder here, so it can be neither an object nor replaced by one.
	if _, err := f.Put(t.Context(), "a", strings.NewReader("y"), PutOptions{}); err == nil {
		t.Error("Put over a folder succeeded")
	}
	if data, _ := get(t, f, "a/b", nil); string(data) != "x" {
		t.Errorf("a/b = %q after the refused Put, want %q", data, "x")
	}
	// Deleting the last object prunes the folder, freeing the name.
	if err := f.Delete(t.Context(), "a/b"); err != nil {
		t.Fatal(err)
	}
	put(t, f, "a", []byte("y"), "")
	assertNoTempFiles(t, f)
}

// FuzzReadHeader feeds arbitrary bytes to the object file parser, which
// reads files that may have been damaged or dropped in by hand: it must
// reject them cleanly, never panic or claim data beyond the file.
func FuzzReadHeader(f *testing.F) {
	h, err := encodeHeader(fsMeta{ContentType: "model/gltf-binary"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(h)
	f.Add(append(h, 1, 2, 3))
	f.Add([]byte(fsMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := readHeader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if obj.dataOff < int64(fsFixedLen) || obj.size < 0 || obj.dataOff+obj.size != int64(len(data)) {
			t.Fatalf("accepted header claims data [%d, +%d) in %d bytes", obj.dataOff, obj.size, len(data))
		}
	})
}
