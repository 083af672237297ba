package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The customizer's live preview: the server compositor's drawing of one
// print zone of an unsaved document, exactly as it will print (mask
// applied), transparent where nothing is drawn. Nothing is stored.

func (s *API) shopperPreview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	var in struct {
		Document json.RawMessage `json:"document"`
		ZoneID   string          `json:"zone_id"`
		Size     *int            `json:"size"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	size := render.SketchDefaultSize
	if in.Size != nil {
		size = *in.Size
	}
	switch {
	case size < render.SketchMinSize || size > render.SketchMaxSize:
		// Refused rather than clamped (as Sketch would): a caller asking
		// for another size has a bug worth seeing.
		return apperr.New(apperr.Invalid, "size must be %d to %d pixels", render.SketchMinSize, render.SketchMaxSize)
	case in.ZoneID == "":
		return apperr.New(apperr.Invalid, "zone_id is required: the print zone to draw")
	}
	if err := s.allow(r.Context(), c, embed.Preview); err != nil {
		return err
	}
	doc, warnings, err := s.Designs.Check(r.Context(), c.actor(), c.draft("", in.Document))
	if err != nil {
		return err
	}
	img, err := s.Renders.Sketch(r.Context(), c.Brand, doc, in.ZoneID, size)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", img.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(img.Body)))
	h.Set("Cache-Control", "no-store")
	if len(warnings) > 0 {
		// JSON escapes non-ASCII, so the header stays ASCII.
		if b, err := json.Marshal(warnings); err == nil {
			h.Set("X-Luneo-Warnings", string(b))
		}
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(img.Body)
	return nil
}
