package dashboard

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/web/ui"
)

// The zones of a product on its page: the list, a plain form that creates
// a zone or edits one (?zone=ID), delete buttons, and the zone editor island
// (templates/partials/zone_editor.html), which shows each material's base
// colour texture with the zones drawn on it and saves new zones through
// POST /api/products/{id}/zones.

// Zones drawn in the zone editor start with this print size, which the
// editor cannot ask for; the page says so and offers the edit form.
const (
	editorZoneMM  = 100
	editorZoneDPI = 300
)

// zonesView is the zones' part of productView.
type zonesView struct {
	Zones []zoneRow
	// ZoneForm creates a zone, or edits the zone EditZone names.
	ZoneForm zoneForm
	EditZone string
	Editor   ui.ZoneEditor
	// Materials are the material names a zone may target.
	Materials []string
	// EditorSize describes the size given to zones drawn in the editor.
	EditorSize string
}

// zoneRow is a zone as the list shows it.
type zoneRow struct {
	catalog.Zone
	UV, Size, Pixels, Layers, Fonts, Colours, Options string
}

// zoneForm is the zone form with what it needs besides its values.
type zoneForm struct {
	productForm
	Action string
	// Editing is the name of the zone being edited; empty for a new zone.
	Editing string
	Layers  map[string]bool
}

// zoneFormFields are the single-valued inputs of the zone form.
var zoneFormFields = []string{"name", "type", "material", "u0", "v0", "u1", "v1", "width_mm", "height_mm", "dpi",
	"max_layers", "max_chars", "fonts", "colours", "colour_options"}

// loadZonesView fills in the zones' part of the product page; a product
// has zones only once it has a model.
func (s *Dashboard) loadZonesView(r *http.Request, p auth.Principal, pv *productView, submitted form.Form) error {
	if pv.Model == nil {
		if submitted.Name == "zone" {
			pv.ZoneForm.Form = submitted
		}
		return nil
	}
	id := pv.Product.ID
	zones, err := s.Catalog.ListZones(r.Context(), p, id)
	if err != nil {
		return err
	}
	for _, m := range pv.Model.Materials {
		if m.Name != "" && !slices.Contains(pv.Materials, m.Name) {
			pv.Materials = append(pv.Materials, m.Name)
		}
	}
	for _, z := range zones {
		pv.Zones = append(pv.Zones, describeZone(z))
	}

	pv.Editor = ui.ZoneEditor{ID: "zone-editor"}
	for _, m := range pv.Model.Materials {
		em := ui.EditorMaterial{Name: m.Name}
		if t, ok := pv.textures[m.Index]; ok && m.Name != "" {
			em.TextureURL = textureURL(id, pv.Model.ID, m.Name)
			if t >= 0 && t < len(pv.Model.Stats.Textures) {
				em.Width, em.Height = pv.Model.Stats.Textures[t].Width, pv.Model.Stats.Textures[t].Height
			}
		}
		pv.Editor.Materials = append(pv.Editor.Materials, em)
	}
	for _, z := range zones {
		if z.Type != catalog.PrintZone {
			continue
		}
		rect := catalog.Rect{U0: 0, V0: 0, U1: 1, V1: 1}
		if z.UVRect != nil {
			rect = *z.UVRect
		}
		pv.Editor.Zones = append(pv.Editor.Zones, ui.EditorZone{ID: z.ID, Name: z.Name, Material: z.Material,
			U0: rect.U0, V0: rect.V0, U1: rect.U1, V1: rect.V1})
	}
	pv.EditorSize = fmt.Sprintf("%d × %d mm at %d DPI", editorZoneMM, editorZoneMM, editorZoneDPI)
	if pv.CanWrite {
		pv.Editor.Endpoint = "/api/products/" + url.PathEscape(id) + "/zones"
		pv.Editor.BodyTemplate = fmt.Sprintf(`{"name":"$name","type":"print","material":"$material",`+
			`"uv_rect":{"u0":"$u0","v0":"$v0","u1":"$u1","v1":"$v1"},"width_mm":%d,"height_mm":%d,"dpi":%d}`,
			editorZoneMM, editorZoneMM, editorZoneDPI)
	}

	zf := zoneForm{productForm: productForm{form.Form{Name: "zone"}}, Action: productPath(id) + "/zones"}
	var editing *catalog.Zone
	if i := slices.IndexFunc(zones, func(z catalog.Zone) bool { return z.ID == pv.EditZone }); i >= 0 {
		editing = &zones[i]
		zf.Action, zf.Editing = productPath(id)+"/zones/"+url.PathEscape(editing.ID), editing.Name
	}
	switch {
	case submitted.Name == "zone":
		zf.Form = submitted
	case editing != nil:
		zf.Values = zoneValues(*editing)
	default:
		zf.Values = map[string]string{"type": string(catalog.PrintZone), "dpi": strconv.Itoa(editorZoneDPI),
			"layer_types": "text,image,colour", "max_layers": "10", "max_chars": "200"}
		if len(pv.Materials) > 0 {
			zf.Values["material"] = pv.Materials[0]
		}
	}
	zf.Layers = map[string]bool{}
	for _, l := range strings.Split(zf.Values["layer_types"], ",") {
		zf.Layers[l] = true
	}
	pv.ZoneForm = zf
	return nil
}

