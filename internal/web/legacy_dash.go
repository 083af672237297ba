package web

import "github.com/luneo/luneo/internal/web/form"

// sentence is form.Sentence for viewer_page.go, which another surface's
// move takes out of this package; the lead deletes this file with the rest
// of the legacy root.
func sentence(msg string) string { return form.Sentence(msg) }
