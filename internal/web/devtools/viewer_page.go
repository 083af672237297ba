package devtools

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// The viewer test page (dev only) shows a GLB of the local blob store with
// the "model-viewer" and "zone-editor" partials, so the web bundles, the
// decoders we serve and the Content-Security-Policy can be tried in a real
// browser (cmd/luneo/viewer_browser_test.go) before the product pages use
// them. Put a model in the store (for example with blob.NewFS over
// $LUNEO_DATA/blobs), then open /viewer-test?key=<its key>.
//
// It answers only on loopback: it signs a URL for any key it is given, which
// is fine on a developer's machine and nowhere else.

// maxViewerTestModel bounds what the test page reads into memory.
const maxViewerTestModel = 64 << 20

// viewerTestPage is the data of the viewer_test page.
type viewerTestPage struct {
	httpx.PageData
	Key   string
	Error string
	// Warning says why the model did not validate; it is still shown.
	Warning string
	Viewer  ui.ModelViewer
	Editor  ui.ZoneEditor
	Stats   *gltf.Statistics
	// Size is the GLB's size in bytes.
	Size int
}

// loopbackOnly answers 404 to any client not on this machine, and to any
// request whose Host is not a loopback name: a web page elsewhere can point
// its own domain at 127.0.0.1 (DNS rebinding) and have the developer's
// browser call us from a loopback peer, but its requests still carry that
// domain as Host.
func (s *Devtools) loopbackOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() || !loopbackHost(r.Host) {
			s.kit.NotFound(w, r)
			return
		}
		h(w, r)
	}
}

// loopbackHost reports whether a Host header names this machine:
// localhost, or a loopback IP (IPv6 in brackets), with or without a port.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Devtools) viewerTestPage(w http.ResponseWriter, r *http.Request) {
	v := &viewerTestPage{PageData: httpx.PageData{Title: "Viewer test"}, Key: strings.TrimSpace(r.URL.Query().Get("key"))}
	status := http.StatusOK
	switch {
	case s.localBlobs == nil:
		v.Error, status = "This page shows models of the local blob store, and this server stores blobs elsewhere (LUNEO_BLOB_URL).", http.StatusNotFound
	case v.Key != "":
		if err := s.loadViewerTest(r.Context(), v); err != nil {
			ae, ok := apperr.As(err)
			if !ok {
				s.kit.Error(w, r, err)
				return
			}
			v.Error, status = form.Sentence(ae.Message), httpx.StatusOf(ae.Code)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.kit.Render(w, r, status, "viewer_test", v)
}

// loadViewerTest fills v from the GLB at v.Key. A model that does not
// validate is still shown (that is what the page is for); only one that
// cannot be read at all is an error.
func (s *Devtools) loadViewerTest(ctx context.Context, v *viewerTestPage) error {
	b, err := s.readTestModel(ctx, v.Key)
	if err != nil {
		return err
	}
	src, err := s.localBlobs.SignedURL(ctx, v.Key, time.Hour, blob.URLOptions{})
	if err != nil {
		return fmt.Errorf("sign %s: %w", v.Key, err)
	}
	v.Size = len(b)
	v.Viewer = ui.ModelViewer{Src: samePath(src), Alt: "3D model " + v.Key}
	v.Editor = ui.ZoneEditor{ID: "zones", Endpoint: "/viewer-test/zones"}
	doc, err := gltf.Read(bytes.NewReader(b), int64(len(b)), gltf.ReadOptions{AllowUnsupportedExtensions: true})
	if err != nil {
		// Show why, then read it again without the checks, to list what can
		// be listed. (Compressed meshes, which this reader does not decode,
		// fail the accessor checks although the browser shows them fine.)
		v.Warning = "The model does not validate: " + err.Error()
		if doc, err = readLenient(b); err != nil {
			return nil
		}
	}
	st := gltf.Stats(doc)
	v.Stats = &st
	textures := map[int]gltf.TextureStat{}
	for _, t := range st.Textures {
		textures[t.Index] = t
	}
	for _, m := range doc.Materials {
		em := ui.EditorMaterial{Name: m.Name}
		if pbr := m.PBRMetallicRoughness; pbr != nil && pbr.BaseColorTexture != nil {
			if t, ok := textures[pbr.BaseColorTexture.Index]; ok && t.Image >= 0 {
				em.TextureURL = "/viewer-test/texture?" + url.Values{"key": {v.Key}, "image": {strconv.Itoa(t.Image)}}.Encode()
				em.Width, em.Height = t.Width, t.Height
			}
		}
		v.Editor.Materials = append(v.Editor.Materials, em)
	}
	return nil
}

// readTestModel reads the blob at key, up to maxViewerTestModel bytes.
func (s *Devtools) readTestModel(ctx context.Context, key string) ([]byte, error) {
	if err := blob.ValidateKey(key); err != nil {
		return nil, apperr.New(apperr.Invalid, "%q is not a blob key", key)
	}
	rc, info, err := s.localBlobs.Get(ctx, key, nil)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "the blob store has no file %q", key)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	defer rc.Close()
	if info.Size > maxViewerTestModel {
		return nil, apperr.New(apperr.TooLarge, "%s is %d bytes; this page reads at most %d", key, info.Size, maxViewerTestModel)
	}
	b, err := io.ReadAll(io.LimitReader(rc, maxViewerTestModel))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", key, err)
	}
	return b, nil
}

