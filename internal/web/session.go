package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/auth"
)

// apiHandler is a JSON handler that returns its error instead of writing it.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

// authedHandler also receives the authenticated principal.
type authedHandler func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// api adapts an apiHandler: errors go through the one error writer.
func (s *Server) api(h apiHandler) http.HandlerFunc { return s.kit.Handler(h) }

// authed adapts an authedHandler; the router has authenticated the caller
// as the route's policy requires (unauthenticated requests get 401).
func (s *Server) authed(h authedHandler) http.HandlerFunc { return s.kit.Authed(h) }
