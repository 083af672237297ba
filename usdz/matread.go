package usdz

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Reading back the Materials scope that writeMaterialScope wrote: Retexture
// turns it into surfaces again, changes one slot and writes the scope with
// the same code, so a retextured material is written exactly as Convert
// writes one. Only this package's own output is understood; anything else
// is an error, never a guess.

// prim is one prim of the scope: its metadata lines (between "(" and ")"),
// its attribute lines and its child prims, each line trimmed.
type prim struct {
	typ, name string
	meta      []string
	attrs     []string
	children  []*prim
}

// lineReader hands out the trimmed non-empty lines of a layer from pos,
// remembering where the last one ended.
type lineReader struct {
	b        []byte
	pos, end int
}

func (r *lineReader) next() (string, bool) {
	for r.pos < len(r.b) {
		start := r.pos
		nl := bytes.IndexByte(r.b[start:], '\n')
		if nl < 0 {
			nl = len(r.b) - start
			r.pos = len(r.b)
		} else {
			r.pos = start + nl + 1
		}
		r.end = start + nl
		if line := strings.TrimSpace(string(r.b[start : start+nl])); line != "" {
			return line, true
		}
	}
	return "", false
}

// readPrim reads the prim whose def line is header, up to its closing brace.
func readPrim(r *lineReader, header string) (*prim, error) {
	rest, ok := strings.CutPrefix(header, "def ")
	if !ok {
		return nil, fmt.Errorf("expected a prim, found %q", header)
	}
	typ, rest, _ := strings.Cut(rest, " ")
	hasMeta := strings.HasSuffix(rest, " (")
	name, err := strconv.Unquote(strings.TrimSuffix(rest, " ("))
	if err != nil {
		return nil, fmt.Errorf("prim name in %q: %w", header, err)
	}
	p := &prim{typ: typ, name: name}
	line, ok := r.next()
	if hasMeta {
		for ok && line != ")" {
			p.meta = append(p.meta, line)
			line, ok = r.next()
		}
		line, ok = r.next()
	}
	if !ok || line != "{" {
		return nil, fmt.Errorf("prim %s: expected {, found %q", name, line)
	}
	for {
		line, ok = r.next()
		switch {
		case !ok:
			return nil, fmt.Errorf("prim %s is not closed", name)
		case line == "}":
			return p, nil
		case strings.HasPrefix(line, "def "):
			ch, err := readPrim(r, line)
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, ch)
		default:
			p.attrs = append(p.attrs, line)
		}
	}
}

// findScope locates the Materials scope in a root layer: the offsets of
// the newline before its def line and just after its closing brace, and
// its indentation level. ok is false when the layer has no materials.
func findScope(layer []byte) (start, end, indent int, scope *prim, err error) {
	def := []byte(`def Scope "` + materialsName + `"`)
	at := bytes.LastIndex(layer, def)
	if at < 0 {
		return 0, 0, 0, nil, nil
	}
	start = bytes.LastIndexByte(layer[:at], '\n')
	if start < 0 || strings.Trim(string(layer[start+1:at]), " ") != "" {
		return 0, 0, 0, nil, fmt.Errorf("the Materials scope does not start a line")
	}
	indent = (at - start - 1) / 4
	r := &lineReader{b: layer, pos: start + 1}
	header, _ := r.next()
	if scope, err = readPrim(r, header); err != nil {
		return 0, 0, 0, nil, err
	}
	return start, r.end, indent, scope, nil
}

// readSurface turns a Material prim back into the surface that wrote it.
func readSurface(m *prim) (*surface, error) {
	if m.typ != "Material" {
		return nil, fmt.Errorf("%s is a %s, not a Material", m.name, m.typ)
	}
	s := &surface{index: -2}
	base := ""
	for _, l := range m.meta {
		decl, val, ok := strings.Cut(l, " = ")
		if !ok {
			continue
		}
		var err error
		switch decl {
		case "int " + metaMaterial:
			s.index, err = strconv.Atoi(val)
		case "int[] " + metaUVSets:
			var sets []float64
			if sets, err = floats(val, '[', ']'); err == nil {
				for _, v := range sets {
					if v < 0 || v >= maxUVSets || v != float64(int(v)) {
						return nil, fmt.Errorf("material %s: bad UV set %v", m.name, v)
					}
					s.uvSets |= 1 << int(v)
				}
			}
		case "string " + metaBaseColorInput:
			base, err = strconv.Unquote(val)
		}
		if err != nil {
			return nil, fmt.Errorf("material %s: %s: %w", m.name, decl, err)
		}
	}
	if s.index < -1 || (base != "diffuseColor" && base != "emissiveColor") {
		return nil, fmt.Errorf("material %s has no Luneo material markers", m.name)
	}
	s.unlit = base == "emissiveColor"
	for _, l := range m.attrs {
		if p, ok := strings.CutPrefix(l, "token outputs:surface.connect = <"); ok {
			s.path = strings.TrimSuffix(strings.TrimSuffix(p, ">"), "/PreviewSurface.outputs:surface")
		}
	}
	if s.path == "" {
		return nil, fmt.Errorf("material %s has no surface output", m.name)
	}
	transforms := map[string]readTransform{}
	for _, sh := range m.children {
		if err := s.readShader(sh, transforms); err != nil {
			return nil, fmt.Errorf("material %s, shader %s: %w", m.name, sh.name, err)
		}
	}
	return s, nil
}

