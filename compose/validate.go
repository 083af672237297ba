package compose

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"unicode/utf8"
)

// FieldError is a bad value in a scene: Layer is the layer index, or -1
// for a scene-level field.
type FieldError struct {
	Layer int
	Field string
	Msg   string
}

// Error names the layer (when there is one), the field and the problem.
func (e *FieldError) Error() string {
	if e.Layer < 0 {
		return fmt.Sprintf("scene: %s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("scene: layer %d: %s: %s", e.Layer, e.Field, e.Msg)
}

// Validate checks every field against its range. ParseScene calls it; a
// caller building a Scene in Go calls it too (Render does).
func (s *Scene) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &FieldError{Layer: -1, Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	if s.Width <= 0 || s.Width > MaxSide {
		return bad("width", "%d is outside 1..%d", s.Width, MaxSide)
	}
	if s.Height <= 0 || s.Height > MaxSide {
		return bad("height", "%d is outside 1..%d", s.Height, MaxSide)
	}
	if !finite(s.DPI) || s.DPI < 0 || s.DPI > MaxDPI {
		return bad("dpi", "%v is outside 1..%v (0 = %v)", s.DPI, MaxDPI, DefaultDPI)
	}
	if _, err := parseColor(s.Background, true); err != nil {
		return bad("background", "%v", err)
	}
	if err := checkRect(s.Clip); err != nil {
		return bad("clip", "%v", err)
	}
	if len(s.Layers) > MaxLayers {
		return bad("layers", "%d layers, at most %d", len(s.Layers), MaxLayers)
	}
	for i := range s.Layers {
		if err := s.Layers[i].validate(); err != nil {
			err.Layer = i
			return err
		}
	}
	return nil
}

// validate checks one layer; the caller sets the index.
func (l *Layer) validate() *FieldError {
	bad := func(field, format string, a ...any) *FieldError {
		return &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	for name, v := range map[string]float64{"x": l.X, "y": l.Y, "width": l.Width, "height": l.Height,
		"rotation": l.Rotation, "size": l.Size, "stroke_width": l.StrokeWidth, "line_height": l.LineHeight,
		"letter_spacing": l.LetterSpacing, "arc": l.Arc} {
		if !finite(v) {
			return bad(name, "not a finite number")
		}
		if math.Abs(v) > 4*MaxSide*MaxSide {
			return bad(name, "%v is out of range", v)
		}
	}
	if l.Opacity != nil && (!finite(*l.Opacity) || *l.Opacity < 0 || *l.Opacity > 1) {
		return bad("opacity", "%v is outside 0..1", *l.Opacity)
	}
	if err := checkRect(l.Clip); err != nil {
		return bad("clip", "%v", err)
	}
	if l.Width < 0 || l.Width > 4*MaxSide || l.Height < 0 || l.Height > 4*MaxSide {
		return bad("width/height", "%vx%v is outside 0..%d", l.Width, l.Height, 4*MaxSide)
	}
	text := l.Text != "" || l.Font != "" || l.Bold || l.Size != 0 || l.Stroke != "" || l.StrokeWidth != 0 ||
		l.Align != "" || l.LineHeight != 0 || l.LetterSpacing != 0 || l.Arc != 0
	image := l.Src != "" || l.Crop != nil || l.Mask != "" || l.Fit != ""
	switch l.Type {
	case "image":
		if text || l.Color != "" {
			return bad("type", "an image layer takes no text fields or color")
		}
		if l.Src == "" {
			return bad("src", "missing")
		}
		if err := checkRect(l.Crop); err != nil {
			return bad("crop", "%v", err)
		}
		switch l.Fit {
		case "", "fill", "contain", "cover":
		default:
			return bad("fit", "%q is not fill, contain or cover", l.Fit)
		}
	case "fill":
		if text || image {
			return bad("type", "a fill layer takes only color, x, y, width, height, rotation, opacity, clip")
		}
		if _, err := parseColor(l.Color, false); err != nil {
			return bad("color", "%v", err)
		}
	case "text":
		if image {
			return bad("type", "a text layer takes no image fields")
		}
		return l.validateText()
	case "":
		return bad("type", "missing (image, text or fill)")
	default:
		return bad("type", "unknown layer type %q (image, text or fill)", l.Type)
	}
	return nil
}

// validateText checks a text layer's fields.
func (l *Layer) validateText() *FieldError {
	bad := func(field, format string, a ...any) *FieldError {
		return &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	if !utf8.ValidString(l.Text) {
		return bad("text", "not valid UTF-8")
	}
	if n := utf8.RuneCountInString(l.Text); n > MaxTextRunes {
		return bad("text", "%d characters, at most %d", n, MaxTextRunes)
	}
	if l.Font == "" {
		return bad("font", "missing")
	}
	if l.Size <= 0 || l.Size > MaxFontSize {
		return bad("size", "%v is outside 0..%v px", l.Size, MaxFontSize)
	}
	if _, err := parseColor(l.Color, true); err != nil {
		return bad("color", "%v", err)
	}
	if _, err := parseColor(l.Stroke, true); err != nil {
		return bad("stroke", "%v", err)
	}
	if l.StrokeWidth < 0 || l.StrokeWidth > l.Size {
		return bad("stroke_width", "%v is outside 0..size (%v)", l.StrokeWidth, l.Size)
	}
	switch l.Align {
	case "", "left", "center", "right":
	default:
		return bad("align", "%q is not left, center or right", l.Align)
	}
	if l.LineHeight != 0 && (l.LineHeight < 0.5 || l.LineHeight > 5) {
		return bad("line_height", "%v is outside 0.5..5 (a multiple of size)", l.LineHeight)
	}
	if math.Abs(l.LetterSpacing) > l.Size {
		return bad("letter_spacing", "%v is outside -size..size", l.LetterSpacing)
	}
	if math.Abs(l.Arc) > 360 {
		return bad("arc", "%v is outside -360..360 degrees", l.Arc)
	}
	return nil
}

// checkRect refuses negative or non-finite rectangles.
func checkRect(r *Rect) error {
	if r == nil {
		return nil
	}
	for _, v := range []float64{r.X, r.Y, r.Width, r.Height} {
		if !finite(v) || math.Abs(v) > 4*MaxSide {
			return fmt.Errorf("%v is not a finite number within ±%d", v, 4*MaxSide)
		}
	}
	if r.Width <= 0 || r.Height <= 0 {
		return fmt.Errorf("%vx%v: width and height must be positive", r.Width, r.Height)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// parseColor reads "#RGB", "#RRGGBB" or "#RRGGBBAA" (sRGB, alpha not
// premultiplied). Empty is transparent when allowEmpty, an error otherwise.
func parseColor(s string, allowEmpty bool) (color.NRGBA, error) {
	if s == "" {
		if allowEmpty {
			return color.NRGBA{}, nil
		}
		return color.NRGBA{}, fmt.Errorf("missing (#RRGGBB or #RRGGBBAA)")
	}
	if s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("%q is not #RRGGBB or #RRGGBBAA", s)
	}
	h := s[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) == 6 {
		h += "ff"
	}
	if len(h) != 8 {
		return color.NRGBA{}, fmt.Errorf("%q is not #RRGGBB or #RRGGBBAA", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("%q is not #RRGGBB or #RRGGBBAA", s)
	}
	return color.NRGBA{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}, nil
}

// withOpacity scales a colour's alpha by op (0..1).
func withOpacity(c color.NRGBA, op float64) color.NRGBA {
	c.A = uint8(float64(c.A)*op + 0.5)
	return c
}
