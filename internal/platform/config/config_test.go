package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(Dev, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.LogFormat != "text" || c.RedisURL != "" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.DatabaseURL != "sqlite:data/luneo.db" || c.BlobURL != "file:data/blobs" {
		t.Fatalf("db %q blob %q", c.DatabaseURL, c.BlobURL)
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"LUNEO_ADDR":                  {"LUNEO_ADDR": "8080"},
		"DATABASE_URL":                {"DATABASE_URL": "mysql://x"},
		"REDIS_URL":                   {"REDIS_URL": "http://x"},
		"LUNEO_BLOB_URL":              {"LUNEO_BLOB_URL": "gs://bucket"},
		"LUNEO_SECRET":                {"LUNEO_SECRET": "short"},
		"LUNEO_LOG_LEVEL":             {"LUNEO_LOG_LEVEL": "loud"},
		"LUNEO_MAX_BODY":              {"LUNEO_MAX_BODY": "-1"},
		"LUNEO_SHUTDOWN_TIMEOUT":      {"LUNEO_SHUTDOWN_TIMEOUT": "soon"},
		"LUNEO_JOB_RESCUE_AFTER":      {"LUNEO_JOB_RESCUE_AFTER": "60s"},
		"LUNEO_S3_ENDPOINT":           {"LUNEO_BLOB_URL": "s3://b", "LUNEO_S3_ENDPOINT": "ftp://x"},
		"LUNEO_SECRET_PREVIOUS":       {"LUNEO_SECRET_PREVIOUS": "short"},
		"LUNEO_SHOPIFY_API_SECRET":    {"LUNEO_SHOPIFY_API_KEY": "key"},
		"LUNEO_SHOPIFY_SCOPES":        {"LUNEO_SHOPIFY_SCOPES": "read_products,Write Orders"},
		"LUNEO_WEBHOOK_ALLOW_PRIVATE": {"LUNEO_WEBHOOK_ALLOW_PRIVATE": "maybe"},
	}
	for name, e := range cases {
		_, err := Load(Dev, env(e))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name the variable", name, err)
		}
	}
}

func TestServeNeedsSecret(t *testing.T) {
	t.Parallel()
	for _, m := range []Mode{Serve, Worker} {
		if _, err := Load(m, env(nil)); err == nil || !strings.Contains(err.Error(), "LUNEO_SECRET") {
			t.Errorf("%s without secret: %v", m, err)
		}
	}
	c, err := Load(Serve, env(map[string]string{"LUNEO_SECRET": strings.Repeat("x", 32)}))
	if err != nil || c.LogFormat != "json" {
		t.Fatalf("serve with secret: %v %+v", err, c)
	}
}

func TestShopify(t *testing.T) {
	t.Parallel()
	c, err := Load(Dev, env(nil))
	if err != nil || c.Shopify.Enabled() {
		t.Fatalf("Shopify on without a key: %v %+v", err, c.Shopify)
	}
	if strings.Join(c.Shopify.Scopes, ",") != "read_products,read_orders" {
		t.Fatalf("default scopes %v", c.Shopify.Scopes)
	}
	c, err = Load(Dev, env(map[string]string{"LUNEO_SHOPIFY_API_KEY": "k", "LUNEO_SHOPIFY_API_SECRET": "s",
		"LUNEO_SHOPIFY_SCOPES": " read_products , write_orders "}))
	if err != nil || !c.Shopify.Enabled() || strings.Join(c.Shopify.Scopes, ",") != "read_products,write_orders" {
		t.Fatalf("configured: %v %+v", err, c.Shopify)
	}
}

func TestS3Bucket(t *testing.T) {
	t.Parallel()
	c, err := Load(Dev, env(map[string]string{"LUNEO_BLOB_URL": "s3://media/luneo/prod", "LUNEO_S3_ENDPOINT": "http://127.0.0.1:7070"}))
	if err != nil {
		t.Fatal(err)
	}
	b, p, _ := c.S3Bucket()
	if b != "media" || p != "luneo/prod/" || !c.S3.PathStyle {
		t.Fatalf("bucket %q prefix %q pathStyle %v", b, p, c.S3.PathStyle)
	}
	if o := c.MediaOrigins(); len(o) != 1 || o[0] != "http://127.0.0.1:7070" {
		t.Fatalf("media origins %v", o)
	}
	aws, _ := Load(Dev, env(map[string]string{"LUNEO_BLOB_URL": "s3://media", "LUNEO_S3_REGION": "eu-west-3"}))
	if o := aws.MediaOrigins(); len(o) != 2 || o[0] != "https://media.s3.eu-west-3.amazonaws.com" {
		t.Fatalf("aws media origins %v", o)
	}
	local, _ := Load(Dev, env(nil))
	if local.MediaOrigins() != nil {
		t.Fatal("local files need no media origin")
	}
}

