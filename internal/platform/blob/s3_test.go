package blob

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// s3Env names the variable that points the S3 tests at a real server, as
// http://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET.
const s3Env = "LUNEO_TEST_S3"

// s3TestConfig parses LUNEO_TEST_S3, skipping the test when it is unset, and
// makes sure the bucket exists. Prefix is left for the caller.
func s3TestConfig(t *testing.T) S3Config {
	t.Helper()
	raw := os.Getenv(s3Env)
	if raw == "" {
		t.Skipf("%s is not set; set it to http://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET to run the S3 tests", s3Env)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", s3Env, err)
	}
	secret, _ := u.User.Password()
	cfg := S3Config{
		Endpoint:  u.Scheme + "://" + u.Host,
		Region:    "us-east-1",
		Bucket:    strings.Trim(u.Path, "/"),
		AccessKey: u.User.Username(),
		SecretKey: secret,
		PathStyle: true,
	}
	if cfg.Bucket == "" || cfg.AccessKey == "" || cfg.SecretKey == "" {
		t.Fatalf("%s must look like http://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET", s3Env)
	}
	s, err := NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(t.Context()); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// rawS3Client returns a plain minio-go client for checks the Store API
// cannot make, such as listing unfinished multipart uploads.
func rawS3Client(t *testing.T, cfg S3Config) *minio.Client {
	t.Helper()
	u, _ := url.Parse(cfg.Endpoint)
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatalf("minio client: %v", err)
	}
	return c
}

// newTestS3 returns an S3 store under a random prefix of its own, so tests
// and runs never see each other's objects, and deletes what it stored.
func newTestS3(t *testing.T) (*S3, S3Config) {
	t.Helper()
	cfg := s3TestConfig(t)
	cfg.Prefix = "test-" + strings.ToLower(rand.Text()) + "/"
	store, err := NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.Background() // t.Context is already cancelled here
		var keys []string
		if err := store.List(ctx, "", func(i Info) bool { keys = append(keys, i.Key); return true }); err != nil {
			t.Errorf("cleanup list: %v", err)
		}
		for _, k := range keys {
			if err := store.Delete(ctx, k); err != nil {
				t.Errorf("cleanup delete %q: %v", k, err)
			}
		}
	})
	return store, cfg
}

func TestS3Conformance(t *testing.T) {
	t.Parallel()
	s3TestConfig(t) // skip before starting subtests when no server is set
	runConformance(t, func(t *testing.T) Store {
		store, cfg := newTestS3(t)
		t.Cleanup(func() { assertNoUploads(t, cfg) })
		return store
	})
}

// assertNoUploads checks that no multipart upload under cfg.Prefix was left
// unfinished: an aborted Put must clean up its parts, not just fail.
func assertNoUploads(t *testing.T, cfg S3Config) {
	t.Helper()
	c := rawS3Client(t, cfg)
	for u := range c.ListIncompleteUploads(context.Background(), cfg.Bucket, cfg.Prefix, true) {
		if u.Err != nil {
			t.Errorf("list multipart uploads: %v", u.Err)
			return
		}
		t.Errorf("unfinished multipart upload left for %q (id %s)", u.Key, u.UploadID)
	}
}

// TestS3TooLargeAfterParts sends a stream that only passes MaxSize after a
// whole part has been uploaded, the case where aborting really matters.
func TestS3TooLargeAfterParts(t *testing.T) {
	t.Parallel()
	store, cfg := newTestS3(t)
	ctx := t.Context()
	put(t, store, "big", []byte("previous"), "text/plain")
	limit := int64(s3PartSize + 1<<20)
	src := io.LimitReader(endlessReader('x'), limit+1<<20)
	_, err := store.Put(ctx, "big", src, PutOptions{MaxSize: limit})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Put error = %v, want ErrTooLarge", err)
	}
	if data, _ := get(t, store, "big", nil); string(data) != "previous" {
		t.Errorf("object after refused Put = %d bytes, want the previous one", len(data))
	}
	assertNoUploads(t, cfg)

	// A stream just under the limit spans two parts and must be stored whole.
	info, err := store.Put(ctx, "big", io.LimitReader(endlessReader('y'), limit), PutOptions{MaxSize: limit})
	if err != nil || info.Size != limit {
		t.Fatalf("Put of %d bytes = %+v, %v", limit, info, err)
	}
	if got, _ := store.Stat(ctx, "big"); got.Size != limit {
		t.Errorf("Stat size = %d, want %d", got.Size, limit)
	}
	assertNoUploads(t, cfg)
}

func TestS3PrefixIsolation(t *testing.T) {
	t.Parallel()
	a, cfg := newTestS3(t)
	put(t, a, "shared/name", []byte("from a"), "text/plain")
	// The object lives under the prefix in the bucket, and a store with
	// another prefix cannot see it.
	c := rawS3Client(t, cfg)
	if _, err := c.StatObject(t.Context(), cfg.Bucket, cfg.Prefix+"shared/name", minio.StatObjectOptions{}); err != nil {
		t.Errorf("object not stored under the prefix: %v", err)
	}
	b, _ := newTestS3(t)
	if _, err := b.Stat(t.Context(), "shared/name"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Stat from another prefix error = %v, want ErrNotFound", err)
	}
	if err := b.List(t.Context(), "", func(i Info) bool { t.Errorf("other prefix lists %q", i.Key); return true }); err != nil {
		t.Fatal(err)
	}
}

func TestNewS3(t *testing.T) {
	t.Parallel()
	ok := S3Config{Endpoint: "http://127.0.0.1:1", Bucket: "b", AccessKey: "k", SecretKey: "s", PathStyle: true}
	bad := map[string]func(c *S3Config){
		"no bucket":     func(c *S3Config) { c.Bucket = "" },
		"no secret":     func(c *S3Config) { c.SecretKey = "" },
		"endpoint path": func(c *S3Config) { c.Endpoint = "http://host/path" },
		"endpoint bare": func(c *S3Config) { c.Endpoint = "host:9000" },
		"bad prefix":    func(c *S3Config) { c.Prefix = "../x/" },
	}
	for name, change := range bad {
		c := ok
		change(&c)
		if _, err := NewS3(t.Context(), c); err == nil {
			t.Errorf("%s: NewS3 succeeded", name)
		}
	}
	c := ok
	c.Prefix = "luneo"
	s, err := NewS3(t.Context(), c)
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	if s.prefix != "luneo/" {
		t.Errorf("prefix = %q, want a '/' added", s.prefix)
	}
}

func TestS3PingMissingBucket(t *testing.T) {
	t.Parallel()
	cfg := s3TestConfig(t)
	cfg.Bucket = "luneo-missing-" + strings.ToLower(rand.Text())
	s, err := NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err == nil {
		t.Error("Ping of a missing bucket succeeded")
	}
}
