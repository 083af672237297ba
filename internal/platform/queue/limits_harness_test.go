package queue_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/queue"
)

// The limits are tested with real worker processes: the test binary runs
// itself again as a second worker (TestMain's child mode), both working the
// same PostgreSQL schema and sharing one kv store, as `luneo worker`
// processes do.

// childEnv holds the child's settings as JSON; its presence makes the test
// binary a worker instead of running tests.
const childEnv = "LUNEO_QUEUE_TEST_CHILD"

type childConfig struct {
	URL         string
	RedisURL    string
	RedisPrefix string
	Limits      queue.Limits
}

func TestMain(m *testing.M) {
	if raw := os.Getenv(childEnv); raw != "" {
		var cfg childConfig
		if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
			fmt.Fprintln(os.Stderr, "child config:", err)
			os.Exit(2)
		}
		if err := runChild(cfg); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runChild works limited jobs until its stdin closes, then stops cleanly.
func runChild(cfg childConfig) error {
	ctx := context.Background()
	d, err := db.Open(ctx, cfg.URL)
	if err != nil {
		return err
	}
	defer d.Close()
	store, closeKV, err := openKV(ctx, d, cfg)
	if err != nil {
		return err
	}
	defer closeKV()
	q, err := newLimitedQueue(d, store, cfg)
	if err != nil {
		return err
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return q.Stop(sctx)
}

// openKV opens the kv store both processes share: the test Redis under
// the test's prefix when LUNEO_TEST_REDIS is set, else the SQL kv table.
func openKV(ctx context.Context, d *db.DB, cfg childConfig) (kv.Store, func(), error) {
	if cfg.RedisURL == "" {
		return kv.NewSQL(d.DB, nil), func() {}, nil
	}
	r, err := kv.OpenRedis(ctx, cfg.RedisURL, cfg.RedisPrefix)
	if err != nil {
		return nil, nil, err
	}
	return r, func() { _ = r.Close() }, nil
}

// renderArgs is a limited kind like the design pipeline's render kinds.
type renderArgs struct {
	Brand string `json:"brand"`
	Sleep time.Duration
	Fail  bool
}

func (renderArgs) Kind() string { return "test_render" }

func (a renderArgs) LimitKey() (string, string) { return "render", a.Brand }

var _ queue.Limited = renderArgs{}

// renderWorker records each run in the probe tables: it counts itself
// running (in total and for its brand) in one statement that also keeps
// the highest count seen, records its start, works, and counts itself out.
// Its count is taken inside the limiter's slots, so the peaks can only
// exceed the limits if the limiter let too many jobs in.
type renderWorker struct {
	river.WorkerDefaults[renderArgs]
	d *db.DB
}

func (w *renderWorker) Work(ctx context.Context, job *river.Job[renderArgs]) error {
	if job.Args.Fail {
		return fmt.Errorf("render failed on purpose")
	}
	if _, err := w.d.ExecContext(ctx, `UPDATE limit_probe SET running = running + 1,
		peak = CASE WHEN running + 1 > peak THEN running + 1 ELSE peak END WHERE name IN ('all', $1)`, job.Args.Brand); err != nil {
		return err
	}
	_, err := w.d.ExecContext(ctx, `INSERT INTO limit_start (job_id, brand, pid, at_ms) VALUES ($1, $2, $3, $4)`,
		job.ID, job.Args.Brand, os.Getpid(), time.Now().UnixMilli())
	time.Sleep(job.Args.Sleep)
	// Counting out must happen whatever the context says.
	_, err2 := w.d.ExecContext(context.WithoutCancel(ctx), `UPDATE limit_probe SET running = running - 1 WHERE name IN ('all', $1)`, job.Args.Brand)
	if err != nil {
		return err
	}
	return err2
}

func newLimitedQueue(d *db.DB, store kv.Store, cfg childConfig) (*queue.Queue, error) {
	reg := queue.NewRegistry()
	queue.Register(reg, &renderWorker{d: d})
	// On PostgreSQL two processes share the jobs: three workers each,
	// under the global limit of 5, so one process alone can never reach it
	// nor hold every job; the limits are tested across both, and both get
	// work. SQLite has one process: ten workers, to press on the limits.
	workers := 10
	if d.Dialect == db.Postgres {
		workers = 3
	}
	return queue.New(d, reg, queue.Options{Work: true, Concurrency: workers, KV: store,
		Limits: cfg.Limits, DatabaseURL: cfg.URL, PollInterval: 200 * time.Millisecond})
}

// createProbe adds the probe tables, the same DDL on both dialects.
func createProbe(t *testing.T, d *db.DB, brands []string) {
	t.Helper()
	for _, q := range []string{
		`CREATE TABLE limit_probe (name TEXT PRIMARY KEY, running INTEGER NOT NULL, peak INTEGER NOT NULL)`,
		`CREATE TABLE limit_start (job_id BIGINT PRIMARY KEY, brand TEXT NOT NULL, pid INTEGER NOT NULL, at_ms BIGINT NOT NULL)`,
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range append([]string{"all"}, brands...) {
		if _, err := d.Exec(`INSERT INTO limit_probe (name, running, peak) VALUES ($1, 0, 0)`, name); err != nil {
			t.Fatal(err)
		}
	}
}

// testKVConfig picks the shared kv store: Redis under a fresh prefix when
// the test Redis is configured, so the Redis backend is exercised too.
func testKVConfig(t *testing.T, url string, lim queue.Limits) childConfig {
	cfg := childConfig{URL: url, Limits: lim}
	if r := os.Getenv("LUNEO_TEST_REDIS"); r != "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		cfg.RedisURL, cfg.RedisPrefix = r, "luneo-test:"+hex.EncodeToString(b[:])+":"
	}
	return cfg
}

// startChild starts the second worker process and waits until it works.
// Closing its stdin (done at cleanup) stops it.
func startChild(t *testing.T, cfg childConfig) {
	t.Helper()
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("child worker: %v\n%s", err, stderr.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		_ = stdin.Close()
		t.Fatalf("child worker did not start: %q %v\n%s", line, err, stderr.String())
	}
}
