package blob

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Errors from FS.VerifySignature, kept apart so the HTTP handler can tell a
// link that simply ran out (worth a "link expired" page) from a forged one.
var (
	// ErrURLExpired means the signature is genuine but its lifetime has passed.
	ErrURLExpired = errors.New("blob: signed URL expired")
	// ErrBadSignature means the URL was not signed by this store or was altered.
	ErrBadSignature = errors.New("blob: bad URL signature")
)

// Query parameters of FS signed URLs.
const (
	urlParamExpires  = "exp"
	urlParamSig      = "sig"
	urlParamFilename = "dl"
)

// SignedURL implements Store. The URL points at the blob HTTP handler:
// baseURL/blobs/<key>?exp=<unix seconds>&sig=<signature>, plus dl=<name>
// when opts.Filename is set. The handler checks it with VerifySignature and
// serves the object with OpenSeeker, its stored Content-Type and, for dl,
// AttachmentDisposition(dl).
func (f *FS) SignedURL(ctx context.Context, key string, ttl time.Duration, opts URLOptions) (string, error) {
	if err := checkTTL(ttl); err != nil {
		return "", fmt.Errorf("blob fs: sign %q: %w", key, err)
	}
	if opts.Filename != "" {
		if _, err := AttachmentDisposition(opts.Filename); err != nil {
			return "", fmt.Errorf("blob fs: sign %q: %w", key, err)
		}
	}
	// Stat both validates the key and refuses to sign a missing object, the
	// same answer the S3 backend gives.
	if _, err := f.Stat(ctx, key); err != nil {
		return "", fmt.Errorf("blob fs: sign: %w", err)
	}
	exp := strconv.FormatInt(f.now().Add(ttl).Unix(), 10)
	q := url.Values{urlParamExpires: {exp}}
	if opts.Filename != "" {
		q.Set(urlParamFilename, opts.Filename)
	}
	q.Set(urlParamSig, base64.RawURLEncoding.EncodeToString(f.sign(key, exp, q)))
	return f.baseURL + "/blobs/" + escapeKey(key) + "?" + q.Encode(), nil
}

// VerifySignature checks a signed URL's query q for key (the decoded path
// after "/blobs/") at time now. It returns a wrapped ErrInvalidKey,
// ErrBadSignature or ErrURLExpired; the signature is checked before the
// expiry so that only genuine links are ever reported as expired.
func (f *FS) VerifySignature(key string, q url.Values, now time.Time) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("blob fs: verify URL: %w", err)
	}
	exp := q.Get(urlParamExpires)
	expUnix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return fmt.Errorf("blob fs: verify URL for %q: %w: bad expiry %q", key, ErrBadSignature, exp)
	}
	got, err := base64.RawURLEncoding.DecodeString(q.Get(urlParamSig))
	if err != nil {
		return fmt.Errorf("blob fs: verify URL for %q: %w: signature is not base64url", key, ErrBadSignature)
	}
	if !hmac.Equal(got, f.sign(key, exp, q)) {
		return fmt.Errorf("blob fs: verify URL for %q: %w", key, ErrBadSignature)
	}
	if now.Unix() > expUnix {
		return fmt.Errorf("blob fs: verify URL for %q: %w at %s", key, ErrURLExpired, time.Unix(expUnix, 0).UTC().Format(time.RFC3339))
	}
	return nil
}

// sign computes the URL signature over the key, the expiry and the download
// name (when q carries one). Each field is length-prefixed so no two
// different field lists can produce the same signed bytes.
func (f *FS) sign(key, exp string, q url.Values) []byte {
	m := hmac.New(sha256.New, f.urlKey)
	field := func(s string) {
		m.Write(binary.AppendUvarint(nil, uint64(len(s))))
		m.Write([]byte(s))
	}
	field(key)
	field(exp)
	if dl, ok := q[urlParamFilename]; ok {
		// The marker keeps "no filename" distinct from an empty one.
		field("dl")
		field(strings.Join(dl, "\x00"))
	}
	return m.Sum(nil)
}

// escapeKey escapes each segment of key for use in a URL path, keeping the
// '/' separators readable.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