// readShader reads one Shader prim of a material into s: the surface's
// inputs, a texture slot, or a transform that the slot after it uses.
func (s *surface) readShader(sh *prim, transforms map[string]readTransform) error {
	id := ""
	for _, l := range sh.attrs {
		if v, ok := strings.CutPrefix(l, `uniform token info:id = `); ok {
			id, _ = strconv.Unquote(v)
		}
	}
	switch id {
	case "UsdPreviewSurface":
		for _, l := range sh.attrs {
			if strings.HasPrefix(l, "uniform token info:id") || l == "token outputs:surface" {
				continue
			}
			decl, val, _ := strings.Cut(l, " = ")
			if d, ok := strings.CutSuffix(decl, ".connect"); ok {
				s.inputs = append(s.inputs, input{decl: d, connect: strings.Trim(val, "<>")})
			} else {
				s.inputs = append(s.inputs, input{decl: decl, value: val})
			}
		}
	case "UsdPrimvarReader_float2": // written again from the slots' UV sets
	case "UsdTransform2d":
		tr := &uvTransform{}
		set := -1
		for _, l := range sh.attrs {
			decl, val, _ := strings.Cut(l, " = ")
			var err error
			switch decl {
			case "float2 inputs:in.connect":
				set, err = uvSetOf(strings.Trim(val, "<>"))
			case "float inputs:rotation":
				tr.rot, err = strconv.ParseFloat(val, 64)
			case "float2 inputs:scale":
				err = pair(val, &tr.scale)
			case "float2 inputs:translation":
				err = pair(val, &tr.trans)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", decl, err)
			}
		}
		transforms[strings.TrimSuffix(sh.name, "Transform")] = readTransform{tr, set}
	case "UsdUVTexture":
		return s.readTexture(sh, transforms)
	default:
		return fmt.Errorf("unknown shader %q", id)
	}
	return nil
}

// readTexture reads a UsdUVTexture prim into a slot of s.
func (s *surface) readTexture(sh *prim, transforms map[string]readTransform) error {
	name, ok := strings.CutSuffix(sh.name, "Texture")
	if !ok {
		return fmt.Errorf("texture prim %q is not named …Texture", sh.name)
	}
	t := &slot{name: name, uvSet: -1}
	for _, l := range sh.attrs {
		decl, val, _ := strings.Cut(l, " = ")
		var err error
		switch {
		case decl == "float4 inputs:bias":
			t.bias, err = floats(val, '(', ')')
		case decl == "float4 inputs:scale":
			t.scale, err = floats(val, '(', ')')
		case decl == "asset inputs:file":
			t.file = strings.Trim(val, "@")
		case decl == "token inputs:sourceColorSpace":
			t.srgb = val == `"sRGB"`
		case decl == "float2 inputs:st.connect":
			// From a primvar reader, or through the slot's transform.
			src := strings.Trim(val, "<>")
			if tr, ok := transforms[name]; ok && src == s.path+"/"+name+"Transform.outputs:result" {
				t.transform, t.uvSet = tr.tr, tr.set
			} else {
				t.uvSet, err = uvSetOf(src)
			}
		case decl == "token inputs:wrapS":
			t.wrapS, err = strconv.Unquote(val)
		case decl == "token inputs:wrapT":
			t.wrapT, err = strconv.Unquote(val)
		case strings.HasPrefix(decl, "float3 outputs:"), strings.HasPrefix(decl, "float outputs:"):
			t.output(decl[strings.LastIndexByte(decl, ':')+1:])
		}
		if err != nil {
			return fmt.Errorf("%s: %w", decl, err)
		}
	}
	if t.file == "" || t.uvSet < 0 || t.wrapS == "" || t.wrapT == "" {
		return fmt.Errorf("texture %s lacks its file, UV set or wrap modes", name)
	}
	s.slots = append(s.slots, t)
	return nil
}

// readTransform is a UsdTransform2d read back, with the UV set it reads.
type readTransform struct {
	tr  *uvTransform
	set int
}

// uvSetOf reads the UV set from a primvar reader's prim path.
func uvSetOf(reader string) (int, error) {
	name := strings.TrimSuffix(reader[strings.LastIndexByte(reader, '/')+1:], ".outputs:result")
	rest, ok := strings.CutPrefix(name, "PrimvarReader_st")
	if !ok {
		return 0, fmt.Errorf("%q is not a primvar reader", reader)
	}
	if rest == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n >= maxUVSets {
		return 0, fmt.Errorf("%q is not a primvar reader of a UV set", reader)
	}
	return n, nil
}

// floats reads "(a, b, …)" (or with other brackets) as numbers.
func floats(v string, open, close byte) ([]float64, error) {
	if len(v) < 2 || v[0] != open || v[len(v)-1] != close {
		return nil, fmt.Errorf("%q is not a tuple", v)
	}
	v = v[1 : len(v)-1]
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ", ")
	out := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// pair reads "(a, b)" into p.
func pair(v string, p *[2]float64) error {
	f, err := floats(v, '(', ')')
	if err != nil || len(f) != 2 {
		return fmt.Errorf("%q is not a pair: %v", v, err)
	}
	*p = [2]float64{f[0], f[1]}
	return nil
}
