package compose

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Scene is a pixel-space composition: a canvas of Width×Height pixels
// printed at DPI, drawn bottom layer first. SCENE.md documents every field.
type Scene struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	DPI    float64 `json:"dpi,omitempty"`
	// Background is "#RRGGBB[AA]" or empty for transparent.
	Background string `json:"background,omitempty"`
	// Clip, when set, keeps only this rectangle of the result.
	Clip *Rect `json:"clip,omitempty"`
	// Mask is the src of an image stretched over the whole scene whose
	// alpha (or luminance, for an opaque image) clips everything.
	Mask   string  `json:"mask,omitempty"`
	Layers []Layer `json:"layers"`
}

// Rect is a rectangle in pixels (scene pixels, or source pixels for a crop).
type Rect struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Layer is one drawing step. Type selects which fields apply: "image",
// "text" or "fill". Fields of other types must be left unset.
type Layer struct {
	Type string `json:"type"`
	// X, Y: image and fill: top-left corner of the box; text: baseline
	// origin (the alignment point).
	X float64 `json:"x,omitempty"`
	Y float64 `json:"y,omitempty"`
	// Width, Height: image: target box (0 = natural size, or keep the
	// aspect ratio when only one is given); fill: rectangle (0 = scene).
	Width  float64 `json:"width,omitempty"`
	Height float64 `json:"height,omitempty"`
	// Rotation in degrees, clockwise, about the box centre (image, fill)
	// or the origin (text).
	Rotation float64 `json:"rotation,omitempty"`
	// Opacity 0..1; nil means 1.
	Opacity *float64 `json:"opacity,omitempty"`
	// Clip restricts the layer to a rectangle of the scene.
	Clip *Rect `json:"clip,omitempty"`

	// Image layer.
	Src  string `json:"src,omitempty"`
	Crop *Rect  `json:"crop,omitempty"`
	// Mask: src of an image stretched over the layer's box (rotating with
	// it) whose alpha, or luminance for an opaque image, clips the layer.
	Mask string `json:"mask,omitempty"`
	// Fit: "fill" (stretch, default), "contain" or "cover" the box.
	Fit string `json:"fit,omitempty"`

	// Text layer.
	Text          string  `json:"text,omitempty"`
	Font          string  `json:"font,omitempty"`
	Bold          bool    `json:"bold,omitempty"`
	Size          float64 `json:"size,omitempty"`
	Color         string  `json:"color,omitempty"`
	Stroke        string  `json:"stroke,omitempty"`
	StrokeWidth   float64 `json:"stroke_width,omitempty"`
	Align         string  `json:"align,omitempty"`
	LineHeight    float64 `json:"line_height,omitempty"`
	LetterSpacing float64 `json:"letter_spacing,omitempty"`
	Arc           float64 `json:"arc,omitempty"`
}

// Limits of a scene, checked by Validate before anything is drawn.
const (
	MaxSide       = 16384 // pixels per side of a scene
	MaxLayers     = 256
	MaxTextRunes  = 2000
	MaxFontSize   = 2000.0 // pixels per em
	MaxDPI        = 2400.0
	DefaultDPI    = 72.0
	maxSceneBytes = 4 << 20
)

// ParseScene reads a scene's JSON strictly: unknown fields, trailing data
// and bad values are errors naming the layer index and field.
func ParseScene(r io.Reader) (*Scene, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSceneBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read scene: %w", err)
	}
	if len(data) > maxSceneBytes {
		return nil, fmt.Errorf("scene: larger than %d bytes", maxSceneBytes)
	}
	// The layers are decoded one by one so an error can name its index.
	var top struct {
		Width      int               `json:"width"`
		Height     int               `json:"height"`
		DPI        float64           `json:"dpi"`
		Background string            `json:"background"`
		Clip       *Rect             `json:"clip"`
		Mask       string            `json:"mask"`
		Layers     []json.RawMessage `json:"layers"`
	}
	if err := strictDecode(data, &top); err != nil {
		return nil, fmt.Errorf("scene: %w", err)
	}
	if len(top.Layers) > MaxLayers {
		return nil, fmt.Errorf("scene: layers: %d layers, at most %d", len(top.Layers), MaxLayers)
	}
	s := &Scene{Width: top.Width, Height: top.Height, DPI: top.DPI, Background: top.Background,
		Clip: top.Clip, Mask: top.Mask, Layers: make([]Layer, len(top.Layers))}
	for i, raw := range top.Layers {
		if err := strictDecode(raw, &s.Layers[i]); err != nil {
			return nil, fmt.Errorf("scene: layer %d: %w", i, err)
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// strictDecode decodes one JSON value, refusing unknown fields and
// anything after the value.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// dpi is the scene's DPI with the default applied.
func (s *Scene) dpi() float64 {
	if s.DPI == 0 {
		return DefaultDPI
	}
	return s.DPI
}
