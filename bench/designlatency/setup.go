package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/luneo/luneo/internal/demo"
)

// fixture is one brand ready to save designs: a product with the demo mug,
// its print zone, an uploaded image and a design whose versions the
// benchmark saves.
type fixture struct {
	c        *client
	product  string
	zone     string
	asset    string
	designID string
	// starts counts the render jobs this brand has started, so a client
	// moves to a fresh brand before the per-brand start limit (100 a
	// minute) would snooze a job and measure the limiter instead of the
	// pipeline.
	starts int
}

// password is every benchmark account's password.
const password = "correct horse battery staple"

// newFixture signs up a brand (email confirmation must be off:
// LUNEO_REQUIRE_EMAIL_CONFIRMATION=false), and sets up the product, zone,
// image and design. The design's first version is saved here; the caller
// waits for its renders before measuring.
func newFixture(ctx context.Context, base, tag string, in inputs) (*fixture, error) {
	c := newClient(base)
	email := "bench-" + tag + "@example.com"
	if _, err := c.call(ctx, "POST", "/api/auth/register", map[string]any{"email": email, "password": password,
		"name": "Bench " + tag, "brand": "Bench " + tag}, 201); err != nil {
		return nil, fmt.Errorf("sign up: %w", err)
	}
	out, err := c.call(ctx, "POST", "/api/auth/login", map[string]any{"email": email, "password": password}, 200)
	if err != nil {
		return nil, fmt.Errorf("log in (is LUNEO_REQUIRE_EMAIL_CONFIRMATION false?): %w", err)
	}
	c.token = str(out, "access_token")
	f := &fixture{c: c}
	if out, err = c.call(ctx, "POST", "/api/products", map[string]any{"name": "Mug", "currency": "EUR", "price": 1290}, 201); err != nil {
		return nil, fmt.Errorf("create product: %w", err)
	}
	f.product = str(out, "product", "id")
	if _, err := c.send(ctx, "POST", "/api/products/"+f.product+"/model", "model/gltf-binary", in.mug,
		map[string]string{"Content-Disposition": `attachment; filename="mug.glb"`}, 200, 201); err != nil {
		return nil, fmt.Errorf("upload mug: %w", err)
	}
	mz := demo.MugZone()
	if out, err = c.call(ctx, "POST", "/api/products/"+f.product+"/zones", map[string]any{
		"name": "Wrap", "type": "print", "material": mz.Material,
		"uv_rect":  map[string]any{"u0": mz.Rect.U0, "v0": mz.Rect.V0, "u1": mz.Rect.U1, "v1": mz.Rect.V1},
		"width_mm": mz.WidthMM, "height_mm": mz.HeightMM, "dpi": mz.DPI}, 201); err != nil {
		return nil, fmt.Errorf("create zone: %w", err)
	}
	f.zone = str(out, "zone", "id")
	if out, err = c.upload(ctx, "/api/designs/assets", "photo.png", in.image, 201); err != nil {
		return nil, fmt.Errorf("upload image: %w", err)
	}
	f.asset = str(out, "asset", "sha256")
	if out, err = c.call(ctx, "POST", "/api/designs", map[string]any{"product_id": f.product, "name": "Bench",
		"document": f.document("first " + tag)}, 201); err != nil {
		return nil, fmt.Errorf("create design: %w", err)
	}
	f.designID = str(out, "design", "id")
	f.starts = 1
	return f, nil
}

// document is the design: the image on the left of the wrap and a line of
// text, the part each save changes, so the zone must be drawn again.
func (f *fixture) document(text string) map[string]any {
	return map[string]any{"zones": []any{map[string]any{"zone_id": f.zone, "layers": []any{
		map[string]any{"type": "image", "asset": f.asset, "x_mm": 5, "y_mm": 10, "width_mm": 60, "height_mm": 60},
		map[string]any{"type": "text", "text": text, "font": "Noto Sans", "size_pt": 28, "color": "#1d4e89",
			"align": "center", "x_mm": 135, "y_mm": 45},
	}}}}
}

// inputs are the files every fixture uploads, made once.
type inputs struct {
	mug   []byte
	image []byte
}

// makeInputs builds the demo mug with its default options (a 2048² base
// colour texture) and an 800×800 PNG photo stand-in (a gradient, so it
// neither compresses to nothing nor trips the print-quality warning).
func makeInputs() (inputs, error) {
	mug, err := demo.Mug(demo.MugOptions{})
	if err != nil {
		return inputs{}, err
	}
	m := image.NewNRGBA(image.Rect(0, 0, 800, 800))
	for y := range 800 {
		for x := range 800 {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / 799), uint8(y * 255 / 799), uint8((x ^ y) & 0xff), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		return inputs{}, fmt.Errorf("encode image: %w", err)
	}
	return inputs{mug: mug, image: b.Bytes()}, nil
}
