package auth

import (
	"context"
	"crypto/rand"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

// redisEnv names the Redis the kv-backed auth tests also run on.
const redisEnv = "LUNEO_TEST_REDIS"

// eachBackend runs fn on every database (as dbtest.Each, a fresh one per
// run) with each key-value
// store the service may use: the SQL one in that database, and Redis when
// LUNEO_TEST_REDIS is set. Refresh tokens live in the kv store, so their
// single use rests on its Take. The runs are parallel subtests, since each
// owns its database and store: eachBackend returns before they run, so a
// test calls it last.
func eachBackend(t *testing.T, fn func(t *testing.T, d *db.DB, store kv.Store)) {
	t.Helper()
	for _, backend := range []struct {
		name string
		open func(*testing.T) *db.DB
	}{
		{"sqlite", func(t *testing.T) *db.DB { return dbtest.SQLite(t) }},
		{"postgres", dbtest.Postgres},
	} {
		open := backend.open
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			t.Run("sqlkv", func(t *testing.T) {
				t.Parallel()
				d := open(t)
				fn(t, d, kv.NewSQL(d.DB, time.Now))
			})
			t.Run("redis", func(t *testing.T) {
				t.Parallel()
				store := testRedis(t)
				fn(t, open(t), store)
			})
		})
	}
}

// testRedis returns a Redis store under a fresh key prefix whose keys are
// deleted when the test ends, or skips the test when no Redis is configured.
func testRedis(t *testing.T) kv.Store {
	t.Helper()
	rawURL := os.Getenv(redisEnv)
	if rawURL == "" {
		t.Skipf("Redis tests skipped: set %s=redis://… to run them", redisEnv)
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatalf("%s: %v", redisEnv, err)
	}
	client := redis.NewClient(opts)
	prefix := "luneo-test-auth:" + rand.Text() + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("clean up test keys: %v", err)
		}
		_ = client.Close()
	})
	store := kv.NewRedis(client, prefix)
	if err := store.Ping(t.Context()); err != nil {
		t.Fatalf("%s: %v", redisEnv, err)
	}
	return store
}

// newServiceOn is newService over a given kv store, with cfg adjusted by mod.
func newServiceOn(t testing.TB, d *db.DB, store kv.Store, mod func(*Config)) (*Service, *outbox) {
	t.Helper()
	cfg := Config{Secret: strings.Repeat("s", 40), BaseURL: "http://luneo.test", SignupsPerHour: 1 << 30}
	if mod != nil {
		mod(&cfg)
	}
	mails := &outbox{}
	s, err := New(cfg, d, store, brand.NewStore(d), audit.New(d), mails, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return s, mails
}

// registerUser signs up email with the test password and returns the user's ID.
func registerUser(t *testing.T, s *Service, email string) string {
	t.Helper()
	u, _, err := s.Register(t.Context(), RegisterInput{Email: email, Password: testPassword, Name: "Person", Brand: "Brand of " + email})
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return u.ID
}

const testPassword = "correct horse battery"

// login logs email in with the test password and returns the token pair.
func login(t *testing.T, s *Service, email string) Tokens {
	t.Helper()
	res, err := s.Login(t.Context(), email, testPassword)
	if err != nil || res.Tokens == nil {
		t.Fatalf("login %s: %+v, %v", email, res, err)
	}
	return *res.Tokens
}
