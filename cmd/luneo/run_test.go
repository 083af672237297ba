package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/web/webtest"
)

// process is one in-process run of the binary, as a test drives it.
type process struct {
	url    string
	cancel context.CancelFunc
	done   chan error
	stderr *lockedBuffer
	// store is dev's demo store URL once announced (storeURL reads it).
	mu    sync.Mutex
	store string
}

func (p *process) setStore(u string) { p.mu.Lock(); p.store = u; p.mu.Unlock() }

// storeURL waits a little for the demo store's announcement, which follows
// the URL line.
func (p *process) storeURL(t *testing.T) string {
	t.Helper()
	for range 100 {
		p.mu.Lock()
		u := p.store
		p.mu.Unlock()
		if u != "" {
			return u
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("dev did not announce its demo store\n%s", p.stderr)
	return ""
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var urlLine = regexp.MustCompile(`(http://\S+)\s*$`)

// storeLine is dev's announcement of its demo store.
var storeLine = regexp.MustCompile(`^Demo store .*: (http://\S+)\s*$`)

// The tests of this package run one at a time, unlike the rest of the
// suite: each starts whole servers, workers, browsers or a go build, so on
// a small CI machine running them together only starves the other packages
// (measured: the suite's wall time grew by a sixth when they were parallel).

// start runs `luneo <cmd>` with env and waits for the line announcing its URL.
func start(t *testing.T, cmd string, env map[string]string) *process {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	p := &process{cancel: cancel, done: make(chan error, 1), stderr: &lockedBuffer{}}
	go func() {
		getenv := func(k string) string {
			if v, ok := env[k]; ok || k != "LUNEO_DEMO_STORE_ADDR" {
				return v
			}
			return "off" // tests run in parallel: no demo store on a fixed port unless asked
		}
		err := run(ctx, []string{cmd}, getenv, outW, p.stderr)
		outW.CloseWithError(io.EOF)
		p.done <- err
	}()
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(outR)
		for s.Scan() {
			if m := storeLine.FindStringSubmatch(s.Text()); m != nil {
				p.setStore(m[1])
				continue
			}
			if m := urlLine.FindStringSubmatch(s.Text()); m != nil {
				select {
				case line <- m[1]:
				default:
				}
			}
		}
		close(line)
	}()
	select {
	case u, ok := <-line:
		if !ok {
			t.Fatalf("%s exited before announcing its URL: %v\n%s", cmd, <-p.done, p.stderr)
		}
		p.url = u
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start within 60s\n%s", cmd, p.stderr)
	}
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop cancels the run (as SIGTERM does) and expects a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if p.cancel == nil {
		return
	}
	p.cancel()
	p.cancel = nil
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("unclean shutdown: %v\n%s", err, p.stderr)
		}
		if !strings.Contains(p.stderr.String(), "stopped") {
			t.Errorf("no 'stopped' log line:\n%s", p.stderr)
		}
	case <-time.After(40 * time.Second):
		t.Errorf("did not stop within 40s")
	}
}

