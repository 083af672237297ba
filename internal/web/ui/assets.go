package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// staticPrefix is the URL path under which Assets is mounted. Hashed URLs
// carry it so templates can use them as they are.
const staticPrefix = "/static/"

// hashLen is how many hex characters of the SHA-256 of a file go into its
// URL: 48 bits, plenty to tell two versions of one file apart.
const hashLen = 12

// assetCacheControl lets browsers and CDNs keep an asset forever: a new
// version always has a new URL, so a cached copy can never be stale.
const assetCacheControl = "public, max-age=31536000, immutable"

// stableCacheControl is for the few files also served under their plain
// name (see stableURL): that URL keeps its content only until the next
// deploy, so caches keep it a day and then revalidate with the ETag.
const stableCacheControl = "public, max-age=86400"

// ErrUnknownAsset is returned (wrapped) by Lookup for a name that is not
// among the static files.
var ErrUnknownAsset = errors.New("unknown static asset")

// Assets serves the embedded static files under content-hashed URLs
// ("app.css" is served as "/static/app.<hash>.css") so they can be cached
// for a year and still change the moment a new binary ships.
//
// Only hashed URLs are served: an unhashed or stale-hash URL is a 404, which
// makes a page that links an asset without going through Path show up in
// tests and access logs instead of silently serving an old file. The one
// exception is the files that code finds by a URL it builds itself (see
// stableURL): they are also served under their plain name, cached a day.
type Assets struct {
	byName map[string]*asset // logical name ("img/logo.svg") → asset
	byURL  map[string]*asset // hashed URL path ("/static/img/logo.<hash>.svg") → asset
	stable map[string]*asset // plain URL path ("/static/dist/decoders/…") → asset
}

// asset is one static file, read once and kept in memory with its headers
// worked out in advance.
type asset struct {
	url   string // hashed URL path
	hash  string
	ctype string
	body  []byte

	// The gzip copy is made on the first request rather than at start-up:
	// compressing the web bundles and their source maps (megabytes) at the
	// best level would add about half a second to every start, and a worker
	// process never serves them at all.
	compress bool // text, where gzip pays off
	gzOnce   sync.Once
	gz       []byte // gzip copy, nil when the type is not text or gzip did not help
}

// gzipped returns the gzip copy of the asset, or nil when it has none.
func (as *asset) gzipped() []byte {
	as.gzOnce.Do(func() {
		if !as.compress {
			return
		}
		// A tiny file can grow under gzip; then the copy is not worth
		// serving. gzipBytes writes to memory and cannot fail in practice;
		// if it did, the asset is served uncompressed.
		if gz, err := gzipBytes(as.body); err == nil && len(gz) < len(as.body) {
			as.gz = gz
		}
	})
	return as.gz
}

var _ http.Handler = (*Assets)(nil)

// NewAssets reads every file in fsys (typically StaticFS()) and computes its
// hashed URL. Files and folders whose names begin with "." are skipped, as
// the embed directive skips them, so editor and OS droppings never become
// public.
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byURL: map[string]*asset{}, stable: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		as := newAsset(name, body)
		if other, dup := a.byURL[as.url]; dup {
			return fmt.Errorf("%s and another file both map to %s", name, other.url)
		}
		a.byName[name] = as
		a.byURL[as.url] = as
		if stableURL(name) {
			a.stable[staticPrefix+name] = as
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:hashLen]
	dir, base := path.Split(name)
	ext := path.Ext(base)
	return &asset{
		url:      staticPrefix + dir + strings.TrimSuffix(base, ext) + "." + hash + ext,
		hash:     hash,
		ctype:    contentType(ext, body),
		body:     body,
		compress: compressible(ext),
	}
}

