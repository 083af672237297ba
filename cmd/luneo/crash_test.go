package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/queue"
)

// TestWorkerKilledMidConversion is the crash the job queue must survive: a
// real `luneo worker` process on PostgreSQL is killed with SIGKILL while it
// converts a model to USDZ, another worker starts, and the product's AR
// becomes ready with one USDZ file, the same bytes a clean conversion gives.
//
// The worker under test is built with -tags luneotest, whose only difference
// is a hook (testhook_luneotest.go) that holds the USDZ Put, so the kill
// lands mid-job on cue rather than by timing. Instead of waiting out the 75 s
// rescue delay, the test moves the job's start back by that much: River's
// rescuer then sees what it would see 75 s after the crash.
func TestWorkerKilledMidConversion(t *testing.T) {
	if os.Getenv("LUNEO_TEST_POSTGRES") == "" {
		t.Skip("set LUNEO_TEST_POSTGRES to run the worker crash test")
	}
	duck, err := os.ReadFile(filepath.Join(corpusDir, "models", "Duck.glb"))
	if err != nil {
		t.Skip("corpus model missing:", err)
	}
	bin := buildLuneo(t)
	pg := dbtest.PostgresURL(t)
	env := map[string]string{
		"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_OPS_ADDR": "127.0.0.1:0", "LUNEO_DATA": t.TempDir(),
		"LUNEO_SECRET": strings.Repeat("crash-", 7), "DATABASE_URL": pg,
	}
	if out, err := command(bin, env, "migrate").CombinedOutput(); err != nil {
		t.Fatalf("luneo migrate: %v\n%s", err, out)
	}
	d, err := db.Open(context.Background(), pg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	srv := start(t, "serve", env)
	c := signup(t, srv.url, pg, "crash@example.com", "Crash Co")
	product := str(c.must(201, "POST", "/api/products", map[string]any{"name": "Duck", "currency": "EUR", "price": 100}), "product", "id")
	if st, out := c.uploadModel(product, "Duck.glb", duck, false); st != 201 && st != 200 {
		t.Fatalf("upload: %d %v", st, out)
	}

	held := filepath.Join(t.TempDir(), "held")
	first := startWorker(t, bin, env, "LUNEO_TEST_HOLD_PUT=ar/usdz/", "LUNEO_TEST_HOLD_FILE="+held)
	key := waitForFile(t, held, first)
	var jobID int64
	var state string
	if err := d.QueryRow(`SELECT id, state FROM river_job WHERE kind = 'convert_usdz'`).Scan(&jobID, &state); err != nil || state != "running" {
		t.Fatalf("conversion job %d is %q (%v), want running while the worker holds %s", jobID, state, err, key)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	if first.err == nil || !strings.Contains(first.err.Error(), "killed") {
		t.Fatalf("worker exit: %v, want killed", first.err)
	}
	if st, out := c.do("GET", "/api/products/"+product+"/ar", nil); st != 202 {
		t.Fatalf("AR after the crash: %d %v, want 202 pending", st, out)
	}

	// The crash happened "a rescue delay ago".
	if _, err := d.Exec(`UPDATE river_job SET attempted_at = $2 WHERE id = $1`,
		jobID, time.Now().Add(-queue.DefaultRescueAfter-time.Second)); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	second := startWorker(t, bin, env)
	ready := waitAR(t, c, product)
	// A new worker first waits out the dead leader's lease (15 s), then
	// its rescuer runs at once; the rest is River's scheduler and a poll.
	t.Logf("AR ready %s after the second worker started", time.Since(restarted).Round(100*time.Millisecond))
	second.stop(t)

	var jobState string
	var attempt int
	var firstErr string
	if err := d.QueryRow(`SELECT state, attempt, coalesce(errors[1]->>'error', '') FROM river_job WHERE id = $1`, jobID).
		Scan(&jobState, &attempt, &firstErr); err != nil {
		t.Fatal(err)
	}
	if jobState != "completed" || attempt != 2 || !strings.Contains(firstErr, "Stuck job rescued") {
		t.Fatalf("job %s after %d attempts (first error %q), want completed by the rescue's retry", jobState, attempt, firstErr)
	}
	var sha, status string
	var conversions, assets int
	if err := d.QueryRow(`SELECT count(*), max(glb_sha256), max(status), coalesce(sum(conversions), 0) FROM ar_assets`).
		Scan(&assets, &sha, &status, &conversions); err != nil {
		t.Fatal(err)
	}
	if assets != 1 || status != "ready" || conversions != 1 {
		t.Fatalf("ar_assets: %d rows, status %q, %d conversions; want one ready asset converted once", assets, status, conversions)
	}
	if key != ar.USDZKey(sha) {
		t.Fatalf("the killed worker was storing %s, want %s", key, ar.USDZKey(sha))
	}

	// One USDZ object, with the bytes a conversion from scratch gives.
	store, err := blob.NewFS(filepath.Join(env["LUNEO_DATA"], "blobs"), "http://localhost", []byte(env["LUNEO_SECRET"]))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := store.List(t.Context(), "ar/", func(i blob.Info) bool { keys = append(keys, i.Key); return true }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != key {
		t.Fatalf("AR objects %v, want only %s", keys, key)
	}
	rc, _, err := store.Get(t.Context(), key, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := convertFresh(t, duck)
	if !bytes.Equal(stored, want) {
		t.Fatalf("stored USDZ (%d bytes) differs from a fresh conversion (%d bytes)", len(stored), len(want))
	}
	if resp, body := fetch(t, str(ready, "usdz_url"), nil); resp.StatusCode != 200 || !bytes.Equal(body, want) {
		t.Fatalf("served USDZ: %d, %d bytes; want 200 with the converted %d", resp.StatusCode, len(body), len(want))
	}
	if tmp, _ := os.ReadDir(filepath.Join(env["LUNEO_DATA"], "blobs", "~tmp")); len(tmp) != 0 {
		t.Errorf("half-written uploads left behind: %v", tmp)
	}
}

// buildLuneo builds the binary with the test hooks into a temporary folder.
func buildLuneo(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "luneo")
	if out, err := exec.Command("go", "build", "-tags", "luneotest", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// command prepares bin with exactly env (plus PATH and HOME) and extra.
func command(bin string, env map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// workerProcess is a `luneo worker` child process.
type workerProcess struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{} // closed once the process has exited
	err    error         // how it exited, once exited is closed
}

// startWorker starts `luneo worker` with env plus extra KEY=value pairs; the
// test's end stops it (SIGTERM) if the test has not.
func startWorker(t *testing.T, bin string, env map[string]string, extra ...string) *workerProcess {
	t.Helper()
	w := &workerProcess{cmd: command(bin, env, "worker"), stderr: &lockedBuffer{}, exited: make(chan struct{})}
	w.cmd.Env = append(w.cmd.Env, extra...)
	w.cmd.Stderr = w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w.err = w.cmd.Wait()
		close(w.exited)
	}()
	t.Cleanup(func() { w.stop(t) })
	return w
}

// stop ends the worker as an operator would (SIGTERM) and expects a clean
// exit; a worker that has already exited is left alone.
func (w *workerProcess) stop(t *testing.T) {
	t.Helper()
	select {
	case <-w.exited:
		return
	default:
	}
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	<-w.exited
	if w.err != nil {
		t.Errorf("worker did not stop cleanly: %v\n%s", w.err, w.stderr)
	}
}

// waitForFile waits until the hook has written path and returns its content.
func waitForFile(t *testing.T, path string, w *workerProcess) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		} else if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		select {
		case <-w.exited:
			t.Fatalf("worker exited before converting:\n%s", w.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker never started converting:\n%s", w.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// convertFresh converts model as `luneo usdz` does, with the worker's
// texture limit, and returns the package.
func convertFresh(t *testing.T, model []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "model.glb"), filepath.Join(dir, "model.usdz")
	if err := os.WriteFile(in, model, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"usdz", "--max-texture", strconv.Itoa(ar.MaxTextureSize), in, out}
	if err := run(context.Background(), args, os.Getenv, io.Discard, io.Discard); err != nil {
		t.Fatalf("luneo usdz: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
