package web

import (
	"fmt"
	"io/fs"
	"net/http"
)

// OpenAPI returns the OpenAPI 3.1 document describing every /api/ route
// (openapi.json, written by hand next to the routes it describes and checked
// against routes by a test).
func OpenAPI() []byte {
	b, err := fs.ReadFile(files, "openapi.json")
	if err != nil {
		// go:embed has already checked that the file exists.
		panic(fmt.Sprintf("web: embedded openapi.json: %v", err))
	}
	return b
}

// openAPI serves the document. It describes the API, not any brand's data,
// so anyone may read it, including API explorers on other origins.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(OpenAPI())
}