// stableURL reports whether the file name is also served under its plain
// URL, "/static/" + name, besides its hashed one. That is for files that
// code reaches by a URL it builds itself instead of asking Lookup:
//
//   - dist/decoders/: <model-viewer> is given the folder URLs of the Draco
//     and KTX2 decoders, and three.js appends the file names
//     (draco_wasm_wrapper.js, draco_decoder.wasm, basis_transcoder.js, …);
//   - *.map: a bundle names its source map relative to itself
//     ("//# sourceMappingURL=viewer.js.map"), which from
//     /static/dist/viewer.<hash>.js resolves to /static/dist/viewer.js.map.
func stableURL(name string) bool {
	return strings.HasPrefix(name, "dist/decoders/") || strings.HasSuffix(name, ".map")
}

// Lookup returns the hashed URL path of the static file name, such as
// "/static/app.3f2a9c01b7de.css" for "app.css". Names are slash-separated
// paths relative to the static folder, without a leading slash.
func (a *Assets) Lookup(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("%w %q (names are relative to internal/web/static)", ErrUnknownAsset, name)
	}
	return as.url, nil
}

// Body returns the content of the static file name, for the few files
// served under a URL of their own instead of a hashed one (the widget
// loader at /embed/luneo.js, whose URL brands paste into their stores).
func (a *Assets) Body(name string) ([]byte, bool) {
	as, ok := a.byName[name]
	if !ok {
		return nil, false
	}
	return as.body, true
}

// Path is Lookup for callers that cannot handle an error. For an unknown
// name it returns the unhashed "/static/<name>", a URL Assets never serves:
// the page still renders, and the 404 for the broken link is visible in the
// browser and the access log. Templates use the asset function instead,
// which fails the render.
func (a *Assets) Path(name string) string {
	if p, err := a.Lookup(name); err == nil {
		return p
	}
	return staticPrefix + name
}

// ServeHTTP serves one asset by its hashed URL path. It must be mounted so
// that r.URL.Path still starts with "/static/" (no http.StripPrefix).
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	as, cacheControl := a.byURL[r.URL.Path], assetCacheControl
	if as == nil {
		as, cacheControl = a.stable[r.URL.Path], stableCacheControl
	}
	if as == nil {
		// A stale hash is normal for a moment during a rolling deploy; do not
		// let a cache remember the 404 once the new version is everywhere.
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}

	h := w.Header()
	h.Set("Content-Type", as.ctype)
	h.Set("Cache-Control", cacheControl)
	h.Set("X-Content-Type-Options", "nosniff")
	body, etag := as.body, `"`+as.hash+`"`
	if gz := as.gzipped(); gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			// The gzip copy is a different representation, so it gets its own
			// strong validator (RFC 9110 §8.8.3).
			body, etag = gz, `"`+as.hash+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)

	// Any version of this URL the client holds is current (the URL names its
	// content), so either encoding's tag earns a 304.
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagListMatches(inm, as.hash) {
		// As net/http does for its own 304s: no body, so no body headers.
		h.Del("Content-Encoding")
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	// ServeContent adds Content-Length, HEAD handling and Range requests.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// etagListMatches reports whether an If-None-Match value names the asset
// with the given hash, using the weak comparison RFC 9110 requires.
func etagListMatches(header, hash string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == `"`+hash+`"` || tag == `"`+hash+`-gzip"` {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip: listed
// with a non-zero q, or covered by "*" when gzip is not listed at all.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// contentType picks the Content-Type from our own table first, because the
// mime package consults the host's mime.types, which differs between
// machines (some still say application/javascript, some lack .webmanifest).
func contentType(ext string, body []byte) string {
	switch strings.ToLower(ext) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".webp":
		return "image/webp"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".wasm":
		return "application/wasm"
	case ".glb":
		return "model/gltf-binary"
	case ".usdz":
		return "model/vnd.usdz+zip"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(body)
}

// compressible reports whether files with this extension are text, where
// gzip pays off; images, fonts and models are compressed already.
func compressible(ext string) bool {
	switch strings.ToLower(ext) {
	case ".css", ".js", ".mjs", ".svg", ".json", ".map", ".webmanifest", ".txt", ".wasm":
		return true
	}
	return false
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
