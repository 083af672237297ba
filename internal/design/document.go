package design

import (
	"encoding/json"
	"fmt"
)

// SchemaVersion is the document schema version ("v") this code writes and reads.
const SchemaVersion = 1

// Layer types. LayerColour is a fill of the whole print zone (an addition
// to the text and image layers: catalog zones list "colour" among the layer
// types they allow).
const (
	LayerText   = "text"
	LayerImage  = "image"
	LayerColour = "colour"
)

// Text alignments: the anchor (x_mm, y_mm) is where the first line starts,
// its centre, or where it ends.
const (
	AlignLeft   = "left"
	AlignCenter = "center"
	AlignRight  = "right"
)

// Document is a design: layers per print zone and colour choices of colour
// zones. Positions are millimetres from the zone's top-left corner, so the
// same document prints at any DPI. Its canonical form (Canonical) fixes key
// order, sorts zones by ID and spells out every default, so equal designs
// hash the same.
type Document struct {
	V         int    `json:"v"`
	ProductID string `json:"product_id"`
	VariantID string `json:"variant_id,omitempty"`
	Zones     []Zone `json:"zones"`
}

// Zone is what a design puts in one zone of the product: layers (a print
// zone, bottom first) or a colour (a colour zone, lowercase #rrggbb).
type Zone struct {
	ZoneID string  `json:"zone_id"`
	Layers []Layer `json:"layers,omitempty"`
	Colour string  `json:"colour,omitempty"`
	// index is the zone's position in the document as sent, so problems
	// name the entry the client wrote even though zones are then sorted.
	index int
}

// Layer is one layer of a print zone: exactly one of Text, Image and Fill
// is set, by Type. It reads and writes the flat JSON object of its type
// (unknown fields, or another type's fields, are refused).
type Layer struct {
	Type  string
	Text  *TextLayer
	Image *ImageLayer
	Fill  *FillLayer
}

// TextLayer is text in a zone. (XMM, YMM) is the baseline origin of the
// first line at the anchor Align gives; Rotation (degrees, clockwise)
// turns the text about that anchor; ArcDeg bends the baseline into an arc
// of that many degrees (positive: curving up, like a smile's top).
type TextLayer struct {
	Text            string  `json:"text"`
	Font            string  `json:"font"`
	SizePt          float64 `json:"size_pt"`
	Color           string  `json:"color"`
	Align           string  `json:"align"`
	XMM             float64 `json:"x_mm"`
	YMM             float64 `json:"y_mm"`
	Rotation        float64 `json:"rotation"`
	LineHeight      float64 `json:"line_height"`
	LetterSpacingMM float64 `json:"letter_spacing_mm"`
	ArcDeg          float64 `json:"arc_deg"`
	Stroke          string  `json:"stroke"`
	StrokeMM        float64 `json:"stroke_mm"`
}

// ImageLayer is an uploaded image (Asset: its SHA-256) drawn into the box
// (XMM, YMM, WidthMM, HeightMM), rotated (degrees, clockwise) about the
// box's centre. Crop selects the part of the source image, in fractions of
// its width and height.
type ImageLayer struct {
	Asset    string  `json:"asset"`
	XMM      float64 `json:"x_mm"`
	YMM      float64 `json:"y_mm"`
	WidthMM  float64 `json:"width_mm"`
	HeightMM float64 `json:"height_mm"`
	Rotation float64 `json:"rotation"`
	Opacity  float64 `json:"opacity"`
	Crop     Crop    `json:"crop"`
}

// Crop is a rectangle of a source image in fractions (0..1) of its size.
type Crop struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// FillLayer paints the whole print zone with one colour.
type FillLayer struct {
	Color string `json:"color"`
}

// MarshalJSON writes the layer as one flat object, "type" first.
func (l Layer) MarshalJSON() ([]byte, error) {
	var body any
	switch l.Type {
	case LayerText:
		body = struct {
			Type string `json:"type"`
			*TextLayer
		}{l.Type, l.Text}
	case LayerImage:
		body = struct {
			Type string `json:"type"`
			*ImageLayer
		}{l.Type, l.Image}
	case LayerColour:
		body = struct {
			Type string `json:"type"`
			*FillLayer
		}{l.Type, l.Fill}
	default:
		return nil, fmt.Errorf("layer of unknown type %q", l.Type)
	}
	return json.Marshal(body)
}

// layerType reads only the type of a layer object.
type layerType struct {
	Type string `json:"type"`
}

// decodeLayer reads one layer object strictly: its type first, then the
// fields of that type, refusing any other.
func decodeLayer(raw json.RawMessage) (Layer, error) {
	var t layerType
	if err := json.Unmarshal(raw, &t); err != nil {
		return Layer{}, err
	}
	l := Layer{Type: t.Type}
	var err error
	switch t.Type {
	case LayerText:
		in := struct {
			Type string `json:"type"`
			TextLayer
		}{}
		err = strict(raw, &in)
		l.Text = &in.TextLayer
	case LayerImage:
		in := struct {
			Type string `json:"type"`
			imageIn
		}{}
		err = strict(raw, &in)
		l.Image = in.imageIn.layer()
	case LayerColour:
		in := struct {
			Type string `json:"type"`
			FillLayer
		}{}
		err = strict(raw, &in)
		l.Fill = &in.FillLayer
	default:
		return Layer{}, fmt.Errorf("type must be text, image or colour, not %q", t.Type)
	}
	return l, err
}

// imageIn is an image layer as sent: fields a client may leave out are
// pointers, so a missing opacity or crop takes its default rather than 0.
type imageIn struct {
	Asset    string   `json:"asset"`
	XMM      float64  `json:"x_mm"`
	YMM      float64  `json:"y_mm"`
	WidthMM  float64  `json:"width_mm"`
	HeightMM float64  `json:"height_mm"`
	Rotation float64  `json:"rotation"`
	Opacity  *float64 `json:"opacity"`
	Crop     *Crop    `json:"crop"`
}

func (in imageIn) layer() *ImageLayer {
	l := &ImageLayer{Asset: in.Asset, XMM: in.XMM, YMM: in.YMM, WidthMM: in.WidthMM, HeightMM: in.HeightMM,
		Rotation: in.Rotation, Opacity: 1, Crop: Crop{Width: 1, Height: 1}}
	if in.Opacity != nil {
		l.Opacity = *in.Opacity
	}
	if in.Crop != nil {
		l.Crop = *in.Crop
	}
	return l
}
