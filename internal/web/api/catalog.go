package api

import (
	"encoding/json"
	"errors"
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

func (s *API) listProducts(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

func (s *API) createProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

func (s *API) getProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pr, err := s.Catalog.GetProduct(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"product": pr})
	return nil
}

func (s *API) updateProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

func (s *API) deleteProduct(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Catalog.DeleteProduct(r.Context(), p, r.PathValue("id")))
}

func (s *API) uploadModel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
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

func (s *API) getModel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	m, err := s.Catalog.GetModel(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"model": m})
	return nil
}

// uploadedFile finds the model of an upload: the part named "file" of a
// multipart/form-data body (streamed, never buffered whole), or the raw body
// with a model media type, named by Content-Disposition or ?filename=.
func uploadedFile(r *http.Request) (catalog.Upload, error) {
	f, err := httpx.UploadedFile(r, "file", catalog.IsModelMediaType, catalog.WrongModelType)
	if err != nil {
		return catalog.Upload{}, err
	}
	return catalog.Upload{Body: f.Body, Filename: f.Filename, ContentType: f.ContentType}, nil
}
