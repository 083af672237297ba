package catalog

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestQuote(t *testing.T) {
	t.Parallel()
	rules := []PriceRule{
		{LayerType: "text", Amount: 300},
		{ZoneID: "back", LayerType: "text", Amount: 500},
		{LayerType: "image", Amount: 800},
		{ZoneID: "front", Amount: 200},
		{ZoneID: "body", LayerType: "colour", Amount: 0},
		{LayerType: "colour", Amount: 150},
	}
	usage := []ZoneUsage{
		{ZoneID: "front", ZoneName: "Front", Layers: map[string]int{"text": 2, "image": 1}},
		{ZoneID: "back", ZoneName: "Back", Layers: map[string]int{"text": 1}},
		{ZoneID: "sleeve", ZoneName: "Sleeve", Layers: map[string]int{}},
		{ZoneID: "body", ZoneName: "Body", Layers: map[string]int{"colour": 1}},
		{ZoneID: "lid", ZoneName: "Lid", Layers: map[string]int{"colour": 1}},
	}
	got := Quote(1990, "EUR", rules, usage)
	want := PriceQuote{Amount: 1990 + 200 + 600 + 800 + 500 + 150, Currency: "EUR", Base: 1990, Lines: []PriceLine{
		{"Front", 200}, {"Front: 2 × text", 600}, {"Front: image", 800}, {"Back: text", 500}, {"Lid: colour", 150},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("quote\n got %+v\nwant %+v", got, want)
	}
	if q := Quote(500, "JPY", nil, usage); q.Amount != 500 || len(q.Lines) != 0 {
		t.Errorf("no rules: %+v", q)
	}
}

func TestPriceRules(t *testing.T) {
	t.Parallel()
	truck := filepath.Join(corpus, "models", "CesiumMilkTruck.glb")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Truck", "")
		if _, err := f.upload(t, p.ID, truck); err != nil {
			t.Fatal(err)
		}
		side, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, printZone("Side", "truck"))
		if err != nil {
			t.Fatal(err)
		}
		paint := ZoneSpec{Name: "Paint", Type: ColourZone, Material: "truck", ColourOptions: []ColourOption{{Name: "Red", Hex: "#ff0000"}}}
		body, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, paint)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.PriceRules(f.ctx, f.viewer, p.ID); err != nil || len(got) != 0 {
			t.Fatalf("empty table: %v %v", got, err)
		}
		rules := []PriceRule{{LayerType: "text", Amount: 300}, {ZoneID: side.ID, LayerType: "image", Amount: 900},
			{ZoneID: body.ID, LayerType: "colour", Amount: 100}}
		got, err := f.svc.SetPriceRules(f.ctx, f.owner, p.ID, rules)
		if err != nil || !reflect.DeepEqual(got, rules) {
			t.Fatalf("set: %+v %v", got, err)
		}
		if got, err := f.svc.PriceRulesOf(f.ctx, f.brandID, p.ID); err != nil || !reflect.DeepEqual(got, rules) {
			t.Fatalf("read back: %+v %v", got, err)
		}

		for name, c := range map[string]struct {
			rules []PriceRule
			field string
		}{
			"unknown zone":   {[]PriceRule{{ZoneID: "nope", LayerType: "text", Amount: 1}}, "rules[0].zone_id"},
			"unknown type":   {[]PriceRule{{LayerType: "video", Amount: 1}}, "rules[0].layer_type"},
			"negative":       {[]PriceRule{{LayerType: "text", Amount: -1}}, "rules[0].amount"},
			"huge":           {[]PriceRule{{LayerType: "text", Amount: maxPrice + 1}}, "rules[0].amount"},
			"duplicate":      {[]PriceRule{{LayerType: "text", Amount: 1}, {LayerType: "text", Amount: 2}}, "rules[1].layer_type"},
			"text on colour": {[]PriceRule{{ZoneID: body.ID, LayerType: "text", Amount: 1}}, "rules[0].layer_type"},
			"too many":       {make([]PriceRule, maxPriceRules+1), "at most"},
		} {
			_, err := f.svc.SetPriceRules(f.ctx, f.owner, p.ID, c.rules)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("%s: got %v, want invalid", name, err)
				continue
			}
			wantCode(t, err, apperr.Invalid, c.field)
		}
		// A refused table changed nothing.
		if got, _ := f.svc.PriceRulesOf(f.ctx, f.brandID, p.ID); !reflect.DeepEqual(got, rules) {
			t.Errorf("a refused table changed the rules: %+v", got)
		}

		// Permissions and brands.
		wantCode(t, second(f.svc.SetPriceRules(f.ctx, f.viewer, p.ID, nil)), apperr.Forbidden)
		wantCode(t, second(f.svc.PriceRules(f.ctx, f.other, p.ID)), apperr.NotFound)
		wantCode(t, second(f.svc.SetPriceRules(f.ctx, f.other, p.ID, nil)), apperr.NotFound)
		wantCode(t, second(f.svc.PriceRulesOf(f.ctx, "brand-x", p.ID)), apperr.NotFound)

		// Deleting a zone deletes its rules; the others stay.
		if err := f.svc.DeleteZone(f.ctx, f.owner, p.ID, side.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.PriceRulesOf(f.ctx, f.brandID, p.ID); len(got) != 2 || got[1].ZoneID != body.ID {
			t.Errorf("after deleting the zone: %+v", got)
		}
		// Clearing the table.
		if got, err := f.svc.SetPriceRules(f.ctx, f.owner, p.ID, nil); err != nil || len(got) != 0 {
			t.Errorf("clear: %+v %v", got, err)
		}
	})
}

func TestPriceOf(t *testing.T) {
	p := Product{ProductSpec: ProductSpec{Price: 1000, Variants: []Variant{{ID: "big", PriceDelta: 250}, {ID: "small", PriceDelta: -100}}}}
	for variant, want := range map[string]int64{"": 1000, "big": 1250, "small": 900, "unknown": 1000} {
		if got := p.PriceOf(variant); got != want {
			t.Errorf("PriceOf(%q) = %d, want %d", variant, got, want)
		}
	}
}
