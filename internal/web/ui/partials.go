package ui

import (
	"encoding/json"
)

// ModelViewer is the data of the "model-viewer" template partial
// (templates/partials/model_viewer.html), which shows a 3D model with
// Google's <model-viewer> from the dist/viewer.js bundle (web/src/viewer.ts):
//
//	{{template "model-viewer" .ModelViewer}}
//
// When the binary was built without the web bundles (no make web), the
// partial shows "3D preview unavailable" instead.
type ModelViewer struct {
	// Src is the URL of the GLB: a signed blob URL. The page's
	// Content-Security-Policy must allow it in connect-src (same origin for
	// the local blob store).
	Src string
	// Alt describes the model for screen readers ("Blue cap, 3D model").
	Alt string
	// Poster is an optional image URL shown until the model is ready.
	Poster string
	// AR turns on augmented reality (ar, ar-modes "webxr scene-viewer
	// quick-look"); IOSSrc is then the USDZ URL for AR Quick Look (empty
	// while it is being made), and EventsURL, when set, is where the viewer
	// POSTs {"event":"ar_launched"} when an AR session starts.
	AR        bool
	IOSSrc    string
	EventsURL string
}

// ZoneEditor is the data of the "zone-editor" template partial
// (templates/partials/zone_editor.html), run by the dist/zone-editor.js
// bundle (web/src/zone-editor.ts). Without JavaScript, or without the
// bundle, the partial lists the zones as text.
type ZoneEditor struct {
	// ID is the element's id, unique on the page.
	ID string
	// Materials are the model's materials in glTF order.
	Materials []EditorMaterial
	// Zones are the print zones already defined.
	Zones []EditorZone
	// Endpoint is the URL new zones are POSTed to (same origin; the session
	// cookie and Origin header go with it). Empty makes the editor read-only.
	Endpoint string
	// BodyTemplate, when set, is the JSON of the request body, in which the
	// string values "$name", "$material", "$u0", "$v0", "$u1" and "$v1" are
	// replaced (UV values as numbers). Empty sends the default:
	//
	//	{"name": "Front", "material": "Body", "uv": {"u0": 0.1, "v0": 0.2, "u1": 0.5, "v1": 0.6}}
	//
	// The editor reads the zone back from a JSON response in the same shape
	// as EditorZone (the UV values at the top level or under "uv").
	BodyTemplate string
}

// EditorMaterial is one material as the zone editor shows it.
type EditorMaterial struct {
	Name string `json:"name"`
	// TextureURL is the base colour texture's image; empty when the material
	// has none (zones are then drawn on a blank UV square).
	TextureURL string `json:"texture_url,omitempty"`
	// Width and Height are the image's size in pixels, 0 when unknown.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// EditorZone is one print zone: a rectangle in the UV space of a material's
// texture, glTF's (origin at the top-left of the image, u to the right, v
// down), with 0 ≤ U0 < U1 ≤ 1 and 0 ≤ V0 < V1 ≤ 1.
type EditorZone struct {
	ID       string  `json:"id,omitempty"`
	Name     string  `json:"name"`
	Material string  `json:"material"`
	U0       float64 `json:"u0"`
	V0       float64 `json:"v0"`
	U1       float64 `json:"u1"`
	V1       float64 `json:"v1"`
}

// MaterialsJSON is the data-materials attribute; html/template escapes it.
func (z ZoneEditor) MaterialsJSON() string { return jsonArray(z.Materials) }

// ZonesJSON is the data-zones attribute.
func (z ZoneEditor) ZonesJSON() string { return jsonArray(z.Zones) }

// jsonArray marshals a slice, nil as [] so the island always gets an array.
func jsonArray[T any](s []T) string {
	if s == nil {
		s = []T{}
	}
	b, err := json.Marshal(s)
	if err != nil {
		// These types hold only strings and finite numbers; NaN or Inf in a
		// zone is a bug upstream, and an empty list is the safe rendering.
		return "[]"
	}
	return string(b)
}
