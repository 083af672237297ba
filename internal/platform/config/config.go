// Package config turns environment variables into a typed, validated Config.
// Every variable Luneo reads is declared in Vars (the README table is checked
// against it by a test), and a bad value fails start-up with an error that
// names the variable.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Mode is how the binary runs: which processes and which defaults.
type Mode string

// The run modes, one per subcommand that starts long-running work.
const (
	Dev     Mode = "dev"     // HTTP + worker in one process, embedded defaults, readable logs
	Serve   Mode = "serve"   // HTTP only, JSON logs, secret required
	Worker  Mode = "worker"  // jobs only, JSON logs, secret required
	Migrate Mode = "migrate" // apply migrations and exit
)

// Config is everything Luneo reads from its environment.
type Config struct {
	Mode             Mode
	Addr             string        // LUNEO_ADDR
	OpsAddr          string        // LUNEO_OPS_ADDR (health and metrics of serve and worker)
	BaseURL          string        // LUNEO_BASE_URL; empty = derived from the listener
	DataDir          string        // LUNEO_DATA
	Secret           string        // LUNEO_SECRET
	SecretPrevious   string        // LUNEO_SECRET_PREVIOUS: still opens sealed values during a rotation
	DatabaseURL      string        // DATABASE_URL
	RedisURL         string        // REDIS_URL; empty = the SQL-backed key-value store
	RedisPrefix      string        // LUNEO_REDIS_PREFIX
	BlobURL          string        // LUNEO_BLOB_URL
	S3               S3            // LUNEO_S3_*
	LogLevel         slog.Level    // LUNEO_LOG_LEVEL
	LogFormat        string        // LUNEO_LOG_FORMAT: text or json
	MaxBody          int64         // LUNEO_MAX_BODY, bytes
	MaxModelSize     int64         // LUNEO_MAX_MODEL_SIZE, bytes
	MaxTextureMem    int64         // LUNEO_MAX_TEXTURE_MEMORY, bytes
	MaxModelMem      int64         // LUNEO_MAX_MODEL_MEMORY, bytes
	Workers          int           // LUNEO_WORKERS
	ShutdownTimeout  time.Duration // LUNEO_SHUTDOWN_TIMEOUT
	JobRescueAfter   time.Duration // LUNEO_JOB_RESCUE_AFTER
	MaxImageUpload   int64         // LUNEO_MAX_IMAGE_UPLOAD, bytes
	MaxFontUpload    int64         // LUNEO_MAX_FONT_UPLOAD, bytes
	DesignRetention  time.Duration // LUNEO_DESIGN_RETENTION
	MaxDesignTexture int           // LUNEO_MAX_DESIGN_TEXTURE, pixels per side
	FontDir          string        // LUNEO_FONT_DIR: extra fonts (CJK), optional

	RequireEmailConfirmation bool   // LUNEO_REQUIRE_EMAIL_CONFIRMATION
	SMTPURL                  string // LUNEO_SMTP_URL; empty = emails are logged
	MailFrom                 string // LUNEO_MAIL_FROM
	SignupsPerHour           int64  // LUNEO_SIGNUP_LIMIT
	EmbedIPLimitFactor       int64  // LUNEO_EMBED_IP_LIMIT_FACTOR
	DemoStoreAddr            string // LUNEO_DEMO_STORE_ADDR (dev only)
	WebhookAllowPrivate      bool   // LUNEO_WEBHOOK_ALLOW_PRIVATE
	Shopify                  Shopify
}

// Shopify is the Shopify app's registration (LUNEO_SHOPIFY_*); the app is
// off when APIKey is empty.
type Shopify struct {
	APIKey    string
	APISecret string
	Scopes    []string
}

// Enabled says whether the Shopify app is configured.
func (s Shopify) Enabled() bool { return s.APIKey != "" }

// S3 holds the connection settings of an S3-compatible blob store.
type S3 struct {
	Endpoint  string
	Region    string
	AccessKey string
	SecretKey string
	PathStyle bool
}

