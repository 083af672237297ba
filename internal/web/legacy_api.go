package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/httpx"
)

// What the dashboard's product pages still share with the JSON API, which
// moved to internal/web/api; it goes when those pages move too.

// modelTypes are the media types a raw model upload may declare.
var modelTypes = map[string]bool{
	"model/gltf-binary": true, "model/gltf+json": true, "application/zip": true,
	"application/x-zip-compressed": true, "application/octet-stream": true,
}

// uploadedFile finds the model of an upload: the part named "file" of a
// multipart/form-data body (streamed, never buffered whole), or the raw body
// with a model media type, named by Content-Disposition or ?filename=.
func uploadedFile(r *http.Request) (catalog.Upload, error) {
	f, err := httpx.UploadedFile(r, "file", modelTypes, "send the model as multipart/form-data (field \"file\") or as the body with "+
		"Content-Type model/gltf-binary, model/gltf+json or application/zip")
	if err != nil {
		return catalog.Upload{}, err
	}
	return catalog.Upload{Body: f.Body, Filename: f.Filename, ContentType: f.ContentType}, nil
}