// readLenient reads a model without validating it, compressed or not.
func readLenient(b []byte) (*gltf.Document, error) {
	return gltf.Read(bytes.NewReader(b), int64(len(b)), gltf.ReadOptions{AllowUnsupportedExtensions: true, SkipValidation: true})
}

// samePath turns an absolute URL of our own into a path, so the page works
// whichever host name the browser used to reach the server (localhost or
// 127.0.0.1), which the Content-Security-Policy's 'self' depends on.
func samePath(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.RequestURI()
}

// viewerTestTexture serves image N of the GLB at key: the base colour
// textures the zone editor draws the zones on.
func (s *Devtools) viewerTestTexture(w http.ResponseWriter, r *http.Request) error {
	if s.localBlobs == nil {
		return apperr.New(apperr.NotFound, "no local blob store")
	}
	q := r.URL.Query()
	idx, err := strconv.Atoi(q.Get("image"))
	if err != nil {
		return apperr.New(apperr.Invalid, "image must be an image index")
	}
	b, err := s.readTestModel(r.Context(), q.Get("key"))
	if err != nil {
		return err
	}
	doc, err := readLenient(b)
	if err != nil {
		return apperr.Wrap(apperr.Unprocessable, err, "the model cannot be read")
	}
	img, err := doc.ImageData(idx)
	if err != nil {
		return apperr.Wrap(apperr.NotFound, err, "the model has no image %d", idx)
	}
	ct := http.DetectContentType(img)
	switch ct {
	case "image/png", "image/jpeg", "image/webp":
	default:
		return apperr.New(apperr.Unprocessable, "image %d is %s, which a browser cannot draw", idx, ct)
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(img)
	return err
}

// viewerTestZone answers the zone editor's POST as a zone API would, without
// storing anything: it validates the default body shape and returns the
// zone with an ID, so the editor's round trip can be tested.
func (s *Devtools) viewerTestZone(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name     string `json:"name"`
		Material string `json:"material"`
		UV       *struct {
			U0, V0, U1, V1 float64
		} `json:"uv"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		fields["name"] = "give the zone a name of 1 to 100 characters"
	}
	if in.UV == nil {
		fields["uv"] = "is required: {u0, v0, u1, v1}"
	} else if uv := in.UV; !(0 <= uv.U0 && uv.U0 < uv.U1 && uv.U1 <= 1 && 0 <= uv.V0 && uv.V0 < uv.V1 && uv.V1 <= 1) {
		fields["uv"] = "must satisfy 0 ≤ u0 < u1 ≤ 1 and 0 ≤ v0 < v1 ≤ 1"
	}
	if len(fields) > 0 {
		e := apperr.New(apperr.Invalid, "the zone is not valid")
		e.Fields = fields
		return e
	}
	httpx.WriteJSON(w, http.StatusCreated, ui.EditorZone{ID: "zone_" + strings.ToLower(rand.Text()[:10]), Name: in.Name, Material: in.Material,
		U0: in.UV.U0, V0: in.UV.V0, U1: in.UV.U1, V1: in.UV.V1})
	return nil
}
