package benchapi

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/luneo/luneo/internal/demo"
)

// Brand is one signed-up brand ready to customize: a product with the demo
// mug, its print zone, and an uploaded image.
type Brand struct {
	C       *Client
	Product string
	Zone    string
	Asset   string
}

// password is every benchmark account's password.
const password = "correct horse battery staple"

// NewBrand signs up a brand (email confirmation must be off:
// LUNEO_REQUIRE_EMAIL_CONFIRMATION=false), and sets up the product, zone
// and image.
func NewBrand(ctx context.Context, base, tag string, in Inputs) (*Brand, error) {
	c := NewClient(base)
	email := "bench-" + tag + "@example.com"
	if _, err := c.Call(ctx, "POST", "/api/auth/register", map[string]any{"email": email, "password": password,
		"name": "Bench " + tag, "brand": "Bench " + tag}, 201); err != nil {
		return nil, fmt.Errorf("sign up: %w", err)
	}
	out, err := c.Call(ctx, "POST", "/api/auth/login", map[string]any{"email": email, "password": password}, 200)
	if err != nil {
		return nil, fmt.Errorf("log in (is LUNEO_REQUIRE_EMAIL_CONFIRMATION false?): %w", err)
	}
	c.Token = Str(out, "access_token")
	f := &Brand{C: c}
	if out, err = c.Call(ctx, "POST", "/api/products", map[string]any{"name": "Mug", "currency": "EUR", "price": 1290}, 201); err != nil {
		return nil, fmt.Errorf("create product: %w", err)
	}
	f.Product = Str(out, "product", "id")
	if _, err := c.Send(ctx, "POST", "/api/products/"+f.Product+"/model", "model/gltf-binary", in.Mug,
		map[string]string{"Content-Disposition": `attachment; filename="mug.glb"`}, 200, 201); err != nil {
		return nil, fmt.Errorf("upload mug: %w", err)
	}
	mz := demo.MugZone()
	if out, err = c.Call(ctx, "POST", "/api/products/"+f.Product+"/zones", map[string]any{
		"name": "Wrap", "type": "print", "material": mz.Material,
		"uv_rect":  map[string]any{"u0": mz.Rect.U0, "v0": mz.Rect.V0, "u1": mz.Rect.U1, "v1": mz.Rect.V1},
		"width_mm": mz.WidthMM, "height_mm": mz.HeightMM, "dpi": mz.DPI}, 201); err != nil {
		return nil, fmt.Errorf("create zone: %w", err)
	}
	f.Zone = Str(out, "zone", "id")
	if out, err = c.Upload(ctx, "/api/designs/assets", "photo.png", in.Image, 201); err != nil {
		return nil, fmt.Errorf("upload image: %w", err)
	}
	f.Asset = Str(out, "asset", "sha256")
	return f, nil
}

// Document is a design: the image on the left of the wrap and a line of
// text, the part a benchmark changes, so the zone must be drawn again.
func (f *Brand) Document(text string) map[string]any {
	return map[string]any{"zones": []any{map[string]any{"zone_id": f.Zone, "layers": []any{
		map[string]any{"type": "image", "asset": f.Asset, "x_mm": 5, "y_mm": 10, "width_mm": 60, "height_mm": 60},
		map[string]any{"type": "text", "text": text, "font": "Noto Sans", "size_pt": 28, "color": "#1d4e89",
			"align": "center", "x_mm": 135, "y_mm": 45},
	}}}}
}

// Inputs are the files every fixture uploads, made once.
type Inputs struct {
	Mug   []byte
	Image []byte
}

// MakeInputs builds the demo mug with its default options (a 2048² base
// colour texture) and an 800×800 PNG photo stand-in (a gradient, so it
// neither compresses to nothing nor trips the print-quality warning).
func MakeInputs() (Inputs, error) {
	mug, err := demo.Mug(demo.MugOptions{})
	if err != nil {
		return Inputs{}, err
	}
	m := image.NewNRGBA(image.Rect(0, 0, 800, 800))
	for y := range 800 {
		for x := range 800 {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / 799), uint8(y * 255 / 799), uint8((x ^ y) & 0xff), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		return Inputs{}, fmt.Errorf("encode image: %w", err)
	}
	return Inputs{Mug: mug, Image: b.Bytes()}, nil
}