// describeZone writes a zone's settings for the list.
func describeZone(z catalog.Zone) zoneRow {
	row := zoneRow{Zone: z, UV: "whole material", Fonts: "any", Colours: "any"}
	if r := z.UVRect; r != nil {
		row.UV = fmt.Sprintf("u %s–%s, v %s–%s", zoneUV(r.U0), zoneUV(r.U1), zoneUV(r.V0), zoneUV(r.V1))
	}
	if z.WidthMM != nil && z.HeightMM != nil {
		row.Size = fmt.Sprintf("%s × %s mm", zoneNum(*z.WidthMM), zoneNum(*z.HeightMM))
	}
	if z.WidthPX != nil && z.HeightPX != nil {
		row.Pixels = fmt.Sprintf("%d × %d px", *z.WidthPX, *z.HeightPX)
	}
	row.Layers = strings.Join(z.LayerTypes, ", ")
	if len(z.Fonts) > 0 {
		row.Fonts = strings.Join(z.Fonts, ", ")
	}
	if len(z.Colours) > 0 {
		row.Colours = strings.Join(z.Colours, ", ")
	}
	opts := make([]string, len(z.ColourOptions))
	for i, o := range z.ColourOptions {
		opts[i] = o.Name + " " + o.Hex
	}
	row.Options = strings.Join(opts, ", ")
	return row
}

// zoneValues are the form values that show zone z.
func zoneValues(z catalog.Zone) map[string]string {
	v := map[string]string{"name": z.Name, "type": string(z.Type), "material": z.Material,
		"layer_types": strings.Join(z.LayerTypes, ","), "fonts": strings.Join(z.Fonts, ", "), "colours": strings.Join(z.Colours, ", ")}
	if r := z.UVRect; r != nil {
		v["u0"], v["v0"], v["u1"], v["v1"] = zoneNum(r.U0), zoneNum(r.V0), zoneNum(r.U1), zoneNum(r.V1)
	}
	if z.WidthMM != nil && z.HeightMM != nil && z.DPI != nil {
		v["width_mm"], v["height_mm"], v["dpi"] = zoneNum(*z.WidthMM), zoneNum(*z.HeightMM), strconv.Itoa(*z.DPI)
	}
	if z.MaxLayers > 0 {
		v["max_layers"], v["max_chars"] = strconv.Itoa(z.MaxLayers), strconv.Itoa(z.MaxChars)
	}
	lines := make([]string, len(z.ColourOptions))
	for i, o := range z.ColourOptions {
		lines[i] = o.Name + " " + o.Hex
	}
	v["colour_options"] = strings.Join(lines, "\n")
	return v
}

func (s *Dashboard) createZoneSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	sp, vals, err := zoneFromForm(r)
	if err == nil {
		_, err = s.Catalog.CreateZone(r.Context(), me.p, r.PathValue("id"), sp)
	}
	return s.zoneResult(w, r, me, err, "", vals, fmt.Sprintf("The zone %s is added.", sp.Name))
}

func (s *Dashboard) updateZoneSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	zoneID := r.PathValue("zoneID")
	sp, vals, err := zoneFromForm(r)
	if err == nil {
		// Every field of the form, as a merge patch; the position is kept.
		var patch []byte
		patch, err = json.Marshal(map[string]any{"name": sp.Name, "type": sp.Type, "material": sp.Material,
			"uv_rect": sp.UVRect, "width_mm": sp.WidthMM, "height_mm": sp.HeightMM, "dpi": sp.DPI,
			"layer_types": sp.LayerTypes, "max_layers": sp.MaxLayers, "max_chars": sp.MaxChars,
			"fonts": sp.Fonts, "colours": sp.Colours, "colour_options": sp.ColourOptions})
		if err == nil {
			_, err = s.Catalog.UpdateZone(r.Context(), me.p, r.PathValue("id"), zoneID, catalog.Patch(patch))
		}
	}
	return s.zoneResult(w, r, me, err, zoneID, vals, fmt.Sprintf("The zone %s is saved.", sp.Name))
}