// Var documents one environment variable.
type Var struct {
	Name, Default, Help string
}

// Vars lists every variable Luneo reads, in README order.
var Vars = []Var{
	{"LUNEO_ADDR", ":8080", "HTTP listen address (host:port; port 0 picks a free one)."},
	{"LUNEO_OPS_ADDR", ":9090 (worker), :9091 (serve)", "Listen address of the /healthz, /readyz and /metrics of serve and worker (dev serves them on LUNEO_ADDR)."},
	{"LUNEO_BASE_URL", "http://localhost:PORT", "Public URL of the server, used in links and signed blob URLs."},
	{"LUNEO_DATA", "./data", "Folder for the SQLite file, local blobs and the dev secret."},
	{"LUNEO_SECRET", "generated in dev", "Master secret (32+ characters); keys for signing and encryption are derived from it. Required by serve and worker."},
	{"LUNEO_SECRET_PREVIOUS", "(none)", "The secret LUNEO_SECRET replaced, during a rotation: values sealed under it (Shopify tokens, webhook secrets, MFA seeds) still open and access tokens it signed still verify."},
	{"DATABASE_URL", "sqlite:$LUNEO_DATA/luneo.db", "postgres://user:pass@host/db?sslmode=… or sqlite:PATH."},
	{"REDIS_URL", "(none: the database)", "redis://[:pass@]host:6379/0 for the key-value store (nonces, tokens, rate limits)."},
	{"LUNEO_REDIS_PREFIX", "luneo:", "Prefix of every Redis key, so several deployments can share one Redis."},
	{"LUNEO_BLOB_URL", "file:$LUNEO_DATA/blobs", "file:PATH for a local folder, or s3://bucket[/prefix] with the LUNEO_S3_* settings."},
	{"LUNEO_S3_ENDPOINT", "(AWS)", "S3-compatible endpoint URL, e.g. http://127.0.0.1:7070."},
	{"LUNEO_S3_REGION", "us-east-1", "S3 region."},
	{"LUNEO_S3_ACCESS_KEY", "", "S3 access key ID."},
	{"LUNEO_S3_SECRET_KEY", "", "S3 secret access key."},
	{"LUNEO_S3_PATH_STYLE", "true with an endpoint", "Use path-style bucket addressing."},
	{"LUNEO_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"LUNEO_LOG_FORMAT", "text in dev, json otherwise", "text or json."},
	{"LUNEO_MAX_BODY", "1048576", "Largest request body in bytes (upload routes set their own limits)."},
	{"LUNEO_MAX_MODEL_SIZE", "104857600", "Largest 3D model upload (GLB, .gltf or .zip) in bytes (100 MiB; at most 1 GiB)."},
	{"LUNEO_MAX_TEXTURE_MEMORY", "268435456", "Memory a model's images may take once decoded (RGBA, 8 bits a channel, 16-bit images counting double), checked at upload; also the image memory one job or request may use at once (256 MiB; 16 MiB to 4 GiB)."},
	{"LUNEO_MAX_MODEL_MEMORY", "402653184", "Memory that model uploads and AR conversions of one process may hold together while reading, validating, optimizing and converting models; more waits (384 MiB; 16 MiB to 16 GiB; one model larger than it runs alone)."},
	{"LUNEO_WORKERS", "10", "Jobs worked at once by a worker process."},
	{"LUNEO_SHUTDOWN_TIMEOUT", "30s", "How long a stop waits for requests and jobs to finish."},
	{"LUNEO_JOB_RESCUE_AFTER", "75s", "How long a job may run before it counts as crashed and is retried (more than 60s, the longest job timeout; at most 1h)."},
	{"LUNEO_MAX_IMAGE_UPLOAD", "33554432", "Largest image upload for designs (PNG, JPEG, WebP) in bytes (32 MiB; 1 KiB to 256 MiB)."},
	{"LUNEO_MAX_FONT_UPLOAD", "16777216", "Largest brand font upload (TTF, OTF) in bytes (16 MiB; 1 KiB to 64 MiB)."},
	{"LUNEO_DESIGN_RETENTION", "720h", "How long shopper designs no order locked are kept after their last change, and deleted designs after deletion (at least 1h)."},
	{"LUNEO_REQUIRE_EMAIL_CONFIRMATION", "false in dev, true otherwise", "Refuse logins until the email address is confirmed."},
	{"LUNEO_SMTP_URL", "(none: emails are logged)", "smtp://user:pass@host:587 (STARTTLS), smtps://… (TLS) or ?tls=none for a local relay."},
	{"LUNEO_MAIL_FROM", "Luneo <no-reply@localhost>", "Sender of Luneo's emails."},
	{"LUNEO_SIGNUP_LIMIT", "20", "Sign-ups allowed per IP address per hour."},
	{"LUNEO_DEMO_STORE_ADDR", ":8081", "dev only: where a demo web store embedding the demo product's widget listens (\"off\" for none)."},
	{"LUNEO_EMBED_IP_LIMIT_FACTOR", "1", "Multiplies the widget's per-IP rate limits on shopper uploads, previews and saves (1 to 10000; per-session limits stay): for shoppers behind shared addresses, or a load bench."},
	{"LUNEO_WEBHOOK_ALLOW_PRIVATE", "false", "Let brand webhook endpoints resolve to private, loopback or link-local addresses (for a brand's own network, or tests); refused otherwise."},
	{"LUNEO_SHOPIFY_API_KEY", "(none: no Shopify app)", "Client ID of the Shopify app (Partners dashboard); its pages say the app is off when unset."},
	{"LUNEO_SHOPIFY_API_SECRET", "", "Client secret of the Shopify app (required with the key): signs OAuth callbacks, webhooks and session tokens."},
	{"LUNEO_SHOPIFY_SCOPES", "read_products,read_orders", "Access scopes the app asks for at install, comma-separated."},
	{"LUNEO_GOOGLE_CLIENT_ID", "(none: no Google login)", "OAuth client ID for \"Log in with Google\"; redirect URL $LUNEO_BASE_URL/auth/oidc/google/callback."},
	{"LUNEO_GOOGLE_CLIENT_SECRET", "", "Its client secret (required with the ID)."},
	{"LUNEO_GITHUB_CLIENT_ID", "(none: no GitHub login)", "GitHub OAuth app client ID; callback URL $LUNEO_BASE_URL/auth/oidc/github/callback."},
	{"LUNEO_GITHUB_CLIENT_SECRET", "", "Its client secret (required with the ID)."},
	{"LUNEO_OIDC_ISSUER", "(none: no single sign-on)", "Issuer URL of any OpenID Connect provider (https; discovery at first login); redirect URL $LUNEO_BASE_URL/auth/oidc/oidc/callback."},
	{"LUNEO_OIDC_CLIENT_ID", "", "Client ID at that provider (required with the issuer)."},
	{"LUNEO_OIDC_CLIENT_SECRET", "", "Client secret at that provider (required with the issuer)."},
	{"LUNEO_OIDC_NAME", "Single sign-on", "Label of that provider's login button."},
}

// Load reads and validates the configuration for mode. All problems are
// reported together, each naming its variable.
func Load(mode Mode, getenv func(string) string) (*Config, error) {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := &Config{Mode: mode}

	c.Addr = get("LUNEO_ADDR", ":8080")
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("LUNEO_ADDR", "%q is not host:port (for example :8080 or 127.0.0.1:8080)", c.Addr)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("LUNEO_ADDR", "port %q is not a number from 0 to 65535", port)
	}

	opsDefault := ":9090"
	if mode == Serve {
		opsDefault = ":9091" // so a worker can run beside it on its defaults
	}
	c.OpsAddr = get("LUNEO_OPS_ADDR", opsDefault)
	if _, _, err := net.SplitHostPort(c.OpsAddr); err != nil {
		bad("LUNEO_OPS_ADDR", "%q is not host:port (for example :9090)", c.OpsAddr)
	}

	c.BaseURL = strings.TrimRight(get("LUNEO_BASE_URL", ""), "/")
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("LUNEO_BASE_URL", "%q is not an absolute http(s) URL", c.BaseURL)
		}
	}

	c.DataDir = get("LUNEO_DATA", "./data")
	c.Secret = getenv("LUNEO_SECRET")
	if c.Secret != "" && len(c.Secret) < 32 {
		bad("LUNEO_SECRET", "is %d characters; use at least 32 random characters (e.g. openssl rand -hex 32)", len(c.Secret))
	}
	if c.Secret == "" && (mode == Serve || mode == Worker) {
		bad("LUNEO_SECRET", "is required by %q; set 32+ random characters (e.g. openssl rand -hex 32)", mode)
	}

	c.DatabaseURL = get("DATABASE_URL", "sqlite:"+filepath.Join(c.DataDir, "luneo.db"))
	if s, _, _ := strings.Cut(c.DatabaseURL, ":"); !oneOf(strings.ToLower(s), "postgres", "postgresql", "sqlite", "file") {
		bad("DATABASE_URL", "scheme %q is not supported; use postgres://… or sqlite:PATH", s)
	}

	c.RedisURL = get("REDIS_URL", "")
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || !oneOf(u.Scheme, "redis", "rediss") || u.Host == "" {
			bad("REDIS_URL", "%q is not a redis:// or rediss:// URL with a host", c.RedisURL)
		}
	}

	c.RedisPrefix = get("LUNEO_REDIS_PREFIX", "luneo:")

	c.BlobURL = get("LUNEO_BLOB_URL", "file:"+filepath.Join(c.DataDir, "blobs"))
	c.S3 = S3{
		Endpoint:  get("LUNEO_S3_ENDPOINT", ""),
		Region:    get("LUNEO_S3_REGION", "us-east-1"),
		AccessKey: getenv("LUNEO_S3_ACCESS_KEY"),
		SecretKey: getenv("LUNEO_S3_SECRET_KEY"),
	}
	switch s, _, _ := strings.Cut(c.BlobURL, ":"); s {
	case "file":
	case "s3":
		if _, _, err := c.S3Bucket(); err != nil {
			bad("LUNEO_BLOB_URL", "%v", err)
		}
		if c.S3.Endpoint != "" {
			if u, err := url.Parse(c.S3.Endpoint); err != nil || !oneOf(u.Scheme, "http", "https") || u.Host == "" {
				bad("LUNEO_S3_ENDPOINT", "%q is not an http(s) URL", c.S3.Endpoint)
			}
		}
		if (c.S3.AccessKey == "") != (c.S3.SecretKey == "") {
			bad("LUNEO_S3_ACCESS_KEY", "and LUNEO_S3_SECRET_KEY must be set together")
		}
	default:
		bad("LUNEO_BLOB_URL", "scheme %q is not supported; use file:PATH or s3://bucket[/prefix]", s)
	}
	pathStyle, err := parseBool(get("LUNEO_S3_PATH_STYLE", strconv.FormatBool(c.S3.Endpoint != "")))
	if err != nil {
		bad("LUNEO_S3_PATH_STYLE", "%v", err)
	}
	c.S3.PathStyle = pathStyle

	if err := c.LogLevel.UnmarshalText([]byte(get("LUNEO_LOG_LEVEL", "info"))); err != nil {
		bad("LUNEO_LOG_LEVEL", "%q is not debug, info, warn or error", getenv("LUNEO_LOG_LEVEL"))
	}
	defFormat := "json"
	if mode == Dev {
		defFormat = "text"
	}
	c.LogFormat = get("LUNEO_LOG_FORMAT", defFormat)
	if !oneOf(c.LogFormat, "text", "json") {
		bad("LUNEO_LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}

	c.MaxBody = intVar(get("LUNEO_MAX_BODY", "1048576"), 1024, 1<<40, "LUNEO_MAX_BODY", bad)
	c.MaxModelSize = intVar(get("LUNEO_MAX_MODEL_SIZE", "104857600"), 1024, 1<<30, "LUNEO_MAX_MODEL_SIZE", bad)
	c.MaxTextureMem = intVar(get("LUNEO_MAX_TEXTURE_MEMORY", "268435456"), 16<<20, 4<<30, "LUNEO_MAX_TEXTURE_MEMORY", bad)
	c.MaxModelMem = intVar(get("LUNEO_MAX_MODEL_MEMORY", "402653184"), 16<<20, 16<<30, "LUNEO_MAX_MODEL_MEMORY", bad)
	c.Workers = int(intVar(get("LUNEO_WORKERS", "10"), 1, 1000, "LUNEO_WORKERS", bad))
	c.ShutdownTimeout, err = time.ParseDuration(get("LUNEO_SHUTDOWN_TIMEOUT", "30s"))
	if err != nil || c.ShutdownTimeout <= 0 {
		bad("LUNEO_SHUTDOWN_TIMEOUT", "%q is not a positive duration like 30s", getenv("LUNEO_SHUTDOWN_TIMEOUT"))
	}
	// The floor is queue.MaxJobTimeout: below it, a job still working would
	// be started again elsewhere (queue.New checks it too).
	c.JobRescueAfter, err = time.ParseDuration(get("LUNEO_JOB_RESCUE_AFTER", "75s"))
	if err != nil || c.JobRescueAfter <= time.Minute || c.JobRescueAfter > time.Hour {
		bad("LUNEO_JOB_RESCUE_AFTER", "%q is not a duration above 60s (the longest job timeout) and at most 1h, like 75s", getenv("LUNEO_JOB_RESCUE_AFTER"))
	}
	c.MaxImageUpload = intVar(get("LUNEO_MAX_IMAGE_UPLOAD", "33554432"), 1024, 256<<20, "LUNEO_MAX_IMAGE_UPLOAD", bad)
	c.MaxFontUpload = intVar(get("LUNEO_MAX_FONT_UPLOAD", "16777216"), 1024, 64<<20, "LUNEO_MAX_FONT_UPLOAD", bad)
	c.MaxDesignTexture = int(intVar(get("LUNEO_MAX_DESIGN_TEXTURE", "2048"), 256, 8192, "LUNEO_MAX_DESIGN_TEXTURE", bad))
	c.FontDir = get("LUNEO_FONT_DIR", "")
	c.DesignRetention, err = time.ParseDuration(get("LUNEO_DESIGN_RETENTION", "720h"))
	if err != nil || c.DesignRetention < time.Hour {
		bad("LUNEO_DESIGN_RETENTION", "%q is not a duration of at least 1h, like 720h", getenv("LUNEO_DESIGN_RETENTION"))
	}
	confirm, err := parseBool(get("LUNEO_REQUIRE_EMAIL_CONFIRMATION", strconv.FormatBool(mode != Dev)))
	if err != nil {
		bad("LUNEO_REQUIRE_EMAIL_CONFIRMATION", "%v", err)
	}
	c.RequireEmailConfirmation = confirm
	c.SMTPURL = get("LUNEO_SMTP_URL", "")
	c.MailFrom = get("LUNEO_MAIL_FROM", "Luneo <no-reply@localhost>")
	c.SignupsPerHour = intVar(get("LUNEO_SIGNUP_LIMIT", "20"), 1, 1_000_000, "LUNEO_SIGNUP_LIMIT", bad)
	c.DemoStoreAddr = get("LUNEO_DEMO_STORE_ADDR", ":8081")
	if c.DemoStoreAddr != "off" {
		if _, _, err := net.SplitHostPort(c.DemoStoreAddr); err != nil {
			bad("LUNEO_DEMO_STORE_ADDR", "%q is not host:port (for example :8081) or off", c.DemoStoreAddr)
		}
	}
	c.SecretPrevious = getenv("LUNEO_SECRET_PREVIOUS")
	if c.SecretPrevious != "" && len(c.SecretPrevious) < 32 {
		bad("LUNEO_SECRET_PREVIOUS", "is %d characters; it must be the previous LUNEO_SECRET (32+ characters)", len(c.SecretPrevious))
	}
	if c.SecretPrevious != "" && c.Secret == "" {
		bad("LUNEO_SECRET_PREVIOUS", "is set without LUNEO_SECRET")
	}
	allowPrivate, err := parseBool(get("LUNEO_WEBHOOK_ALLOW_PRIVATE", "false"))
	if err != nil {
		bad("LUNEO_WEBHOOK_ALLOW_PRIVATE", "%v", err)
	}
	c.WebhookAllowPrivate = allowPrivate
	c.Shopify = Shopify{APIKey: get("LUNEO_SHOPIFY_API_KEY", ""), APISecret: getenv("LUNEO_SHOPIFY_API_SECRET")}
	if (c.Shopify.APIKey == "") != (c.Shopify.APISecret == "") {
		bad("LUNEO_SHOPIFY_API_SECRET", "LUNEO_SHOPIFY_API_KEY and LUNEO_SHOPIFY_API_SECRET are set together or not at all")
	}
	for _, sc := range strings.Split(get("LUNEO_SHOPIFY_SCOPES", "read_products,read_orders"), ",") {
		sc = strings.TrimSpace(sc)
		if !validScope(sc) {
			bad("LUNEO_SHOPIFY_SCOPES", "%q is not an access scope (like read_products)", sc)
			continue
		}
		c.Shopify.Scopes = append(c.Shopify.Scopes, sc)
	}
	c.EmbedIPLimitFactor = intVar(get("LUNEO_EMBED_IP_LIMIT_FACTOR", "1"), 1, 10_000, "LUNEO_EMBED_IP_LIMIT_FACTOR", bad)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return c, nil
}

// S3Bucket splits an s3://bucket/prefix blob URL.
func (c *Config) S3Bucket() (bucket, prefix string, err error) {
	u, err := url.Parse(c.BlobURL)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return "", "", fmt.Errorf("%q is not s3://bucket[/prefix]", c.BlobURL)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return u.Host, prefix, nil
}

// MediaOrigins are the origins browsers download blobs from when blobs live
// in S3 (presigned URLs point at the store, not at us): path-style URLs use
// the endpoint itself, virtual-hosted ones the bucket's sub-domain. Empty
// for local files, which we serve ourselves.
func (c *Config) MediaOrigins() []string {
	bucket, _, err := c.S3Bucket()
	if err != nil {
		return nil
	}
	if c.S3.Endpoint == "" {
		return []string{"https://" + bucket + ".s3." + c.S3.Region + ".amazonaws.com", "https://s3." + c.S3.Region + ".amazonaws.com"}
	}
	u, err := url.Parse(c.S3.Endpoint)
	if err != nil {
		return nil
	}
	if c.S3.PathStyle {
		return []string{u.Scheme + "://" + u.Host}
	}
	return []string{u.Scheme + "://" + bucket + "." + u.Host}
}

// BlobDir is the folder of a file: blob URL.
func (c *Config) BlobDir() string {
	return strings.TrimPrefix(strings.TrimPrefix(c.BlobURL, "file:"), "//")
}

func intVar(v string, min, max int64, name string, bad func(string, string, ...any)) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < min || n > max {
		bad(name, "%q is not a whole number from %d to %d", v, min, max)
	}
	return n
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", v)
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

// validScope says whether s looks like a Shopify access scope: lower-case
// words joined by underscores (read_products, unauthenticated_read_checkouts).
func validScope(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}
