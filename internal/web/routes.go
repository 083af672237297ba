package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
)

// routes is the one place every route is declared.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Operations.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.Metrics.Handler())
	if s.OpsOnly {
		mux.HandleFunc("/", s.notFound)
		return mux
	}

	// Dashboard.
	mux.HandleFunc("GET /{$}", s.home)
	mux.Handle("/static/", s.Assets)
	mux.HandleFunc("GET /favicon.ico", s.favicon)

	// Files of the local blob store, behind signed URLs.
	if s.LocalBlobs != nil {
		mux.HandleFunc("GET /blobs/{key...}", s.serveBlob)
	}

	// Anything else: a 404 in the right format (page or problem+json).
	mux.HandleFunc("/", s.notFound)
	return mux
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", PageData{Title: "3D and AR product customization"})
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.Assets.Path("favicon.svg"), http.StatusMovedPermanently)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, apperr.New(apperr.NotFound, "nothing lives at %s", r.URL.Path))
}

// render renders a page with the fields every page shares filled in.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data PageData) {
	data.RequestID, data.Dev, data.Version = obs.RequestID(r.Context()), s.Dev, s.Version
	if err := s.Pages.Render(w, status, name, data); err != nil {
		s.writeError(w, r, err)
	}
}
