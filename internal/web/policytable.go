package web

import (
	"fmt"
	"strings"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/web/httpx"
)

// PolicyTable renders a route table as the Markdown table of docs/routes.md:
// every route with who may call it, whether it is checked for cross-site
// requests, who may frame it, which origins may read it and its body limit.
// A test keeps docs/routes.md equal to the table of a server with every
// feature on, so the documentation cannot drift from the code.
func PolicyTable(routes []httpx.Route, defaultBody int64) string {
	var b strings.Builder
	b.WriteString("| surface | route | auth | CSRF check | may be framed by | CORS | body limit |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range routes {
		p := r.Policy
		csrf := "same origin"
		if p.CSRF == httpx.CSRFNone {
			csrf = "none"
		}
		if r.Method == "GET" || r.Method == "HEAD" {
			csrf = "—"
		}
		frame := "nobody"
		switch {
		case p.FrameAncestorsFor != nil:
			frame = "per request"
		case len(p.FrameAncestors) > 0:
			frame = strings.Join(p.FrameAncestors, " ")
		}
		cors := "—"
		if p.CORS != nil {
			cors = strings.Join(p.CORS.Origins, " ")
			if p.CORS.OriginsFor != nil {
				cors = "per request"
			}
			if p.CORS.Credentials {
				cors += " (with cookies)"
			}
		}
		limit := r.MaxBody
		if limit == 0 {
			limit = defaultBody
		}
		route := r.Pattern()
		if r.Method == "" {
			route = "any " + r.Path
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %s |\n", r.Surface, route, p.Auth, csrf, frame, cors, gltf.MiB(limit))
	}
	return b.String()
}
