package design

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Canonical returns the canonical bytes of a parsed document: keys in the
// fixed order of the Go types, zones sorted by zone_id, every default
// written out, numbers rounded by Parse and written the one way
// encoding/json writes a float64, no whitespace, no HTML escaping. Two
// documents that mean the same design have the same canonical bytes.
// The document must come from Parse (or have been built the same way).
func Canonical(d Document) ([]byte, error) {
	d.sortZones()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("canonical design: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Hash returns the canonical bytes of d and their hex SHA-256, the design
// version's sha256. Images enter the hash through their content SHA-256,
// so the same picture uploaded twice gives the same design hash.
func Hash(d Document) (canonical []byte, sum string, err error) {
	canonical, err = Canonical(d)
	if err != nil {
		return nil, "", err
	}
	h := sha256.Sum256(canonical)
	return canonical, hex.EncodeToString(h[:]), nil
}

// assets lists the distinct image assets a document references.
func (d Document) assets() []string {
	seen := map[string]bool{}
	var out []string
	for _, z := range d.Zones {
		for _, l := range z.Layers {
			if l.Image != nil && !seen[l.Image.Asset] {
				seen[l.Image.Asset] = true
				out = append(out, l.Image.Asset)
			}
		}
	}
	return out
}

// UnmarshalJSON reads a stored canonical document back (trusted input:
// written by Canonical), layers by type.
func (d *Document) UnmarshalJSON(b []byte) error {
	var in documentIn
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*d = Document{V: in.V, ProductID: in.ProductID, VariantID: in.VariantID, Zones: make([]Zone, 0, len(in.Zones))}
	for i, zin := range in.Zones {
		z := Zone{ZoneID: zin.ZoneID, Colour: zin.Colour, index: i}
		for _, raw := range zin.Layers {
			l, err := decodeLayer(raw)
			if err != nil {
				return fmt.Errorf("stored design, zone %s: %w", z.ZoneID, err)
			}
			z.Layers = append(z.Layers, l)
		}
		d.Zones = append(d.Zones, z)
	}
	return nil
}