func get(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// waitFor polls u until cond holds on its body, or fails after 30 s.
func waitFor(t *testing.T, u string, cond func(status int, body string) bool) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, _, body := get(t, u)
		if cond(status, body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s never satisfied the condition; last %d %s", u, status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func ready(status int, _ string) bool { return status == http.StatusOK }

func purgeDone(_ int, body string) bool {
	return strings.Contains(body, `luneo_jobs_total{kind="purge_expired",state="completed"} 1`)
}

// checkDev drives a running dev server through what a user and an operator see.
func checkDev(t *testing.T, p *process) {
	waitFor(t, p.url+"/readyz", ready)
	if status, _, body := get(t, p.url+"/healthz"); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", status, body)
	}
	status, h, body := get(t, p.url+"/")
	if status != 200 || !strings.Contains(body, "Luneo") || h.Get("X-Request-ID") == "" || h.Get("Content-Security-Policy") == "" {
		t.Fatalf("home: %d %v", status, h)
	}
	css := regexp.MustCompile(`/static/app\.[0-9a-f]{12}\.css`).FindString(body)
	if status, h, _ := get(t, p.url+css); css == "" || status != 200 || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Fatalf("stylesheet %q: %d %v", css, status, h)
	}
	// The periodic purge job is enqueued at start and worked by the same process.
	metrics := waitFor(t, p.url+"/metrics", purgeDone)
	for _, want := range []string{`luneo_http_requests_total{method="GET",route="GET /{$}",status="200"}`, "go_goroutines", `luneo_queue_jobs{state="available"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestDevOnEmbeddedDefaults(t *testing.T) {
	data := t.TempDir()
	p := start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data})
	checkDev(t, p)
	p.stop(t)
	st, err := os.Stat(filepath.Join(data, "secret"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("dev secret: %v %v", st, err)
	}
	// The job left its trace in the database: completed, in the SQLite file under LUNEO_DATA.
	d, err := db.Open(context.Background(), "sqlite:"+filepath.Join(data, "luneo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'purge_expired' AND state = 'completed'`).Scan(&n); err != nil || n < 1 {
		t.Fatalf("completed purge jobs: %d %v", n, err)
	}
	if err := d.QueryRow(`SELECT count(*) FROM brands WHERE slug = 'demo-brand'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("demo brand: %d %v", n, err)
	}
	if b, err := os.ReadFile(filepath.Join(data, "demo-login.txt")); err != nil || !strings.HasPrefix(string(b), "demo@") {
		t.Fatalf("demo login file: %q %v", b, err)
	}
	// A second start reuses everything (same secret, no second demo brand),
	// and runs the demo store: a page on another origin, listed among the
	// demo brand's embed origins, with the two-line snippet.
	p = start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data, "LUNEO_DEMO_STORE_ADDR": "127.0.0.1:0"})
	waitFor(t, p.url+"/readyz", ready)
	store := p.storeURL(t)
	status, h, body := get(t, store+"/")
	if status != 200 || !strings.Contains(body, `<script src="`+p.url+`/embed/luneo.js"></script>`) ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-src "+p.url) {
		t.Fatalf("demo store page: %d %v\n%s", status, h, body)
	}
	var origins int
	if err := d.QueryRow(`SELECT count(*) FROM embed_origins WHERE origin = $1`, store).Scan(&origins); err != nil || origins != 1 {
		t.Fatalf("the demo store's origin is not listed: %d %v", origins, err)
	}
	p.stop(t)
	// A third start still finds everything.
	p = start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data})
	waitFor(t, p.url+"/readyz", ready)
}

// externalEnv returns the environment that points Luneo at the test
// PostgreSQL (own schema), Redis and S3, or skips when they are not configured.
func externalEnv(t *testing.T) map[string]string {
	t.Helper()
	env := webtest.External(t)
	env["LUNEO_ADDR"], env["LUNEO_OPS_ADDR"] = "127.0.0.1:0", "127.0.0.1:0"
	env["LUNEO_DATA"] = t.TempDir()
	env["LUNEO_SECRET"] = strings.Repeat("s3cr3t-", 6)
	return env
}

func TestDevOnPostgresRedisS3(t *testing.T) {
	env := externalEnv(t)
	p := start(t, "dev", env)
	checkDev(t, p)
	if _, err := os.Stat(filepath.Join(env["LUNEO_DATA"], "luneo.db")); err == nil {
		t.Fatal("dev on PostgreSQL still created an SQLite file")
	}
}

// TestServeAndWorkerAsSeparateProcesses runs the production layout: migrate,
// then an HTTP process and a worker process sharing the database.
func TestServeAndWorkerAsSeparateProcesses(t *testing.T) {
	for name, env := range map[string]func(t *testing.T) map[string]string{
		"embedded": func(t *testing.T) map[string]string {
			data := t.TempDir()
			return map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_OPS_ADDR": "127.0.0.1:0", "LUNEO_DATA": data,
				"LUNEO_SECRET": strings.Repeat("x", 40)}
		},
		"postgres-redis-s3": externalEnv,
	} {
		t.Run(name, func(t *testing.T) {
			env := env(t)
			getenv := func(k string) string { return env[k] }
			if err := run(context.Background(), []string{"serve"}, getenv, io.Discard, io.Discard); err == nil ||
				!strings.Contains(err.Error(), "luneo migrate") {
				t.Fatalf("serve before migrate: %v", err)
			}
			var out strings.Builder
			if err := run(context.Background(), []string{"migrate"}, getenv, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "schema version") {
				t.Fatalf("migrate said %q", out.String())
			}
			srv := start(t, "serve", env)
			wrk := start(t, "worker", env)
			waitFor(t, srv.url+"/readyz", ready)
			waitFor(t, wrk.url+"/readyz", ready)
			waitFor(t, wrk.url+"/metrics", purgeDone)
			if status, _, _ := get(t, wrk.url+"/"); status != http.StatusNotFound {
				t.Fatalf("worker serves pages: %d", status)
			}
			if status, _, _ := get(t, srv.url+"/"); status != http.StatusOK {
				t.Fatalf("serve home: %d", status)
			}
			checkServeOps(t, srv)
		})
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	try := func(args []string, env map[string]string) error {
		return run(ctx, args, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}
	if err := try([]string{"frobnicate"}, nil); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
	if err := try(nil, nil); err == nil {
		t.Error("no command accepted")
	}
	if err := try([]string{"dev", "extra"}, nil); err == nil {
		t.Error("extra argument accepted")
	}
	if err := try([]string{"serve"}, map[string]string{"LUNEO_ADDR": "127.0.0.1:0"}); err == nil || !strings.Contains(err.Error(), "LUNEO_SECRET") {
		t.Errorf("serve without secret: %v", err)
	}
	data := t.TempDir()
	if err := try([]string{"dev"}, map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data, "DATABASE_URL": "mysql://root@x/db"}); err == nil ||
		!strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("bad DATABASE_URL: %v", err)
	}
	err := try([]string{"dev"}, map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data, "REDIS_URL": "redis://127.0.0.1:1/0"})
	if err == nil || !strings.Contains(err.Error(), "REDIS_URL") {
		t.Fatalf("unreachable Redis: %v", err)
	}
	// Nothing was migrated, seeded or generated before Redis was found missing.
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(data, "luneo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("unreachable Redis left %d tables (%v)", n, err)
	}
	if _, err := os.Stat(filepath.Join(data, "secret")); err == nil {
		t.Error("unreachable Redis left a generated secret")
	}
}

func TestHelpAndVersion(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"help"}, os.Getenv, &out, io.Discard); err != nil || !strings.Contains(out.String(), "luneo dev") {
		t.Fatalf("help: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, os.Getenv, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "luneo ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
}
