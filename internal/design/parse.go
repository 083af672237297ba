package design

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
)

// Bounds of a document, whatever the zone allows: they keep a hostile
// document from costing more than a page of JSON.
const (
	MaxDocumentBytes = 512 << 10
	maxZones         = 50
	maxLayers        = 50
	maxTextRunes     = 10_000
	maxNameLen       = 100
)

// documentIn is a document as sent; layers are decoded by type.
type documentIn struct {
	V         int      `json:"v"`
	ProductID string   `json:"product_id"`
	VariantID string   `json:"variant_id"`
	Zones     []zoneIn `json:"zones"`
}

type zoneIn struct {
	ZoneID string            `json:"zone_id"`
	Layers []json.RawMessage `json:"layers"`
	Colour string            `json:"colour"`
}

// Parse reads a design document strictly (unknown fields, wrong types,
// trailing data and out-of-range values are refused with the path of the
// field, such as zones[0].layers[2].size_pt) and returns it normalised:
// defaults filled in, colours as lowercase #rrggbb, text in Unicode NFC,
// numbers rounded to a fixed precision, angles in [0, 360), zones sorted by
// zone_id. Parse does not know the product: Validate checks the document
// against its zones.
func Parse(data []byte) (Document, error) { return parse(data, "", "") }

// parse is Parse with the product and variant a request names beside the
// document: they fill in the document's when it leaves them out, and must
// agree with them otherwise.
func parse(data []byte, productID, variantID string) (Document, error) {
	if len(data) > MaxDocumentBytes {
		return Document{}, apperr.New(apperr.TooLarge, "the design document is larger than %d KiB", MaxDocumentBytes>>10)
	}
	var in documentIn
	if err := strict(data, &in); err != nil {
		return Document{}, invalidJSON("document", err)
	}
	p := problems{}
	doc := Document{V: in.V, ProductID: strings.TrimSpace(in.ProductID), VariantID: strings.TrimSpace(in.VariantID)}
	for _, c := range []struct {
		field       string
		doc, beside *string
	}{{"product_id", &doc.ProductID, &productID}, {"variant_id", &doc.VariantID, &variantID}} {
		*c.beside = strings.TrimSpace(*c.beside)
		switch {
		case *c.doc == "":
			*c.doc = *c.beside
		case *c.beside != "" && *c.beside != *c.doc:
			p.add(c.field, "of the document (%s) differs from the request's (%s)", *c.doc, *c.beside)
		}
	}
	switch {
	case doc.V == 0:
		doc.V = SchemaVersion
	case doc.V != SchemaVersion:
		p.add("v", "must be %d (the only document version)", SchemaVersion)
	}
	if doc.ProductID == "" || len(doc.ProductID) > maxNameLen {
		p.add("product_id", "is required")
	}
	if len(doc.VariantID) > maxNameLen {
		p.add("variant_id", "is too long")
	}
	if len(in.Zones) > maxZones {
		p.add("zones", "may hold at most %d zones", maxZones)
		return Document{}, p.err(apperr.Invalid, "invalid design")
	}
	seen := map[string]int{}
	for i, zin := range in.Zones {
		f := fmt.Sprintf("zones[%d]", i)
		z := Zone{ZoneID: strings.TrimSpace(zin.ZoneID), index: i}
		if z.ZoneID == "" || len(z.ZoneID) > maxNameLen {
			p.add(f+".zone_id", "is required")
		} else if j, dup := seen[z.ZoneID]; dup {
			p.add(f+".zone_id", "repeats zones[%d]: put every layer of a zone in one entry", j)
		}
		seen[z.ZoneID] = i
		if zin.Colour != "" {
			if c, ok := catalog.NormHex(zin.Colour); ok {
				z.Colour = c
			} else {
				p.add(f+".colour", "must be a hex colour such as #ff0000, not %q", zin.Colour)
			}
		}
		if len(zin.Layers) > maxLayers {
			p.add(f+".layers", "may hold at most %d layers", maxLayers)
			continue
		}
		for j, raw := range zin.Layers {
			lf := fmt.Sprintf("%s.layers[%d]", f, j)
			l, err := decodeLayer(raw)
			if err != nil {
				p.add(lf, "%s", jsonProblem(err))
				continue
			}
			l.normalise(p, lf)
			z.Layers = append(z.Layers, l)
		}
		doc.Zones = append(doc.Zones, z)
	}
	if err := p.err(apperr.Invalid, "invalid design"); err != nil {
		return Document{}, err
	}
	doc.sortZones()
	return doc, nil
}

// strict decodes exactly one JSON value into v, refusing unknown fields and
// anything after the value.
func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// jsonProblem says what a decoding error means, without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be a %s", te.Field, jsonType(te.Type.Kind().String()))
	case errors.As(err, &se):
		return fmt.Sprintf("is not valid JSON (at byte %d)", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + " (not a field of this object)"
	}
	return err.Error()
}

func jsonType(kind string) string {
	switch kind {
	case "float64", "int":
		return "number"
	case "slice":
		return "list"
	case "struct", "map", "ptr":
		return "object"
	}
	return kind
}

// invalidJSON turns a decoding error of the whole document into a 400.
func invalidJSON(what string, err error) error {
	return apperr.Wrap(apperr.Invalid, err, "the %s is not a valid design: %s", what, jsonProblem(err))
}
