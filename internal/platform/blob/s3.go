package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config locates a bucket on an S3-compatible object store.
type S3Config struct {
	// Endpoint is the store's base URL, such as "http://127.0.0.1:7070";
	// empty means AWS S3 (with Region).
	Endpoint string
	// Region is the bucket's region; empty lets the client look it up.
	Region string
	// Bucket holds the objects; it must already exist.
	Bucket string
	// Prefix, such as "luneo/", is prepended to every key so several apps or
	// environments can share a bucket. A missing trailing '/' is added.
	Prefix string
	// AccessKey and SecretKey are the static credentials to sign with.
	AccessKey, SecretKey string
	// PathStyle puts the bucket in the URL path instead of the host name, as
	// most self-hosted stores (MinIO, versitygw, Ceph) need.
	PathStyle bool
}

// S3 stores objects in a bucket of an S3-compatible object store.
type S3 struct {
	core   minio.Core // Core adds the single-request GET that Get needs
	bucket string
	region string
	prefix string
}

var _ Store = (*S3)(nil)

// Part sizes for streamed uploads. minio-go holds one part in memory per
// upload, so parts stay small; 16 MiB parts still allow objects of 156 GiB.
const (
	s3PartSize    = 16 << 20
	s3MinPartSize = 5 << 20 // the S3 minimum for all parts but the last
)

// NewS3 returns an S3 store for cfg. It does not contact the server, so a
// store that is briefly down cannot block startup; call Ping to check it.
// ctx is unused today; it is taken so that a future setup step (such as
// fetching credentials) can honour cancellation without an API change.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("blob s3: bucket is required")
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("blob s3: access key and secret key are required")
	}
	prefix := cfg.Prefix
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if err := validatePrefix(prefix); err != nil {
		return nil, fmt.Errorf("blob s3: prefix: %w", err)
	}
	host, secure := "s3.amazonaws.com", true
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			return nil, fmt.Errorf("blob s3: endpoint %q must be a URL like http://host:port with no path", cfg.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       secure,
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("blob s3: %w", err)
	}
	return &S3{core: minio.Core{Client: c}, bucket: cfg.Bucket, region: cfg.Region, prefix: prefix}, nil
}

// name maps a validated key to its object name in the bucket.
func (s *S3) name(key string) string { return s.prefix + key }

// Put implements Store. The stream goes up as a multipart upload of unknown
// length through a reader that fails once MaxSize is passed; minio-go then
// aborts the upload, so S3 never completes (publishes) an oversized or
// partial object and the previous object stays in place.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	if err := ValidateKey(key); err != nil {
		return Info{}, fmt.Errorf("blob s3: put: %w", err)
	}
	ct, err := contentType(opts)
	if err != nil {
		return Info{}, fmt.Errorf("blob s3: put %q: %w", key, err)
	}
	up, err := s.core.Client.PutObject(ctx, s.bucket, s.name(key), &limitedReader{ctx: ctx, r: r, max: opts.MaxSize}, -1,
		minio.PutObjectOptions{ContentType: ct, PartSize: partSize(opts.MaxSize)})
	if err != nil {
		return Info{}, fmt.Errorf("blob s3: put %q: %w", key, mapS3Err(err))
	}
	mod := up.LastModified
	if mod.IsZero() {
		// Completing a multipart upload does not report the time; the local
		// clock (without its monotonic reading, like a stored time) is close
		// enough for a value Stat would refine.
		mod = time.Now().Round(0)
	}
	return Info{Key: key, Size: up.Size, ContentType: ct, ModTime: mod}, nil
}

// partSize picks the multipart part size for an upload limited to limit bytes.
// A small limit means a small buffer: minio-go allocates a whole part per
// upload, which would otherwise cost 16 MiB for every thumbnail.
func partSize(limit int64) uint64 {
	if limit > 0 && limit < s3PartSize {
		return uint64(max(limit+1, s3MinPartSize))
	}
	return s3PartSize
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("blob s3: delete: %w", err)
	}
	err := s.core.RemoveObject(ctx, s.bucket, s.name(key), minio.RemoveObjectOptions{})
	if err = mapS3Err(err); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("blob s3: delete %q: %w", key, err)
	}
	return nil
}

// Ping implements Store by checking that the bucket exists, which needs
// working credentials as well as a reachable server.
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.core.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob s3: ping: %w", err)
	}
	if !ok {
		return fmt.Errorf("blob s3: ping: bucket %q does not exist", s.bucket)
	}
	return nil
}

// EnsureBucket creates the bucket when it does not exist yet (tests, and
// first-time setup of a self-hosted S3 server). Losing a creation race to
// another process is fine.
func (s *S3) EnsureBucket(ctx context.Context) error {
	ok, err := s.core.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob s3: check bucket %q: %w", s.bucket, err)
	}
	if ok {
		return nil
	}
	err = s.core.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region})
	if code := minio.ToErrorResponse(err).Code; err != nil && code != "BucketAlreadyOwnedByYou" && code != "BucketAlreadyExists" {
		return fmt.Errorf("blob s3: create bucket %q: %w", s.bucket, err)
	}
	return nil
}

// mapS3Err turns S3 error responses into this package's errors. A missing
// bucket is not ErrNotFound: it is a configuration error, not a missing key.
func mapS3Err(err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey",
		resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket":
		return fmt.Errorf("%w (%v)", ErrNotFound, err)
	case resp.Code == "InvalidRange":
		return fmt.Errorf("%w (%v)", ErrInvalidRange, err)
	}
	return err
}
