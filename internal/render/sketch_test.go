package render

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // the compose previews and sketches

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/demo"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/membudget"
	"github.com/luneo/luneo/internal/platform/queue"
)

// sketchFixture is the whole pipeline over a real database and blob store:
// a brand with the demo mug (a 200×80 mm print zone with an elliptic mask,
// and a colour zone), a shopper's 3000×2000 JPEG upload, and design and
// render services wired like the app (a saved version enqueues its compose
// render; no worker runs: tests run the job themselves).
type sketchFixture struct {
	ctx     context.Context
	d       *db.DB
	blobs   blob.Store
	s       *Service
	designs *design.Service
	cat     *catalog.Service
	owner   auth.Principal
	pool    *membudget.Pool
	brandID string
	shopper design.Actor
	product string
	zone    catalog.Zone // the print zone
	colour  string       // the colour zone's ID
	photo   string       // the JPEG asset's SHA-256
}

func newSketchFixture(t testing.TB, d *db.DB, blobs blob.Store) *sketchFixture {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	if _, err := queue.Migrate(ctx, d, logger); err != nil {
		t.Fatal(err)
	}
	f := &sketchFixture{ctx: ctx, d: d, blobs: blobs, pool: membudget.New(512 << 20)}
	cat := catalog.New(d, blobs, catalog.Config{Images: f.pool}, logger)
	f.cat = cat
	f.designs = design.New(d, blobs, cat, design.Config{Images: f.pool,
		Fonts: func(ctx context.Context, brandID string) ([]string, error) { return f.s.Families(ctx, brandID) },
		OnVersionSaved: func(ctx context.Context, tx *sql.Tx, v design.VersionRef) error {
			return f.s.Enqueue(ctx, tx, TargetOf(v), v.Produce)
		}}, logger)
	var err error
	if f.s, err = New(d, blobs, cat, f.designs, Config{Images: f.pool, PreviewSize: 512, TempDir: t.TempDir()}, logger); err != nil {
		t.Fatal(err)
	}
	reg := queue.NewRegistry()
	Register(reg, f.s)
	q, err := queue.New(d, reg, queue.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	f.s.SetQueue(q)

	b, err := brand.NewStore(d).Create(ctx, "sketch-co", "Sketch Co")
	if err != nil {
		t.Fatal(err)
	}
	f.brandID = b.ID
	owner := auth.Principal{UserID: "u-owner", BrandID: b.ID, Role: brand.Owner}
	f.owner = owner
	f.shopper = design.ShopperActor(b.ID, "shopper-1")
	prod, err := cat.CreateProduct(ctx, owner, catalog.ProductSpec{Name: "Mug", Price: 1490, Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	f.product = prod.ID
	glb, err := demo.Mug(demo.MugOptions{Segments: 32})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.UploadModel(ctx, owner, prod.ID, catalog.Upload{Body: bytes.NewReader(glb), Filename: "mug.glb"}); err != nil {
		t.Fatal(err)
	}
	mz := demo.MugZone()
	w, h, dpi := mz.WidthMM, mz.HeightMM, mz.DPI
	z, err := cat.CreateZone(ctx, owner, prod.ID, catalog.ZoneSpec{Name: "Wrap", Type: catalog.PrintZone, Material: mz.Material,
		UVRect: &catalog.Rect{U0: mz.Rect.U0, V0: mz.Rect.V0, U1: mz.Rect.U1, V1: mz.Rect.V1}, WidthMM: &w, HeightMM: &h, DPI: &dpi})
	if err != nil {
		t.Fatal(err)
	}
	if f.zone, err = cat.UploadMask(ctx, owner, prod.ID, z.ID, bytes.NewReader(ellipseMask(800, 320))); err != nil {
		t.Fatal(err)
	}
	c, err := cat.CreateZone(ctx, owner, prod.ID, catalog.ZoneSpec{Name: "Inside", Type: catalog.ColourZone, Material: mz.ColourMaterials[0],
		Position: 1, ColourOptions: []catalog.ColourOption{{Name: "Navy", Hex: "#1d4e89"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.colour = c.ID
	asset, err := f.designs.UploadImage(ctx, f.shopper, testPhoto(t, 3000, 2000), "photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	f.photo = asset.SHA256
	return f
}

// ellipseMask is a PNG mask opaque inside the ellipse inscribed in w×h,
// transparent outside (the corners), with a soft one-pixel edge.
func ellipseMask(w, h int) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)+0.5-float64(w)/2)/(float64(w)/2), (float64(y)+0.5-float64(h)/2)/(float64(h)/2)
			e := (1 - math.Hypot(dx, dy)) * float64(h) / 2
			m.SetNRGBA(x, y, color.NRGBA{R: 255, G: 255, B: 255, A: uint8(255 * min(max(e, 0), 1))})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, m)
	return b.Bytes()
}

// testPhoto is a w×h JPEG with structure everywhere (gradients, a grid of
// coloured blocks, diagonal stripes), so a wrong crop or scale shows.
func testPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: 90, A: 255}
			if (x/250+y/250)%2 == 0 {
				c.B = 230
			}
			if (x+y)%400 < 40 {
				c = color.RGBA{R: 20, G: 20, B: 20, A: 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// document is a design of the print zone: the photo, cropped to crop
// (fractions), across the mask's top-left corner; a title; a rotated
// stroked word.
func (f *sketchFixture) document(crop map[string]any) json.RawMessage {
	doc := map[string]any{"product_id": f.product, "zones": []any{map[string]any{"zone_id": f.zone.ID, "layers": []any{
		map[string]any{"type": "image", "asset": f.photo, "x_mm": 2, "y_mm": 2, "width_mm": 90, "height_mm": 60, "crop": crop},
		map[string]any{"type": "text", "text": "Luneo sketch", "font": "Noto Sans", "size_pt": 40, "color": "#1d4e89", "x_mm": 96, "y_mm": 40},
		map[string]any{"type": "text", "text": "WYSIWYG", "font": "Noto Sans", "size_pt": 30, "color": "#c0392b", "align": "center",
			"x_mm": 150, "y_mm": 68, "rotation": -8, "stroke": "#000000", "stroke_mm": 0.4},
	}}}}
	b, _ := json.Marshal(doc)
	return b
}

// Crops of the test photo (3000×2000) for a 90×60 mm box: most of it
// (1800×1400 pixels), which a 512-pixel preview shows at 0.128 preview
// pixels per photo pixel, so from the copy of 512 pixels (made from the
// base copy of 1024); and 360×240 pixels of it (the zone's 100 DPI
// minimum allows no less), shown at 0.64, so from a copy of 2048 pixels.
var (
	wideCrop   = map[string]any{"x": 0.2, "y": 0.1, "width": 0.6, "height": 0.7}
	zoomedCrop = map[string]any{"x": 0.45, "y": 0.4, "width": 0.12, "height": 0.12}
)

// cached reports whether the service's sketch cache holds key.
func (f *sketchFixture) cached(key string) bool {
	f.s.sketches.mu.Lock()
	defer f.s.sketches.mu.Unlock()
	_, ok := f.s.sketches.items[key]
	return ok
}

// check validates a draft document as the preview route will.
func (f *sketchFixture) check(t testing.TB, raw json.RawMessage) design.Document {
	t.Helper()
	doc, _, err := f.designs.Check(f.ctx, f.shopper, design.Draft{Document: raw})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// rendered saves the document, runs its compose and produce renders as
// the worker would, and returns the zone preview the compose render stored
// and the print file the produce render stored, decoded.
func (f *sketchFixture) rendered(t *testing.T, raw json.RawMessage) (preview, print image.Image) {
	t.Helper()
	saved, err := f.designs.Create(f.ctx, f.shopper, design.Draft{Document: raw, Produce: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []Kind{Compose, Produce} {
		a := JobArgs{BrandID: f.brandID, DesignID: saved.Design.ID, ProductID: f.product, Version: 1, SHA256: saved.Version.SHA256}
		if err := f.d.QueryRowContext(f.ctx, `SELECT id FROM renders WHERE design_id = $1 AND kind = $2`, saved.Design.ID, kind).Scan(&a.RenderID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.work(f.ctx, a, kind, 1, MaxAttempts, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := f.s.List(f.ctx, f.brandID, saved.Design.ID)
	if err != nil {
		t.Fatal(err)
	}
	open := func(file File) image.Image {
		rc, _, err := f.blobs.Get(f.ctx, file.Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		img, _, err := image.Decode(rc)
		if err != nil {
			t.Fatalf("%s: %v", file.Role, err)
		}
		return img
	}
	for _, r := range rs {
		if r.Status != Completed && (r.Kind == Compose || r.Kind == Produce) {
			t.Fatalf("%s render %s: %s", r.Kind, r.Status, r.Error)
		}
		for _, file := range r.Files {
			switch {
			case file.ZoneID != f.zone.ID:
			case file.Role == RolePreview:
				preview = open(file)
			case file.Role == RolePrintPNG:
				print = open(file)
			}
		}
	}
	if preview == nil || print == nil {
		t.Fatalf("no preview or print file of zone %s among %+v", f.zone.ID, rs)
	}
	return preview, print
}

// decodeSketch decodes a sketch's body by its content type.
func decodeSketch(t testing.TB, sk Sketch) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch sk.ContentType {
	case "image/webp", "image/png":
		var format string
		img, format, err = image.Decode(bytes.NewReader(sk.Body))
		if err == nil && "image/"+format != sk.ContentType {
			t.Fatalf("sketch says %s, its body is %s", sk.ContentType, format)
		}
	default:
		t.Fatalf("sketch content type %q", sk.ContentType)
	}
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != sk.Width || b.Dy() != sk.Height {
		t.Fatalf("sketch says %dx%d, its image is %v", sk.Width, sk.Height, b)
	}
	return img
}

// perceptualDiff compares two pictures of the same size as premultiplied
// colour (so hidden colour under zero alpha does not count), each seen
// through a 3×3 box blur, as an eye at arm's length would: a half-pixel
// shift of a glyph's edge or the lossy encoders' ringing fade, a missing
// mask, a wrong crop or a misplaced layer do not. It returns the mean
// absolute difference per channel (0..255) and the share of pixels some
// channel of which differs by more than 32.
func perceptualDiff(a, b image.Image) (mean, visible float64) {
	pa, pb := blur3(a), blur3(b)
	var sum, bad float64
	for i := 0; i < len(pa); i += 4 {
		worst := 0.0
		for c := range 4 {
			d := math.Abs(pa[i+c] - pb[i+c])
			sum += d
			worst = max(worst, d)
		}
		if worst > 32 {
			bad++
		}
	}
	n := float64(len(pa) / 4)
	return sum / (4 * n), bad / n
}

// blur3 is img's premultiplied RGBA averaged over each pixel's 3×3
// neighbourhood (clamped at the edges), row by row.
func blur3(img image.Image) []float64 {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	px := make([]float64, 4*w*h)
	for y := range h {
		for x := range w {
			c := color.RGBAModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.RGBA)
			copy(px[4*(y*w+x):], []float64{float64(c.R), float64(c.G), float64(c.B), float64(c.A)})
		}
	}
	out := make([]float64, len(px))
	for y := range h {
		for x := range w {
			n := 0.0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					sx, sy := x+dx, y+dy
					if sx < 0 || sy < 0 || sx >= w || sy >= h {
						continue
					}
					n++
					for c := range 4 {
						out[4*(y*w+x)+c] += px[4*(sy*w+sx)+c]
					}
				}
			}
			for c := range 4 {
				out[4*(y*w+x)+c] /= n
			}
		}
	}
	return out
}

// The WYSIWYG rule: the sketch of a zone is the compose render's preview
// of the same document once saved, and the print file made smaller, within
// the noise of lossy encoding and resampling (the bounds below are about
// 1.5 times what they measure). Broken on purpose, each fails: the mask
// left out (mean 7.6 against the preview, 7.1% of pixels visibly), the
// text laid out at the preview's size rather than the print's (4% of
// pixels visibly off the print), the crop measured in the original's
// pixels (the compositor refuses it, or the picture is off by a mean of
// 16), the zoomed crop drawn from the 1024-pixel copy (slightly blurred,
// 0.8% of pixels visibly off the print: the copy check catches it).
func TestSketchIsTheComposePreview(t *testing.T) {
	run := func(t *testing.T, d *db.DB, blobs blob.Store) {
		f := newSketchFixture(t, d, blobs)
		for _, c := range []struct {
			name string
			crop map[string]any
			side int // the photo copy the sketch must draw from
		}{{"wide crop", wideCrop, 512}, {"zoomed crop", zoomedCrop, 2048}} {
			t.Run(c.name, func(t *testing.T) {
				raw := f.document(c.crop)
				sk, err := f.s.Sketch(f.ctx, f.brandID, f.check(t, raw), f.zone.ID, 512)
				if err != nil {
					t.Fatal(err)
				}
				got := decodeSketch(t, sk)
				preview, print := f.rendered(t, raw)
				if got.Bounds().Size() != preview.Bounds().Size() {
					t.Fatalf("sketch %v, compose preview %v: not the same frame", got.Bounds(), preview.Bounds())
				}
				printed := image.NewRGBA(got.Bounds())
				xdraw.BiLinear.Scale(printed, printed.Rect, print, print.Bounds(), xdraw.Src, nil)
				for _, ref := range []struct {
					name          string
					img           image.Image
					mean, visible float64
				}{{"the compose preview", preview, 2, 0.03}, {"the print file", printed, 3, 0.015}} {
					mean, visible := perceptualDiff(got, ref.img)
					t.Logf("sketch %dx%d %s %d bytes against %s: mean %.2f, %.2f%% visibly",
						sk.Width, sk.Height, sk.ContentType, len(sk.Body), ref.name, mean, 100*visible)
					if mean > ref.mean || visible > ref.visible {
						t.Errorf("the sketch differs from %s: mean %.2f (at most %.1f), %.2f%% of pixels visibly (at most %.1f%%)",
							ref.name, mean, ref.mean, 100*visible, 100*ref.visible)
					}
				}
				// The photo reaches into the mask's transparent corner.
				if _, _, _, a := got.At(8, 8).RGBA(); a != 0 {
					t.Errorf("the photo in the sketch's top-left corner is not clipped (alpha %d): the mask was not applied", a>>8)
				}
				if key := "asset\x00" + f.brandID + "\x00" + f.photo + "\x00" + strconv.Itoa(c.side); !f.cached(key) {
					t.Errorf("the sketch did not draw from the photo's copy of %d pixels", c.side)
				}
			})
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
		if err != nil {
			t.Fatal(err)
		}
		run(t, dbtest.SQLite(t), blobs)
	})
	t.Run("postgres+s3", func(t *testing.T) {
		blobs := testS3(t)
		run(t, dbtest.Postgres(t), blobs)
	})
}

// testS3 is a store on LUNEO_TEST_S3 under a fresh prefix; it skips the
// test when the variable is unset.
func testS3(t *testing.T) blob.Store {
	t.Helper()
	raw := os.Getenv("LUNEO_TEST_S3")
	if raw == "" {
		t.Skip("set LUNEO_TEST_S3 (and LUNEO_TEST_POSTGRES) to run against PostgreSQL and S3")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("LUNEO_TEST_S3: %v", err)
	}
	secret, _ := u.User.Password()
	s, err := blob.NewS3(t.Context(), blob.S3Config{Endpoint: u.Scheme + "://" + u.Host, Region: "us-east-1",
		Bucket: strings.Trim(u.Path, "/"), Prefix: "sketch-test-" + strings.ToLower(rand.Text()) + "/",
		AccessKey: u.User.Username(), SecretKey: secret, PathStyle: true})
	if err == nil {
		err = s.EnsureBucket(t.Context())
	}
	if err != nil {
		t.Fatalf("LUNEO_TEST_S3: %v", err)
	}
	return s
}

// Hostile and wrong requests: sizes are clamped, not trusted; a zone that
// is not a print zone of the product is refused naming it.
func TestSketchRefusesAndClamps(t *testing.T) {
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	f := newSketchFixture(t, dbtest.SQLite(t), blobs)
	doc := f.check(t, f.document(wideCrop))
	for _, c := range []struct {
		size int
		want int // longest side
	}{{0, SketchDefaultSize}, {1 << 30, SketchMaxSize}, {math.MaxInt, SketchMaxSize}, {1, SketchMinSize}, {-5, SketchMinSize}, {300, 300}} {
		sk, err := f.s.Sketch(f.ctx, f.brandID, doc, f.zone.ID, c.size)
		if err != nil {
			t.Fatalf("size %d: %v", c.size, err)
		}
		if got := max(sk.Width, sk.Height); got != c.want {
			t.Errorf("size %d: %dx%d, want a longest side of %d", c.size, sk.Width, sk.Height, c.want)
		}
		decodeSketch(t, sk)
	}
	for _, c := range []struct {
		name, zone string
		code       apperr.Code
		mention    string
	}{
		{"unknown zone", "z-nope", apperr.Invalid, "z-nope"},
		{"no zone", "", apperr.Invalid, "zone_id"},
		{"colour zone", f.colour, apperr.Invalid, "colour zone"},
		{"huge zone ID", strings.Repeat("x", 5000), apperr.Invalid, "is not a zone"},
	} {
		_, err := f.s.Sketch(f.ctx, f.brandID, doc, c.zone, 512)
		if apperr.CodeOf(err) != c.code || !strings.Contains(err.Error(), c.mention) || len(err.Error()) > 300 {
			t.Errorf("%s: %v, want %s mentioning %q, short", c.name, err, c.code, c.mention)
		}
	}
	// Another brand's product is not found, even with a valid document.
	if _, err := f.s.Sketch(f.ctx, "other-brand", doc, f.zone.ID, 512); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("another brand: %v, want not found", err)
	}
}

// A sketch uses the brand's fonts like the render, and its cache answers
// by content: a warm sketch reads no upload again (it survives the photo's
// blob going away), and a new mask shows at once.
func TestSketchBrandFontsAndFreshness(t *testing.T) {
	ttf, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
	if err != nil {
		t.Skipf("DejaVu Serif is not installed here: %v", err)
	}
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	f := newSketchFixture(t, dbtest.SQLite(t), blobs)
	font, err := f.designs.UploadFont(f.ctx, design.StaffActor(f.owner), ttf, "DejaVuSerif.ttf")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	_ = json.Unmarshal(f.document(wideCrop), &doc)
	layers := doc["zones"].([]any)[0].(map[string]any)["layers"].([]any)
	layers[1].(map[string]any)["font"] = font.Family
	raw, _ := json.Marshal(doc)

	sketch := func() (Sketch, image.Image) {
		t.Helper()
		sk, err := f.s.Sketch(f.ctx, f.brandID, f.check(t, raw), f.zone.ID, 512)
		if err != nil {
			t.Fatal(err)
		}
		return sk, decodeSketch(t, sk)
	}
	first, got := sketch()
	preview, _ := f.rendered(t, raw)
	if mean, visible := perceptualDiff(got, preview); mean > 2 || visible > 0.03 {
		t.Errorf("with a brand font, the sketch differs from the compose preview: mean %.2f, %.2f%% visibly", mean, 100*visible)
	}
	if !f.cached("fonts\x00" + f.brandID + "\x00" + font.SHA256) {
		t.Error("the brand's font set is not kept by its file's SHA-256")
	}

	if err := f.blobs.Delete(f.ctx, "brands/"+f.brandID+"/design-assets/"+f.photo+".jpeg"); err != nil {
		t.Fatal(err)
	}
	if again, _ := sketch(); !bytes.Equal(again.Body, first.Body) {
		t.Error("a warm sketch drew something else")
	}

	full := image.NewGray(image.Rect(0, 0, 100, 40))
	for i := range full.Pix {
		full.Pix[i] = 255
	}
	var b bytes.Buffer
	_ = png.Encode(&b, full)
	if _, err := f.cat.UploadMask(f.ctx, f.owner, f.product, f.zone.ID, &b); err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := func() image.Image { _, img := sketch(); return img }().At(8, 8).RGBA(); a == 0 {
		t.Error("after a new mask that keeps everything, the corner is still clipped: the old mask was used")
	}
}
