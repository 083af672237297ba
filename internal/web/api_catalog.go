package web

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The catalog API: products with their variants, the 3D model of each
// product and its zones. The catalog service checks permissions and scopes
// every query to the caller's brand; these handlers only translate HTTP.

// catalogRoutes registers the catalog API (when the catalog is wired).
func (s *Server) catalogRoutes() []httpx.Route {
	if s.Catalog == nil {
		return nil
	}
	return []httpx.Route{
		httpx.Handle("GET", "/api/products", httpx.BrandAPI, s.authed(s.listProducts)),
		httpx.Handle("POST", "/api/products", httpx.BrandAPI, s.authed(s.createProduct)),
		httpx.Handle("GET", "/api/products/{id}", httpx.BrandAPI, s.authed(s.getProduct)),
		httpx.Handle("PATCH", "/api/products/{id}", httpx.BrandAPI, s.authed(s.updateProduct)),
		httpx.Handle("DELETE", "/api/products/{id}", httpx.BrandAPI, s.authed(s.deleteProduct)),
		httpx.Handle("POST", "/api/products/{id}/model", httpx.BrandAPI, s.authed(s.uploadModel)).WithBody(s.Catalog.MaxModelSize() + httpx.UploadOverhead),
		httpx.Handle("GET", "/api/products/{id}/model", httpx.BrandAPI, s.authed(s.getModel)),
		httpx.Handle("GET", "/api/products/{id}/zones", httpx.BrandAPI, s.authed(s.listZones)),
		httpx.Handle("POST", "/api/products/{id}/zones", httpx.BrandAPI, s.authed(s.createZone)),
		httpx.Handle("GET", "/api/products/{id}/zones/{zoneID}", httpx.BrandAPI, s.authed(s.getZone)),
		httpx.Handle("PATCH", "/api/products/{id}/zones/{zoneID}", httpx.BrandAPI, s.authed(s.updateZone)),
		httpx.Handle("DELETE", "/api/products/{id}/zones/{zoneID}", httpx.BrandAPI, s.authed(s.deleteZone)),
		httpx.Handle("POST", "/api/products/{id}/zones/{zoneID}/mask", httpx.BrandAPI, s.authed(s.uploadMask)).WithBody(catalog.MaxMaskSize + httpx.UploadOverhead),
		httpx.Handle("DELETE", "/api/products/{id}/zones/{zoneID}/mask", httpx.BrandAPI, s.authed(s.deleteMask)),
	}
}

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q := r.URL.Query()
	o := catalog.ListOptions{Query: q.Get("q"), Status: catalog.Status(q.Get("status")), Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return apperr.New(apperr.Invalid, "limit must be a number from 1 to %d", catalog.MaxPageSize)
		}
		o.Limit = n
	}
	page, err := s.Catalog.ListProducts(r.Context(), p, o)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in catalog.ProductSpec
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	pr, err := s.Catalog.CreateProduct(r.Context(), p, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"product": pr})
	return nil
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pr, err := s.Catalog.GetProduct(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"product": pr})
	return nil
}

func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var patch json.RawMessage
	if err := httpx.DecodeJSON(r, &patch); err != nil {
		return err
	}
	pr, err := s.Catalog.UpdateProduct(r.Context(), p, r.PathValue("id"), catalog.Patch(patch))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"product": pr})
	return nil
}

func (s *Server) deleteProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return s.noContent(w, s.Catalog.DeleteProduct(r.Context(), p, r.PathValue("id")))
}

func (s *Server) uploadModel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	up, err := uploadedFile(r)
	if err != nil {
		return err
	}
	m, err := s.Catalog.UploadModel(r.Context(), p, r.PathValue("id"), up)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return apperr.New(apperr.TooLarge, "the model is larger than the limit of %d bytes (LUNEO_MAX_MODEL_SIZE)", s.Catalog.MaxModelSize())
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"model": m})
	return nil
}

func (s *Server) getModel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	m, err := s.Catalog.GetModel(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"model": m})
	return nil
}

// modelTypes are the media types a raw model upload may declare.
var modelTypes = map[string]bool{
	"model/gltf-binary": true, "model/gltf+json": true, "application/zip": true,
	"application/x-zip-compressed": true, "application/octet-stream": true,
}

// uploadedFile finds the file of an upload: the part named "file" of a
// multipart/form-data body (streamed, never buffered whole), or the raw body
// with a model media type, named by Content-Disposition or ?filename=.
func uploadedFile(r *http.Request) (catalog.Upload, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return catalog.Upload{}, apperr.Wrap(apperr.Invalid, err, "the multipart body cannot be read")
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return catalog.Upload{}, err
				}
				return catalog.Upload{}, apperr.Wrap(apperr.Invalid, err, "the form has no part named \"file\"")
			}
			if part.FormName() == "file" {
				return catalog.Upload{Body: part, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type")}, nil
			}
		}
	}
	if !modelTypes[mt] {
		return catalog.Upload{}, apperr.New(apperr.Invalid, "send the model as multipart/form-data (field \"file\") or as the body with "+
			"Content-Type model/gltf-binary, model/gltf+json or application/zip, not %q", mt)
	}
	up := catalog.Upload{Body: r.Body, ContentType: mt, Filename: r.URL.Query().Get("filename")}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		up.Filename = params["filename"]
	}
	return up, nil
}