func (s *Dashboard) deleteZoneSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id, zoneID := r.PathValue("id"), r.PathValue("zoneID")
	z, err := s.Catalog.GetZone(r.Context(), me.p, id, zoneID)
	if err != nil {
		return err
	}
	if err := s.Catalog.DeleteZone(r.Context(), me.p, id, zoneID); err != nil {
		return err
	}
	s.flash.Redirect(w, r, productPath(id)+"#zones", fmt.Sprintf("The zone %s has been deleted.", z.Name))
	return nil
}

// zoneResult answers the zone form: back to the zones with a flash, or the
// page again with the form, its errors next to the inputs.
func (s *Dashboard) zoneResult(w http.ResponseWriter, r *http.Request, me Me, err error, editing string, vals map[string]string, ok string) error {
	if err != nil {
		f, status, fixable := form.Failure(w, form.RemapFields(err, zoneInput), "zone", vals)
		if !fixable {
			return err
		}
		v := &productPage{chrome: chrome{Me: me}, Form: f}
		v.Product.EditZone = editing
		return s.showProduct(w, r, status, v, r.PathValue("id"))
	}
	s.flash.Redirect(w, r, productPath(r.PathValue("id"))+"#zones", ok)
	return nil
}

// zoneInput names the input of the zone form a catalog field error is
// about: "fonts[1]" and "colour_options[0].hex" are about their lists.
func zoneInput(field string) string {
	if i := strings.IndexAny(field, "[."); i >= 0 {
		return field[:i]
	}
	return field
}

// zoneFromForm reads the zone form. Values that are not even numbers are
// refused here; everything else is the catalog's to check.
func zoneFromForm(r *http.Request) (catalog.ZoneSpec, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return catalog.ZoneSpec{}, nil, apperr.Wrap(apperr.Invalid, err, "the form could not be read")
	}
	vals := map[string]string{}
	for _, k := range zoneFormFields {
		vals[k] = r.PostForm.Get(k)
	}
	layers := r.PostForm["layer_types"]
	vals["layer_types"] = strings.Join(layers, ",")
	get := func(k string) string { return strings.TrimSpace(vals[k]) }
	sp := catalog.ZoneSpec{Name: vals["name"], Type: catalog.ZoneType(get("type")), Material: vals["material"], LayerTypes: layers,
		Fonts: splitList(get("fonts"), ","), Colours: splitList(get("colours"), ", ")}
	bad := map[string]string{}
	number := func(k string, integer bool) *float64 {
		s := get(k)
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || (integer && f != math.Trunc(f)) {
			bad[k] = "must be a number"
			if integer {
				bad[k] = "must be a whole number"
			}
			return nil
		}
		return &f
	}
	toInt := func(f *float64) *int {
		if f == nil || math.Abs(*f) > 1e9 {
			return nil
		}
		n := int(*f)
		return &n
	}
	var rect [4]*float64
	filled := 0
	for i, k := range []string{"u0", "v0", "u1", "v1"} {
		if rect[i] = number(k, false); rect[i] != nil {
			filled++
		}
		if _, isBad := bad[k]; isBad {
			bad["uv_rect"] = k + " must be a number from 0 to 1"
		}
	}
	switch {
	case filled == 4:
		sp.UVRect = &catalog.Rect{U0: *rect[0], V0: *rect[1], U1: *rect[2], V1: *rect[3]}
	case filled > 0 && bad["uv_rect"] == "":
		bad["uv_rect"] = "fill in all four of u0, v0, u1 and v1, or none of them for the whole material"
	}
	sp.WidthMM, sp.HeightMM = number("width_mm", false), number("height_mm", false)
	sp.DPI = toInt(number("dpi", true))
	if n := toInt(number("max_layers", true)); n != nil {
		sp.MaxLayers = *n
	}
	if n := toInt(number("max_chars", true)); n != nil {
		sp.MaxChars = *n
	}
	for _, line := range strings.Split(vals["colour_options"], "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		// "Navy blue #1f2a44": the last word is the colour, the rest its name.
		name, hex := "", line
		if i := strings.LastIndexAny(line, " \t"); i >= 0 {
			name, hex = strings.TrimSpace(line[:i]), line[i+1:]
		}
		sp.ColourOptions = append(sp.ColourOptions, catalog.ColourOption{Name: name, Hex: hex})
	}
	for k := range bad {
		if k == "u0" || k == "v0" || k == "u1" || k == "v1" {
			delete(bad, k)
		}
	}
	if len(bad) > 0 {
		return sp, vals, form.Invalid(bad)
	}
	return sp, vals, nil
}

// splitList splits s at any of the separators, dropping empty entries.
func splitList(s, seps string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
}

// zoneUV writes a UV coordinate with three decimals.
func zoneUV(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// zoneNum writes a number without trailing zeros.
func zoneNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
