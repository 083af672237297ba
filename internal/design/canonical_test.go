package design

import (
	"bytes"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

const assetA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// full is a document with every default written out, zones in order.
const full = `{"v":1,"product_id":"p1","zones":[
 {"zone_id":"a","layers":[
  {"type":"text","text":"Hello\nWorld","font":"Noto Sans","size_pt":24,"color":"#112233","align":"center",
   "x_mm":50,"y_mm":30,"rotation":0,"line_height":1.2,"letter_spacing_mm":0,"arc_deg":0,"stroke":"#000000","stroke_mm":0},
  {"type":"image","asset":"` + assetA + `","x_mm":10,"y_mm":10,"width_mm":40,"height_mm":30,"rotation":0,
   "opacity":1,"crop":{"x":0,"y":0,"width":1,"height":1}}]},
 {"zone_id":"b","colour":"#aa0000"}]}`

func TestCanonicalSameDesign(t *testing.T) {
	t.Parallel()
	want := hashOf(t, full)
	for name, doc := range map[string]string{
		"defaults left out": `{"product_id":"p1","zones":[{"zone_id":"a","layers":[
			{"type":"text","text":"Hello\nWorld","font":"Noto Sans","size_pt":24,"color":"#123","align":"center","x_mm":50,"y_mm":30},
			{"type":"image","asset":"` + strings.ToUpper(assetA) + `","x_mm":10,"y_mm":10,"width_mm":40,"height_mm":30}]},
			{"zone_id":"b","colour":"#AA0000"}]}`,
		"zones and keys reordered": `{"zones":[{"colour":"#aa0000","zone_id":"b"},{"layers":[
			{"font":"Noto Sans","type":"text","size_pt":24.0,"text":"Hello\nWorld","y_mm":30,"x_mm":50.00000001,"color":"#112233","align":"center"},
			{"crop":{"height":1,"width":1,"y":0,"x":0},"type":"image","asset":"` + assetA + `","height_mm":30,"width_mm":40,"x_mm":10,"y_mm":1e1}],
			"zone_id":"a"}],"product_id":"p1","v":1}`,
		"whitespace and a full turn": strings.ReplaceAll(strings.Replace(full, `"rotation":0,"line_height"`, `"rotation":360,"line_height"`, 1), `,"`, ",\n\t \""),
	} {
		if got := hashOf(t, doc); got != want {
			t.Errorf("%s: hash %s, want %s", name, got, want)
		}
	}
	// NFC: "é" written as e + combining accent hashes as the composed one.
	if hashOf(t, strings.Replace(full, "Hello", "Caf\u00e9", 1)) != hashOf(t, strings.Replace(full, "Hello", "Cafe\u0301", 1)) {
		t.Error("text is not normalised to NFC")
	}
}

func TestCanonicalDifferentDesigns(t *testing.T) {
	t.Parallel()
	base := hashOf(t, full)
	seen := map[string]string{base: "base"}
	for name, doc := range map[string]string{
		"text":        strings.Replace(full, "Hello", "Hallo", 1),
		"size":        strings.Replace(full, `"size_pt":24`, `"size_pt":24.5`, 1),
		"position":    strings.Replace(full, `"x_mm":50`, `"x_mm":50.001`, 1),
		"colour zone": strings.Replace(full, "#aa0000", "#aa0001", 1),
		"layer order": `{"v":1,"product_id":"p1","zones":[{"zone_id":"a","layers":[
			{"type":"image","asset":"` + assetA + `","x_mm":10,"y_mm":10,"width_mm":40,"height_mm":30},
			{"type":"text","text":"Hello\nWorld","font":"Noto Sans","size_pt":24,"color":"#112233","align":"center","x_mm":50,"y_mm":30}]},
			{"zone_id":"b","colour":"#aa0000"}]}`,
		"variant":  strings.Replace(full, `"product_id":"p1"`, `"product_id":"p1","variant_id":"v1"`, 1),
		"opacity":  strings.Replace(full, `"opacity":1`, `"opacity":0.5`, 1),
		"crop":     strings.Replace(full, `"crop":{"x":0,"y":0,"width":1`, `"crop":{"x":0,"y":0,"width":0.5`, 1),
		"rotation": strings.Replace(full, `"width_mm":40,"height_mm":30,"rotation":0`, `"width_mm":40,"height_mm":30,"rotation":-90`, 1),
		"no zone b": strings.Replace(full, `,
 {"zone_id":"b","colour":"#aa0000"}`, ``, 1),
	} {
		h := hashOf(t, doc)
		if prev, dup := seen[h]; dup {
			t.Errorf("%s hashes like %s", name, prev)
		}
		seen[h] = name
	}
}

func TestCanonicalForm(t *testing.T) {
	t.Parallel()
	d, err := Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Canonical(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"v":1,"product_id":"p1","zones":[{"zone_id":"a","layers":[{"type":"text","text":"Hello\nWorld","font":"Noto Sans",` +
		`"size_pt":24,"color":"#112233","align":"center","x_mm":50,"y_mm":30,"rotation":0,"line_height":1.2,"letter_spacing_mm":0,` +
		`"arc_deg":0,"stroke":"#000000","stroke_mm":0},{"type":"image","asset":"` + assetA + `","x_mm":10,"y_mm":10,"width_mm":40,` +
		`"height_mm":30,"rotation":0,"opacity":1,"crop":{"x":0,"y":0,"width":1,"height":1}}]},{"zone_id":"b","colour":"#aa0000"}]}`
	if string(c) != want {
		t.Errorf("canonical form\n got %s\nwant %s", c, want)
	}
	// Reading the canonical bytes back gives the same canonical bytes.
	again, err := Parse(c)
	if err != nil {
		t.Fatal(err)
	}
	if c2, _ := Canonical(again); !bytes.Equal(c, c2) {
		t.Errorf("not a fixed point:\n%s\n%s", c, c2)
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ doc, field string }{
		"unknown top field":   {`{"product_id":"p","zones":[],"extra":1}`, `unknown field "extra"`},
		"unknown layer field": {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"x","font":"f","size_pt":9,"asset":"x"}]}]}`, "zones[0].layers[0]"},
		"unknown type":        {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"video"}]}]}`, "zones[0].layers[0]"},
		"string size":         {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"x","font":"f","size_pt":"9"}]}]}`, "size_pt"},
		"zero size":           {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"x","font":"f","size_pt":0}]}]}`, "zones[0].layers[0].size_pt"},
		"empty text":          {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":" ","font":"f","size_pt":9}]}]}`, "zones[0].layers[0].text"},
		"control character":   {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"a\u0007","font":"f","size_pt":9}]}]}`, "zones[0].layers[0].text"},
		"bad colour":          {`{"product_id":"p","zones":[{"zone_id":"a","colour":"red"}]}`, "zones[0].colour"},
		"bad asset":           {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"image","asset":"x","width_mm":1,"height_mm":1}]}]}`, "zones[0].layers[0].asset"},
		"crop outside":        {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"image","asset":"` + assetA + `","width_mm":1,"height_mm":1,"crop":{"x":0.5,"y":0,"width":0.6,"height":1}}]}]}`, "zones[0].layers[0].crop"},
		"opacity":             {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"image","asset":"` + assetA + `","width_mm":1,"height_mm":1,"opacity":2}]}]}`, "opacity"},
		"repeated zone":       {`{"product_id":"p","zones":[{"zone_id":"a"},{"zone_id":"a"}]}`, "zones[1].zone_id"},
		"no product":          {`{"zones":[]}`, "product_id"},
		"version 2":           {`{"v":2,"product_id":"p","zones":[]}`, "v "},
		"trailing data":       {`{"product_id":"p","zones":[]} {}`, "after"},
		"align":               {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"x","font":"f","size_pt":9,"align":"justify"}]}]}`, "align"},
		"huge position":       {`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"x","font":"f","size_pt":9,"x_mm":1e300}]}]}`, "x_mm"},
		"not an object":       {`[]`, "document"},
	} {
		_, err := Parse([]byte(c.doc))
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: %v, want invalid naming %q", name, err, c.field)
		}
	}
	if _, err := Parse(bytes.Repeat([]byte(" "), MaxDocumentBytes+1)); apperr.CodeOf(err) != apperr.TooLarge {
		t.Errorf("oversized document: %v", err)
	}
}

// FuzzParse: Parse never panics, and what it accepts has a canonical form
// that parses back to itself.
func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte(`{"product_id":"p","zones":[{"zone_id":"a","layers":[{"type":"text","text":"x","font":"f","size_pt":9,"rotation":-725.5}]}]}`))
	f.Add([]byte(`{"product_id":"p","zones":[{"zone_id":"b","colour":"#abc"},{"zone_id":"a"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		c, err := Canonical(d)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Parse(c)
		if err != nil {
			t.Fatalf("canonical form %s does not parse: %v", c, err)
		}
		if c2, _ := Canonical(d2); !bytes.Equal(c, c2) {
			t.Fatalf("canonical form is not a fixed point:\n%s\n%s", c, c2)
		}
	})
}

func hashOf(t *testing.T, doc string) string {
	t.Helper()
	d, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("parse %s: %v", doc, err)
	}
	_, sum, err := Hash(d)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}
