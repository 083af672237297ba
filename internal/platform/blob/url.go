package blob

import (
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"
)

// MaxURLTTL is the longest lifetime of a signed URL. It is the limit S3
// presigned URLs have, applied to every backend so callers see one rule.
const MaxURLTTL = 7 * 24 * time.Hour

// checkTTL applies the signed URL lifetime rule shared by all backends.
func checkTTL(ttl time.Duration) error {
	if ttl <= 0 || ttl > MaxURLTTL {
		return fmt.Errorf("blob: signed URL lifetime %s is outside (0, %s]", ttl, MaxURLTTL)
	}
	return nil
}

// AttachmentDisposition returns the Content-Disposition value that makes a
// browser save a download as filename (non-ASCII names are encoded per
// RFC 2231). Backends use it for URLOptions.Filename, and the HTTP handler
// that serves FS signed URLs should use it too so both backends answer alike.
func AttachmentDisposition(filename string) (string, error) {
	if filename == "" || len(filename) > 255 {
		return "", fmt.Errorf("blob: download filename must be 1 to 255 bytes, got %d", len(filename))
	}
	// Path separators and control characters have no business in a name the
	// browser writes to disk; refusing them beats silently rewriting them.
	if strings.ContainsAny(filename, `/\`) || strings.ContainsFunc(filename, unicode.IsControl) {
		return "", fmt.Errorf("blob: download filename %q has a path separator or control character", filename)
	}
	v := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
	if v == "" {
		return "", fmt.Errorf("blob: download filename %q cannot be encoded", filename)
	}
	return v, nil
}
