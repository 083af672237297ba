package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/url"

	"github.com/skip2/go-qrcode"
)

// QRDataURL encodes u as a QR code PNG in a data: URL (the CSP allows data:
// images), so the code needs no request of its own.
func QRDataURL(u string) (template.URL, error) {
	png, err := qrcode.Encode(u, qrcode.Medium, 256)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("data:image/png;base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(png))
	return template.URL(b.String()), nil // #nosec: our own base64, not user input
}

// BlobSrc is the src a page gives the viewer for a stored file's URL. A
// signed URL of the local blob store (local true) becomes a path, so the
// browser fetches the model from the origin it loaded the page from
// (localhost and 127.0.0.1 alike), which the Content-Security-Policy's
// connect-src 'self' requires. URLs of another store (S3 presigned URLs)
// stay whole.
func BlobSrc(local bool, u string) string {
	if !local {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	return p.RequestURI()
}
