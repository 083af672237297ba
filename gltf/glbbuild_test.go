package gltf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// glbParts splits a GLB we trust into its JSON tree and BIN chunk.
func glbParts(t testing.TB, b []byte) (map[string]any, []byte) {
	t.Helper()
	var rep Report
	c := parseGLB(b, &rep)
	dec := json.NewDecoder(bytes.NewReader(c.json))
	dec.UseNumber() // keep number literals exactly as written
	var j map[string]any
	if err := dec.Decode(&j); err != nil {
		t.Fatal(err)
	}
	return j, append([]byte(nil), c.bin...)
}

// buildGLB assembles a GLB from a JSON tree and BIN bytes.
func buildGLB(t testing.TB, j map[string]any, bin []byte) []byte {
	t.Helper()
	js, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	jl, bl := pad4(len(js)), pad4(len(bin))
	total := 12 + 8 + jl
	if len(bin) > 0 {
		total += 8 + bl
	}
	out := make([]byte, 0, total)
	out = binary.LittleEndian.AppendUint32(out, glbMagic)
	out = binary.LittleEndian.AppendUint32(out, 2)
	out = binary.LittleEndian.AppendUint32(out, uint32(total))
	out = binary.LittleEndian.AppendUint32(out, uint32(jl))
	out = binary.LittleEndian.AppendUint32(out, chunkTypeJSON)
	out = append(out, js...)
	out = append(out, bytes.Repeat([]byte(" "), jl-len(js))...)
	if len(bin) > 0 {
		out = binary.LittleEndian.AppendUint32(out, uint32(bl))
		out = binary.LittleEndian.AppendUint32(out, chunkTypeBIN)
		out = append(out, bin...)
		out = append(out, make([]byte, bl-len(bin))...)
	}
	return out
}

// at walks a JSON pointer ("/meshes/0/primitives/0") in a generic tree.
func at(v any, p string) any {
	for _, part := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i, _ := strconv.Atoi(part)
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// set replaces (or, with the value del, removes) the property at pointer p.
func set(j map[string]any, p string, val any) {
	i := strings.LastIndex(p, "/")
	parent, key := at(j, p[:i]), p[i+1:]
	if p[:i] == "" {
		parent = j
	}
	switch x := parent.(type) {
	case map[string]any:
		if val == del {
			delete(x, key)
		} else {
			x[key] = val
		}
	case []any:
		n, _ := strconv.Atoi(key)
		if n < len(x) {
			x[n] = val
		}
	}
}

type deleted struct{}

var del = deleted{}

func num(s string) json.Number { return json.Number(s) }
