package design

import (
	"reflect"
	"testing"

	"github.com/luneo/luneo/internal/catalog"
)

func TestUsage(t *testing.T) {
	front := catalog.Zone{ID: "z1"}
	front.Name = "Front"
	body := catalog.Zone{ID: "z2"}
	body.Name = "Body"
	unused := catalog.Zone{ID: "z3"}
	unused.Name = "Back"
	doc := Document{Zones: []Zone{
		// The document's order is not the product's: the product's wins.
		{ZoneID: "z2", Colour: "#ff0000"},
		{ZoneID: "z1", Layers: []Layer{{Type: LayerText}, {Type: LayerImage}, {Type: LayerText}}},
		{ZoneID: "gone", Layers: []Layer{{Type: LayerText}}}, // not a zone of the product
	}}
	got := usage([]catalog.Zone{front, body, unused}, doc)
	want := []catalog.ZoneUsage{
		{ZoneID: "z1", ZoneName: "Front", Layers: map[string]int{LayerText: 2, LayerImage: 1}},
		{ZoneID: "z2", ZoneName: "Body", Layers: map[string]int{LayerColour: 1}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("usage = %+v, want %+v", got, want)
	}
}
