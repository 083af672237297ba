package widget

import (
	"html/template"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
)

// framePage is the iframe document: the handshake's status line, then the
// customizer's root, which the script fills (web/src/customizer/) once the
// handshake is done. It carries the nonce (in its own URL, read by the
// script), never the token, and loads only hashed assets: no inline script
// or style (the CSP allows none). The status line is the page's live
// region until the customizer, which has its own, replaces it.
var framePage = template.Must(template.New("frame").Parse(`<!doctype html>
<html lang="{{.Locale}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.CSS}}">
<script type="module" src="{{.Script}}"></script>
<script type="module" src="{{.Viewer}}"></script>
</head><body class="lw-body">
<main id="luneo-widget" class="lw-root" data-state="handshake" data-locale="{{.Locale}}">
<p id="luneo-status" class="lw-loading" role="status" aria-live="polite">{{.Loading}}</p>
<div id="luneo-customizer" class="lw-app" data-customizer="waiting" hidden></div>
<noscript><p class="lw-error">{{.NoScript}}</p></noscript>
</main>
</body></html>
`))

// frameText is the page's own text per locale: the customizer's strings are
// in web/src/customizer/locales/, chosen by the same locale parameter.
var frameText = map[string]struct{ Title, Loading, NoScript string }{
	"en": {"Product customizer", "Customizer loading…", "The customizer needs JavaScript."},
	"fr": {"Personnalisation du produit", "Chargement du personnalisateur…", "Le personnalisateur a besoin de JavaScript."},
}

// frameStylesheet is the static file name of the iframe page's stylesheet.
const frameStylesheet = "widget.css"

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
	viewer, err := s.Assets.Lookup(ViewerAsset)
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "the 3D viewer was not built into this binary (make web)")
	}
	locale := q.Get("locale")
	text, ok := frameText[locale]
	if !ok {
		locale, text = "en", frameText["en"]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The page is per session (its URL holds a nonce): never cached.
	w.Header().Set("Cache-Control", "no-store")
	return framePage.Execute(w, map[string]string{"Locale": locale, "CSS": s.Assets.Path(frameStylesheet),
		"Script": script, "Viewer": viewer, "Title": text.Title, "Loading": text.Loading, "NoScript": text.NoScript})
}
