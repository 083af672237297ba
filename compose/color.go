package compose

import (
	"fmt"
	"image/color"
	"strconv"
)

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
