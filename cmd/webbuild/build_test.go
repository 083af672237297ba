package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, path, content string, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func TestNeedsInstall(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, _, err := needsInstall(dir); err == nil || !strings.Contains(err.Error(), "package-lock.json") {
		t.Errorf("no lock file: %v, want an error naming package-lock.json", err)
	}
	old := time.Now().Add(-time.Hour)
	write(t, filepath.Join(dir, "package.json"), "{}", old)
	write(t, filepath.Join(dir, "package-lock.json"), "{}", old)
	if stale, why, err := needsInstall(dir); err != nil || !stale || !strings.Contains(why, "missing") {
		t.Errorf("no node_modules: %v %q %v, want stale", stale, why, err)
	}
	write(t, filepath.Join(dir, "node_modules", ".package-lock.json"), "{}", old.Add(time.Minute))
	if stale, _, err := needsInstall(dir); err != nil || stale {
		t.Errorf("fresh node_modules: %v %v, want up to date", stale, err)
	}
	write(t, filepath.Join(dir, "package-lock.json"), "{}", time.Now())
	if stale, why, err := needsInstall(dir); err != nil || !stale || !strings.Contains(why, "changed") {
		t.Errorf("lock file newer than the install: %v %q %v, want stale", stale, why, err)
	}
}

// TestMissingNPM: without npm, a machine that must install gets an error
// that says how to get it.
func TestMissingNPM(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "package.json"), "{}", time.Now())
	write(t, filepath.Join(dir, "package-lock.json"), "{}", time.Now())
	c := config{webDir: dir, stdout: io.Discard, stderr: io.Discard,
		lookPath: func(string) (string, error) { return "", errors.New("not found") }}
	err := ensureNodeModules(t.Context(), c)
	if !errors.Is(err, errNoNPM) || !strings.Contains(err.Error(), "apt-get install -y nodejs npm") {
		t.Errorf("ensureNodeModules without npm: %v", err)
	}
}

func TestEntryPoints(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"src/viewer.ts", "src/widget.ts", "src/types.d.ts", "src/lib/zones.ts", "src/notes.md"} {
		write(t, filepath.Join(dir, f), "", time.Now())
	}
	got, err := entryPoints(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		if !filepath.IsAbs(p) {
			t.Errorf("entry point %s is not absolute (esbuild resolves relative ones from web/)", p)
		}
		names = append(names, filepath.Base(p))
	}
	if strings.Join(names, ",") != "viewer.ts,widget.ts" {
		t.Errorf("entry points %v, want viewer.ts and widget.ts", names)
	}
	if _, err := entryPoints(t.TempDir()); err == nil {
		t.Error("a web folder without entry points was accepted")
	}
}

// TestBuild runs the real build of web/ into a temporary folder (skipped
// until `make web` has installed web/node_modules).
func TestBuild(t *testing.T) {
	t.Parallel()
	web := filepath.Join("..", "..", "web")
	// The test never installs: npm ci would swap node_modules under the
	// feet of other packages' tests running at the same time.
	if stale, why, err := needsInstall(web); err != nil || stale {
		t.Skipf("web/node_modules not ready (%s%v): run make web", why, err)
	}
	out := filepath.Join(t.TempDir(), "static", "dist")
	write(t, filepath.Join(out, "stale.js"), "old build", time.Now())
	var log strings.Builder
	c := config{webDir: web, outDir: out, stdout: &log, stderr: &log, lookPath: lookPathNPM}
	if err := build(t.Context(), c); err != nil {
		t.Fatalf("build: %v\n%s", err, log.String())
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	viewer := read("viewer.js")
	for _, want := range []string{"model-viewer", "decoders/", "meshopt_decoder.js", "//# sourceMappingURL=viewer.js.map"} {
		if !strings.Contains(viewer, want) {
			t.Errorf("viewer.js lacks %q", want)
		}
	}
	if strings.Contains(viewer, "require(") {
		t.Error("viewer.js is not a pure ES module bundle")
	}
	if !strings.Contains(read("zone-editor.js"), "data-zone-editor") {
		t.Error("zone-editor.js does not look for data-zone-editor")
	}
	read("viewer.js.map")
	read("zone-editor.js.map")
	if m := read("decoders/meshopt_decoder.js"); !strings.HasPrefix(m, "var MeshoptDecoder=") || strings.Contains(m, "export{") {
		t.Errorf("meshopt_decoder.js is not a classic script defining MeshoptDecoder: %.80s", m)
	}
	for _, f := range []string{"draco/draco_wasm_wrapper.js", "draco/draco_decoder.wasm", "basis/basis_transcoder.js", "basis/basis_transcoder.wasm"} {
		if b := read("decoders/" + f); len(b) < 1000 {
			t.Errorf("decoders/%s is %d bytes", f, len(b))
		}
	}
	if _, err := os.Stat(filepath.Join(out, "stale.js")); err == nil {
		t.Error("a file of the previous build survived")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), ".dist.building")); err == nil {
		t.Error("the build folder was left behind")
	}
	if !strings.Contains(log.String(), "viewer.js") || !strings.Contains(log.String(), "gzip") {
		t.Errorf("no size report:\n%s", log.String())
	}
}
