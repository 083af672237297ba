package design

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestValidation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		small := "b" + strings.Repeat("0", 63) // 200×100 px: 50 DPI at 100 mm wide
		mid := "c" + strings.Repeat("0", 63)   // 473×237 px: 120 DPI at 100×50 mm
		big := "d" + strings.Repeat("0", 63)   // 2000×1000 px
		f.asset(t, f.brandA, small, 200, 100)
		f.asset(t, f.brandA, mid, 473, 237)
		f.asset(t, f.brandA, big, 2000, 1000)
		f.asset(t, f.brandB, "e"+strings.Repeat("0", 63), 2000, 1000)
		strict := f.zone(t, f.brandA, f.product.ID, "Strict", "print",
			`{"layer_types":"[\"text\"]","max_layers":1,"max_chars":5,"fonts":"[\"Noto Serif\"]","colours":"[\"#112233\"]","min_text_pt":8}`)
		image := func(sha, extra string) string {
			return `{"zone_id":"` + f.front + `","layers":[{"type":"image","asset":"` + sha + `","x_mm":0,"y_mm":0,"width_mm":100,"height_mm":50` + extra + `}]}`
		}
		inStrict := func(layers string) string { return `{"zone_id":"` + strict + `","layers":[` + layers + `]}` }
		textIn := func(extra string) string {
			return `{"type":"text","text":"Hi","font":"Noto Serif","size_pt":10,"color":"#112233","x_mm":5,"y_mm":20` + extra + `}`
		}

		for name, c := range map[string]struct {
			zones  []string
			field  string
			reason string
		}{
			"unknown zone":         {[]string{`{"zone_id":"nope","layers":[]}`}, "zones[0].zone_id", "not a zone"},
			"other brand's zone":   {[]string{`{"zone_id":"` + f.zone(t, f.brandB, f.product.ID, "B", "print", `{}`) + `"}`}, "zones[0].zone_id", "not a zone"},
			"layer type":           {[]string{inStrict(`{"type":"colour","color":"#112233"}`)}, "zones[0].layers[0].type", `zone "Strict" does not allow colour`},
			"too many layers":      {[]string{inStrict(textIn("") + "," + textIn(""))}, "zones[0].layers", "at most 1 layers"},
			"too many characters":  {[]string{inStrict(textIn(`,"text":"Hello!"`))}, "zones[0].layers[0].text", "at most 5 characters"},
			"font not in zone":     {[]string{inStrict(textIn(`,"font":"Noto Sans"`))}, "zones[0].layers[0].font", `zone "Strict" allows only the fonts`},
			"unknown font":         {[]string{f.text(`"font":"Comic Sans"`)}, "zones[0].layers[0].font", `"Comic Sans" is neither`},
			"colour not in zone":   {[]string{inStrict(textIn(`,"color":"#ff0000"`))}, "zones[0].layers[0].color", "allows only the colours"},
			"stroke not in zone":   {[]string{inStrict(textIn(`,"stroke":"#ff0000","stroke_mm":0.5`))}, "zones[0].layers[0].stroke", "allows only"},
			"text too small":       {[]string{inStrict(textIn(`,"size_pt":7.5`))}, "zones[0].layers[0].size_pt", `zone "Strict" prints text of at least 8 pt, not 7.5 pt`},
			"text outside":         {[]string{f.text(`"x_mm":101`)}, "zones[0].layers[0]", "entirely outside"},
			"text above":           {[]string{f.text(`"y_mm":-9`)}, "zones[0].layers[0]", "entirely outside"},
			"image outside":        {[]string{image(big, `,"x_mm":-100`)}, "zones[0].layers[0]", "entirely outside"},
			"image rotated out":    {[]string{image(big, `,"x_mm":-30,"y_mm":-30,"width_mm":20,"height_mm":20,"rotation":45`)}, "zones[0].layers[0]", "entirely outside"},
			"image below floor":    {[]string{image(small, "")}, "zones[0].layers[0].width_mm", "50 DPI, below the zone's minimum of 100"},
			"cropped below floor":  {[]string{image(big, `,"crop":{"x":0,"y":0,"width":0.1,"height":1}`)}, "zones[0].layers[0].width_mm", "50 DPI"},
			"unknown asset":        {[]string{image("f"+strings.Repeat("0", 63), "")}, "zones[0].layers[0].asset", "no image"},
			"other brand's asset":  {[]string{image("e"+strings.Repeat("0", 63), "")}, "zones[0].layers[0].asset", "no image"},
			"colour not offered":   {[]string{`{"zone_id":"` + f.body + `","colour":"#00ff00"}`}, "zones[0].colour", `zone "Body" offers Red #ff0000, Black #000000`},
			"layers in colour":     {[]string{`{"zone_id":"` + f.body + `","colour":"#ff0000","layers":[{"type":"colour","color":"#ff0000"}]}`}, "zones[0].layers", "colour zone"},
			"colour in print zone": {[]string{`{"zone_id":"` + f.front + `","colour":"#ff0000"}`}, "zones[0].colour", "print zone"},
			"second zone named":    {[]string{f.text(""), inStrict(textIn(`,"size_pt":7`))}, "zones[1].layers[0].size_pt", "Strict"},
		} {
			before := f.count(t, "design_versions")
			_, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(c.zones...)})
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Unprocessable || e.Fields[c.field] == "" || !strings.Contains(e.Message, c.reason) {
				t.Errorf("%s: %v (fields %v), want 422 on %s saying %q", name, err, fieldsOf(err), c.field, c.reason)
			}
			if f.count(t, "design_versions") != before {
				t.Errorf("%s: a refused design was stored", name)
			}
		}
		wantCode(t, second(f.svc.Create(f.ctx, f.owner, Draft{VariantID: "nope", Document: f.doc(f.text(""))})), apperr.Unprocessable, "variant_id")

		// Accepted: partly outside (clipped), a warning below 150 DPI, fonts
		// matched whatever their case, every layer type.
		s, err := f.svc.Create(f.ctx, f.owner, Draft{VariantID: f.product.Variants[0].ID, Document: f.doc(
			`{"zone_id":"`+f.front+`","layers":[{"type":"colour","color":"#ffffff"},
			{"type":"image","asset":"`+mid+`","x_mm":0,"y_mm":0,"width_mm":100,"height_mm":50},
			{"type":"image","asset":"`+big+`","x_mm":90,"y_mm":40,"width_mm":20,"height_mm":20,"rotation":30},
			{"type":"text","text":"Partly out","font":"noto SANS","size_pt":12,"x_mm":95,"y_mm":10}]}`,
			`{"zone_id":"`+f.body+`","colour":"#FF0000"}`)})
		if err != nil {
			t.Fatal(err)
		}
		w := s.Version.Warnings
		if len(w) != 1 || w[0].ZoneID != f.front || w[0].Layer != 1 || !strings.Contains(w[0].Message, "120 DPI") {
			t.Errorf("warnings %+v", w)
		}
		var font string
		for _, z := range s.Version.Document.Zones {
			for _, l := range z.Layers {
				if l.Text != nil {
					font = l.Text.Font
				}
			}
		}
		if font != "Noto Sans" {
			t.Errorf("font stored as %q, want the known spelling", font)
		}
		got, err := f.svc.Get(f.ctx, f.owner, s.Design.ID, 0)
		if err != nil || len(got.Version.Warnings) != 1 || got.Design.VariantID != f.product.Variants[0].ID {
			t.Errorf("stored warnings %+v %v", got, err)
		}
	})
}

func fieldsOf(err error) map[string]string {
	if e, ok := apperr.As(err); ok {
		return e.Fields
	}
	return nil
}
