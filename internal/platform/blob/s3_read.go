package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// s3GetAttempts bounds how often Get retries when the object is replaced
// between its Stat and its GET.
const s3GetAttempts = 3

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidateKey(key); err != nil {
		return Info{}, fmt.Errorf("blob s3: stat: %w", err)
	}
	info, _, err := s.stat(ctx, key)
	if err != nil {
		return Info{}, fmt.Errorf("blob s3: stat %q: %w", key, err)
	}
	return info, nil
}

// stat describes a validated key and returns its ETag too.
func (s *S3) stat(ctx context.Context, key string) (Info, string, error) {
	oi, err := s.core.StatObject(ctx, s.bucket, s.name(key), minio.StatObjectOptions{})
	if err != nil {
		return Info{}, "", mapS3Err(err)
	}
	return Info{Key: key, Size: oi.Size, ContentType: oi.ContentType, ModTime: oi.LastModified}, oi.ETag, nil
}

// Get implements Store. It stats the object first, to check the range
// against the real size (S3 would silently shorten a range running past the
// end) and to describe the whole object; the GET then carries If-Match with
// the ETag it saw, so the bytes always belong to the object Info describes.
func (s *S3) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Info{}, fmt.Errorf("blob s3: get: %w", err)
	}
	for range s3GetAttempts - 1 {
		rc, info, err := s.get(ctx, key, rng)
		if !isPreconditionFailed(err) {
			return rc, info, err
		}
	}
	return s.get(ctx, key, rng)
}

// get is one attempt of Get.
func (s *S3) get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	info, etag, err := s.stat(ctx, key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob s3: get %q: %w", key, err)
	}
	off, n, err := checkRange(rng, info.Size)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob s3: get %q: %w", key, err)
	}
	if n == 0 {
		// HTTP cannot ask for zero bytes, and there is nothing to fetch.
		return io.NopCloser(strings.NewReader("")), info, nil
	}
	var opts minio.GetObjectOptions
	if etag != "" {
		if err := opts.SetMatchETag(etag); err != nil {
			return nil, Info{}, fmt.Errorf("blob s3: get %q: %w", key, err)
		}
	}
	if off != 0 || n != info.Size {
		if err := opts.SetRange(off, off+n-1); err != nil {
			return nil, Info{}, fmt.Errorf("blob s3: get %q: %w", key, err)
		}
	}
	body, _, _, err := s.core.GetObject(ctx, s.bucket, s.name(key), opts)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob s3: get %q: %w", key, mapS3Err(err))
	}
	return body, info, nil
}

// isPreconditionFailed reports whether err is S3 refusing an If-Match GET
// because the object changed since it was stat'ed.
func isPreconditionFailed(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == "PreconditionFailed"
}

// List implements Store. Objects whose names are not valid keys (written
// into the bucket by something else) are skipped: no Store call could
// address them.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) bool) error {
	if err := validatePrefix(prefix); err != nil {
		return fmt.Errorf("blob s3: list: %w", err)
	}
	// Cancelling on return stops minio-go's paging when fn ends the listing.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}
	for oi := range s.core.ListObjectsIter(ctx, s.bucket, opts) {
		if oi.Err != nil {
			return fmt.Errorf("blob s3: list %q: %w", prefix, mapS3Err(oi.Err))
		}
		key, ok := strings.CutPrefix(oi.Key, s.prefix)
		if !ok || ValidateKey(key) != nil {
			continue
		}
		if !fn(Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}) {
			return nil
		}
	}
	return nil
}

// SignedURL implements Store with a presigned GET. The response content type
// is pinned to the stored one in the signature, and a download name becomes
// a signed Content-Disposition, so neither can be altered by the URL holder.
func (s *S3) SignedURL(ctx context.Context, key string, ttl time.Duration, opts URLOptions) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", fmt.Errorf("blob s3: sign: %w", err)
	}
	if err := checkTTL(ttl); err != nil {
		return "", fmt.Errorf("blob s3: sign %q: %w", key, err)
	}
	params := url.Values{}
	if opts.Filename != "" {
		cd, err := AttachmentDisposition(opts.Filename)
		if err != nil {
			return "", fmt.Errorf("blob s3: sign %q: %w", key, err)
		}
		params.Set("response-content-disposition", cd)
	}
	ct := opts.ContentType
	if ct == "" {
		info, _, err := s.stat(ctx, key)
		if err != nil {
			return "", fmt.Errorf("blob s3: sign %q: %w", key, err)
		}
		ct = info.ContentType
	}
	params.Set("response-content-type", ct)
	u, err := s.core.PresignedGetObject(ctx, s.bucket, s.name(key), ttl, params)
	if err != nil {
		return "", fmt.Errorf("blob s3: sign %q: %w", key, err)
	}
	return u.String(), nil
}
