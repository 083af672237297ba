package compose

import (
	"bytes"
	"context"
	"errors"
	"image"
	"math"
	"strings"
	"testing"
)

func TestParseSceneAcceptsTheIssueShape(t *testing.T) {
	s := parse(t, benchScene)
	if s.Width != 2048 || s.DPI != 300 || len(s.Layers) != 3 {
		t.Fatalf("got %+v", s)
	}
	if l := s.Layers[2]; l.Type != "text" || l.StrokeWidth != 3 || l.Stroke != "#000000" || l.Y != 1900 {
		t.Errorf("text layer: %+v", l)
	}
}

func TestParseSceneRejects(t *testing.T) {
	tests := []struct {
		name, js, want string
	}{
		{"unknown scene field", `{"width":10,"height":10,"layers":[],"colour":"#fff"}`, `unknown field "colour"`},
		{"unknown layer field", `{"width":10,"height":10,"layers":[{"type":"fill","color":"#fff"},{"type":"text","text":"a","font":"Noto Sans","size":5,"shadow":1}]}`, `layer 1: json: unknown field "shadow"`},
		{"unknown type", `{"width":10,"height":10,"layers":[{"type":"video","src":"a"}]}`, `layer 0: type: unknown layer type "video"`},
		{"missing type", `{"width":10,"height":10,"layers":[{"src":"a"}]}`, `layer 0: type: missing`},
		{"zero width", `{"width":0,"height":10,"layers":[]}`, `width: 0 is outside 1..16384`},
		{"huge height", `{"width":10,"height":100000,"layers":[]}`, `height: 100000 is outside`},
		{"bad background", `{"width":10,"height":10,"background":"red","layers":[]}`, `background: "red" is not #RRGGBB`},
		{"bad colour digits", `{"width":10,"height":10,"layers":[{"type":"fill","color":"#12345g"}]}`, `layer 0: color: "#12345g"`},
		{"fill without colour", `{"width":10,"height":10,"layers":[{"type":"fill"}]}`, `layer 0: color: missing`},
		{"text without font", `{"width":10,"height":10,"layers":[{"type":"text","text":"a","size":10}]}`, `layer 0: font: missing`},
		{"font size zero", `{"width":10,"height":10,"layers":[{"type":"text","text":"a","font":"Noto Sans"}]}`, `layer 0: size: 0 is outside`},
		{"font size huge", `{"width":10,"height":10,"layers":[{"type":"text","text":"a","font":"Noto Sans","size":1e9}]}`, `layer 0: size`},
		{"bad align", `{"width":10,"height":10,"layers":[{"type":"text","text":"a","font":"Noto Sans","size":9,"align":"middle"}]}`, `layer 0: align`},
		{"opacity above one", `{"width":10,"height":10,"layers":[{"type":"fill","color":"#fff","opacity":1.5}]}`, `layer 0: opacity: 1.5 is outside 0..1`},
		{"negative crop", `{"width":10,"height":10,"layers":[{"type":"image","src":"a","crop":{"x":0,"y":0,"width":-1,"height":2}}]}`, `layer 0: crop`},
		{"text field on image", `{"width":10,"height":10,"layers":[{"type":"image","src":"a","size":3}]}`, `layer 0: type: an image layer takes no text fields`},
		{"image without src", `{"width":10,"height":10,"layers":[{"type":"image"}]}`, `layer 0: src: missing`},
		{"bad fit", `{"width":10,"height":10,"layers":[{"type":"image","src":"a","fit":"stretch"}]}`, `layer 0: fit`},
		{"arc too wide", `{"width":10,"height":10,"layers":[{"type":"text","text":"a","font":"Noto Sans","size":9,"arc":400}]}`, `layer 0: arc`},
		{"trailing data", `{"width":10,"height":10,"layers":[]} {}`, `data after the JSON value`},
		{"not JSON", `{"width":10,`, `unexpected EOF`},
		{"too many layers", `{"width":10,"height":10,"layers":[` + strings.Repeat(`{"type":"fill","color":"#fff"},`, MaxLayers) + `{"type":"fill","color":"#fff"}]}`, `257 layers, at most 256`},
		{"text too long", `{"width":10,"height":10,"layers":[{"type":"text","font":"Noto Sans","size":9,"text":"` + strings.Repeat("a", MaxTextRunes+1) + `"}]}`, `layer 0: text: 2001 characters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScene(strings.NewReader(tt.js))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateRejectsNonFinite(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		s := &Scene{Width: 10, Height: 10, Layers: []Layer{{Type: "fill", Color: "#fff", Rotation: v}}}
		var fe *FieldError
		if err := s.Validate(); !errors.As(err, &fe) || fe.Layer != 0 || fe.Field != "rotation" {
			t.Errorf("rotation %v: got %v", v, err)
		}
		s = &Scene{Width: 10, Height: 10, DPI: v}
		if err := s.Validate(); err == nil {
			t.Errorf("dpi %v accepted", v)
		}
	}
}

func TestRenderNamesUnknownFontAndListsFamilies(t *testing.T) {
	s := parse(t, `{"width":10,"height":10,"layers":[{"type":"text","text":"a","font":"Comic Sans","size":9}]}`)
	_, err := Render(context.Background(), s, Options{Fonts: testFonts})
	if err == nil || !strings.Contains(err.Error(), `layer 0: font: unknown font "Comic Sans"`) ||
		!strings.Contains(err.Error(), "Noto Sans Arabic") {
		t.Fatalf("got %v", err)
	}
}

func TestRenderBadSources(t *testing.T) {
	s := parse(t, `{"width":10,"height":10,"layers":[{"type":"image","src":"missing.png"}]}`)
	if _, err := Render(context.Background(), s, Options{Fonts: testFonts, Sources: memSources{}}); err == nil ||
		!strings.Contains(err.Error(), `layer 0: src: image "missing.png"`) {
		t.Errorf("missing image: %v", err)
	}
	s = parse(t, `{"width":10,"height":10,"layers":[{"type":"image","src":"g","crop":{"x":60,"y":0,"width":10,"height":10}}]}`)
	if _, err := Render(context.Background(), s, Options{Fonts: testFonts, Sources: memSources{"g": gradient(64, 48)}}); err == nil ||
		!strings.Contains(err.Error(), "layer 0: crop") {
		t.Errorf("crop outside: %v", err)
	}
	s = parse(t, `{"width":16384,"height":16384,"layers":[]}`)
	if _, err := Render(context.Background(), s, Options{Fonts: testFonts, MaxPixels: 1 << 20}); err == nil ||
		!strings.Contains(err.Error(), "render it in bands") {
		t.Errorf("over budget: %v", err)
	}
}

// FuzzParseScene: any input either parses into a scene that validates, or
// fails with an error; never a panic.
func FuzzParseScene(f *testing.F) {
	f.Add([]byte(benchScene))
	f.Add([]byte(`{"width":1,"height":1,"layers":[{"type":"fill","color":"#fff","clip":{"x":0,"y":0,"width":1,"height":1}}]}`))
	f.Add([]byte(`{"width":5,"height":5,"mask":"m","layers":[{"type":"text","text":"ab\ncd","font":"x","size":3,"arc":-90}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScene(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed scene fails validation: %v", err)
		}
	})
}

// countingSources counts opens.
type countingSources struct {
	memSources
	n int
}

func (c *countingSources) Open(ctx context.Context, src string) (image.Image, error) {
	c.n++
	return c.memSources.Open(ctx, src)
}

func TestSourcesDecodedOnceWithinTheTotalBudget(t *testing.T) {
	src := &countingSources{memSources: memSources{"a": gradient(100, 100), "b": gradient(100, 100)}}
	s := parse(t, `{"width":50,"height":50,"layers":[{"type":"image","src":"a"},{"type":"image","src":"a","x":5},{"type":"image","src":"a","mask":"a"}]}`)
	if _, err := Render(context.Background(), s, Options{Fonts: testFonts, Sources: src}); err != nil {
		t.Fatal(err)
	}
	if src.n != 1 {
		t.Errorf("src opened %d times, want 1", src.n)
	}
	s = parse(t, `{"width":50,"height":50,"layers":[{"type":"image","src":"a"},{"type":"image","src":"b"}]}`)
	_, err := Render(context.Background(), s, Options{Fonts: testFonts, Sources: src, MaxSourcePixels: 15000})
	if err == nil || !strings.Contains(err.Error(), "more than the budget of 15000") {
		t.Errorf("over the source budget: %v", err)
	}
}

func TestRenderBandsStaysWithinTheBudget(t *testing.T) {
	s := parse(t, `{"width":3000,"height":2000,"background":"#ff0000","layers":[{"type":"text","text":"big","font":"Noto Sans","size":900,"x":100,"y":1500}]}`)
	budget := int64(3000 * 300)
	if _, err := Render(context.Background(), s, Options{Fonts: testFonts, MaxPixels: budget}); err == nil {
		t.Fatal("Render took a scene over its budget")
	}
	rows, dark := 0, 0
	err := RenderBands(context.Background(), s, Options{Fonts: testFonts, MaxPixels: budget}, 1000, func(y0 int, band image.Image) error {
		b := band.Bounds()
		if int64(b.Dx())*int64(b.Dy()) > budget || b.Min.Y != y0 || y0 != rows {
			t.Errorf("band %v at %d over budget or out of order", b, y0)
		}
		rows += b.Dy()
		for y := b.Min.Y; y < b.Max.Y; y += 7 {
			if band.(*image.RGBA).RGBAAt(600, y).R < 100 {
				dark++
			}
		}
		return nil
	})
	if err != nil || rows != 2000 {
		t.Fatalf("err %v, %d rows", err, rows)
	}
	if dark == 0 {
		t.Error("the text drew nothing across the bands")
	}
}
