package usdz

import (
	"math"
	"strconv"
	"strings"
)

// usda accumulates the text of a .usda layer. It appends to one byte slice
// with strconv instead of fmt: a million-triangle mesh is tens of megabytes
// of numbers, and formatting dominates the conversion time.
type usda struct {
	b      []byte
	indent int
	// nonFinite counts NaN and infinite values replaced by 0: USD text can
	// spell them, but AR Quick Look refuses such meshes.
	nonFinite int
}

// maxIndent caps the indentation: USD text does not need it, and a glTF
// node chain thousands deep would otherwise make the layer quadratic.
const maxIndent = 16

// line starts a new line at the current indentation.
func (u *usda) line() {
	u.b = append(u.b, '\n')
	for i := 0; i < min(u.indent, maxIndent); i++ {
		u.b = append(u.b, "    "...)
	}
}

// linef writes s on a new line.
func (u *usda) linef(s ...string) {
	u.line()
	for _, p := range s {
		u.b = append(u.b, p...)
	}
}

// open writes `header` then `{` on the next line and indents.
func (u *usda) open(header ...string) {
	u.linef(header...)
	u.linef("{")
	u.indent++
}

// close ends the block opened last.
func (u *usda) close() {
	u.indent--
	u.linef("}")
}

// f32 appends a float32 in its shortest exact form.
func (u *usda) f32(v float32) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		u.nonFinite++
		v = 0
	}
	if v == 0 {
		v = 0 // -0 prints as "-0"
	}
	u.b = strconv.AppendFloat(u.b, float64(v), 'g', -1, 32)
}

// f64 appends a float64 in its shortest exact form.
func (u *usda) f64(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		u.nonFinite++
		v = 0
	}
	if v == 0 {
		v = 0 // -0 prints as "-0"
	}
	u.b = strconv.AppendFloat(u.b, v, 'g', -1, 64)
}

// tuple appends (a, b, …) of float64s.
func (u *usda) tuple(v ...float64) {
	u.b = append(u.b, '(')
	for i, x := range v {
		if i > 0 {
			u.b = append(u.b, ", "...)
		}
		u.f64(x)
	}
	u.b = append(u.b, ')')
}

// vecs appends [(x, y, z), …] for a flat slice of n-component vectors.
func (u *usda) vecs(v []float32, n int) {
	u.b = append(u.b, '[')
	if n <= 0 {
		u.b = append(u.b, ']')
		return
	}
	for i := 0; i+n <= len(v); i += n {
		if i > 0 {
			u.b = append(u.b, ", "...)
		}
		u.b = append(u.b, '(')
		for k := 0; k < n; k++ {
			if k > 0 {
				u.b = append(u.b, ", "...)
			}
			u.f32(v[i+k])
		}
		u.b = append(u.b, ')')
	}
	u.b = append(u.b, ']')
}

// ints appends [a, b, …].
func (u *usda) ints(v []int32) {
	u.b = append(u.b, '[')
	for i, x := range v {
		if i > 0 {
			u.b = append(u.b, ", "...)
		}
		u.b = strconv.AppendInt(u.b, int64(x), 10)
	}
	u.b = append(u.b, ']')
}

// repeat3 appends [3, 3, …] with n elements: every face is a triangle.
func (u *usda) repeat3(n int) {
	u.b = append(u.b, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			u.b = append(u.b, ", 3"...)
		} else {
			u.b = append(u.b, '3')
		}
	}
	u.b = append(u.b, ']')
}

// primName turns a glTF name into a USD prim name: ASCII letters, digits
// and underscores, not starting with a digit (older USD readers, AR Quick
// Look's among them, accept nothing else). fallback is used when nothing
// of the name survives.
func primName(name, fallback string) string {
	var sb strings.Builder
	for i := 0; i < len(name) && sb.Len() < 64; i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			sb.WriteByte(c)
		case c >= '0' && c <= '9':
			if sb.Len() == 0 {
				sb.WriteByte('_')
			}
			sb.WriteByte(c)
		default:
			if sb.Len() > 0 && !strings.HasSuffix(sb.String(), "_") {
				sb.WriteByte('_')
			}
		}
	}
	s := strings.TrimRight(sb.String(), "_")
	if strings.Trim(s, "_") == "" {
		return fallback
	}
	return s
}

// names hands out prim names that are unique among siblings.
type names map[string]bool

// unique returns name, or name_2, name_3… when it is taken.
func (n names) unique(name string) string {
	if !n[name] {
		n[name] = true
		return name
	}
	for i := 2; ; i++ {
		c := name + "_" + strconv.Itoa(i)
		if !n[c] {
			n[c] = true
			return c
		}
	}
}
