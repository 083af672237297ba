package benchapi

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestClient: Call sends JSON with the bearer token and decodes the answer;
// a status outside want is an error that carries the answer; Upload sends a
// multipart "file" part.
func TestClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"auth":"`+r.Header.Get("Authorization")+`","type":"`+r.Header.Get("Content-Type")+`","body":`+string(b)+`}`)
		case "/upload":
			_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			part, err := multipart.NewReader(r.Body, params["boundary"]).NextPart()
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			b, _ := io.ReadAll(part)
			_, _ = io.WriteString(w, `{"field":"`+part.FormName()+`","name":"`+part.FileName()+`","data":"`+string(b)+`"}`)
		default:
			http.Error(w, `{"detail":"no such thing"}`, http.StatusNotFound)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	c := NewClient(srv.URL)
	c.Token = "tok"

	out, err := c.Call(ctx, "POST", "/echo", map[string]any{"n": 1}, 200)
	if err != nil || Str(out, "auth") != "Bearer tok" || Str(out, "type") != "application/json" || out["body"].(map[string]any)["n"] != 1.0 {
		t.Fatalf("echo: %v %v", out, err)
	}
	if _, err := c.Call(ctx, "GET", "/missing", nil, 200); err == nil || !strings.Contains(err.Error(), "status 404") ||
		!strings.Contains(err.Error(), "no such thing") {
		t.Fatalf("a 404 for want 200: %v", err)
	}
	up, err := c.Upload(ctx, "/upload", "photo.png", []byte("pixels"), 200)
	if err != nil || Str(up, "field") != "file" || Str(up, "name") != "photo.png" || Str(up, "data") != "pixels" {
		t.Fatalf("upload: %v %v", up, err)
	}
}

func TestStr(t *testing.T) {
	m := map[string]any{"a": map[string]any{"b": "x", "n": 2.0}}
	for path, want := range map[string]string{"a.b": "x", "a.n": "", "a.c": "", "z.b": ""} {
		if got := Str(m, strings.Split(path, ".")...); got != want {
			t.Errorf("Str(%s) = %q, want %q", path, got, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(i+1) * time.Millisecond
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := Percentile(d, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("the percentile of nothing is not 0")
	}
}

// TestMakeInputs: the mug is a GLB and the photo an 800×800 PNG.
func TestMakeInputs(t *testing.T) {
	in, err := MakeInputs()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(in.Image))
	if err != nil || cfg.Width != 800 || cfg.Height != 800 {
		t.Fatalf("photo: %+v %v", cfg, err)
	}
	if len(in.Mug) < 12 || string(in.Mug[:4]) != "glTF" {
		t.Fatalf("mug: %d bytes, not a GLB", len(in.Mug))
	}
}
