package widget

import (
	"html/template"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
)

// framePage is the iframe document. It carries the nonce (in its own URL,
// read by the script), never the token, and loads only hashed assets.
var framePage = template.Must(template.New("frame").Parse(`<!doctype html>
<html lang="{{.Locale}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Luneo customizer</title>
<link rel="stylesheet" href="{{.CSS}}">
<script type="module" src="{{.Script}}"></script>
</head><body>
<main id="luneo-widget" data-state="handshake" aria-live="polite">
<p id="luneo-status">{{.Loading}}</p>
</main>
</body></html>
`))

// loading is the placeholder text per locale, until the customizer lands.
var loading = map[string]string{"en": "Customizer loading…", "fr": "Chargement du personnalisateur…"}

// frame serves the iframe page to a store origin on the brand's list
// (frame-ancestors enforces it in the browser; the check here refuses to
// post a nonce to an origin that is not listed).
func (s *Widget) frame(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ok, err := s.Embed.Allowed(r.Context(), q.Get("brand"), q.Get("origin"))
	if err != nil {
		return err
	}
	if !ok || q.Get("nonce") == "" || q.Get("product") == "" {
		s.refused(r, "origin not listed or parameter missing")
		return apperr.New(apperr.Forbidden, "refused")
	}
	script, err := s.Assets.Lookup(FrameAsset)
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "the widget page was not built into this binary (make web)")
	}
	locale := q.Get("locale")
	if _, ok := loading[locale]; !ok {
		locale = "en"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The page is per session (its URL holds a nonce): never cached.
	w.Header().Set("Cache-Control", "no-store")
	return framePage.Execute(w, map[string]string{"Locale": locale, "CSS": s.Assets.Path("app.css"),
		"Script": script, "Loading": loading[locale]})
}
