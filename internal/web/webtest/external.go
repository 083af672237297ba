package webtest

import (
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// External returns the configuration that points Luneo at the test
// services: a fresh PostgreSQL schema (LUNEO_TEST_POSTGRES), Redis under a
// prefix of its own (LUNEO_TEST_REDIS) and a folder of the S3 bucket
// (LUNEO_TEST_S3, http://key:secret@host:port/bucket). It skips the test
// when they are not set: CI sets them all.
func External(t *testing.T) map[string]string {
	t.Helper()
	s3 := os.Getenv("LUNEO_TEST_S3")
	redis := os.Getenv("LUNEO_TEST_REDIS")
	if s3 == "" || redis == "" {
		t.Skip("set LUNEO_TEST_POSTGRES, LUNEO_TEST_REDIS and LUNEO_TEST_S3 to run against external services")
	}
	pg := dbtest.PostgresURL(t)
	u, err := url.Parse(s3)
	if err != nil {
		t.Fatalf("LUNEO_TEST_S3: %v", err)
	}
	secret, _ := u.User.Password()
	bucket := strings.Trim(u.Path, "/")
	s, err := blob.NewS3(t.Context(), blob.S3Config{Endpoint: u.Scheme + "://" + u.Host, Region: "us-east-1",
		Bucket: bucket, AccessKey: u.User.Username(), SecretKey: secret, PathStyle: true})
	if err == nil {
		err = s.EnsureBucket(t.Context())
	}
	if err != nil {
		t.Fatalf("LUNEO_TEST_S3 bucket: %v", err)
	}
	return map[string]string{
		"DATABASE_URL":        pg,
		"REDIS_URL":           redis,
		"LUNEO_REDIS_PREFIX":  "test-" + rand.Text() + ":",
		"LUNEO_BLOB_URL":      "s3://" + bucket + "/e2e-" + strings.ToLower(rand.Text()),
		"LUNEO_S3_ENDPOINT":   u.Scheme + "://" + u.Host,
		"LUNEO_S3_ACCESS_KEY": u.User.Username(),
		"LUNEO_S3_SECRET_KEY": secret,
	}
}