func TestDevSecretIsStableAndPrivate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, err := DevSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := DevSecret(dir)
	if err != nil || a != b || len(a) < 32 {
		t.Fatalf("second read %q vs %q (%v)", b, a, err)
	}
	st, _ := os.Stat(filepath.Join(dir, "secret"))
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	_ = os.Chmod(filepath.Join(dir, "secret"), 0o644)
	if _, err := DevSecret(dir); err == nil {
		t.Fatal("world-readable secret accepted")
	}
}

func TestReadmeDocumentsEveryVariable(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Skip("README.md not found")
	}
	for _, v := range Vars {
		if !strings.Contains(string(b), "`"+v.Name+"`") {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
}

func TestJobRescueAfter(t *testing.T) {
	t.Parallel()
	c, err := Load(Worker, env(map[string]string{"LUNEO_SECRET": strings.Repeat("x", 32)}))
	if err != nil || c.JobRescueAfter != 75*time.Second {
		t.Fatalf("default rescue delay %v (%v), want 75s", c.JobRescueAfter, err)
	}
	c, err = Load(Dev, env(map[string]string{"LUNEO_JOB_RESCUE_AFTER": "90s"}))
	if err != nil || c.JobRescueAfter != 90*time.Second {
		t.Fatalf("LUNEO_JOB_RESCUE_AFTER=90s gave %v (%v)", c.JobRescueAfter, err)
	}
	// Not above the longest job timeout, or absurdly long, or not a duration.
	for _, v := range []string{"60s", "5s", "-90s", "2h", "90"} {
		if _, err := Load(Dev, env(map[string]string{"LUNEO_JOB_RESCUE_AFTER": v})); err == nil ||
			!strings.Contains(err.Error(), "LUNEO_JOB_RESCUE_AFTER") {
			t.Errorf("LUNEO_JOB_RESCUE_AFTER=%s: %v, want an error naming it", v, err)
		}
	}
}

func TestMaxTextureMemory(t *testing.T) {
	t.Parallel()
	c, err := Load(Dev, env(nil))
	if err != nil || c.MaxTextureMem != 256<<20 {
		t.Fatalf("default: %v, %v", c, err)
	}
	c, err = Load(Dev, env(map[string]string{"LUNEO_MAX_TEXTURE_MEMORY": "536870912"}))
	if err != nil || c.MaxTextureMem != 512<<20 {
		t.Fatalf("512 MiB: %v", err)
	}
	for _, v := range []string{"1048576", "8589934592", "lots"} {
		_, err := Load(Dev, env(map[string]string{"LUNEO_MAX_TEXTURE_MEMORY": v}))
		if err == nil || !strings.Contains(err.Error(), "LUNEO_MAX_TEXTURE_MEMORY") {
			t.Errorf("%s: err = %v", v, err)
		}
	}
}

func TestMaxModelMemory(t *testing.T) {
	t.Parallel()
	c, err := Load(Dev, env(nil))
	if err != nil || c.MaxModelMem != 384<<20 {
		t.Fatalf("default: %v, %v", c, err)
	}
	c, err = Load(Dev, env(map[string]string{"LUNEO_MAX_MODEL_MEMORY": "1073741824"}))
	if err != nil || c.MaxModelMem != 1<<30 {
		t.Fatalf("1 GiB: %v", err)
	}
	for _, v := range []string{"1048576", "34359738368", "lots"} {
		_, err := Load(Dev, env(map[string]string{"LUNEO_MAX_MODEL_MEMORY": v}))
		if err == nil || !strings.Contains(err.Error(), "LUNEO_MAX_MODEL_MEMORY") {
			t.Errorf("%s: err = %v", v, err)
		}
	}
}
