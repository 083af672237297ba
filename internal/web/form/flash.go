package form

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/web/httpx"
)

// The flash cookie carries a one-line message across a POST-redirect-GET,
// of at most maxFlash bytes.
const (
	flashCookie = "luneo_flash"
	maxFlash    = 300
	flashTTL    = time.Minute
)

// Flash sets and takes the one-time messages of form posts.
type Flash struct{ Kit *httpx.Kit }

// Redirect answers a successful form post: 303 to the page to show next,
// which displays msg once.
func (f Flash) Redirect(w http.ResponseWriter, r *http.Request, to, msg string) {
	if len(msg) > maxFlash {
		// Messages can quote what was typed; keep the cookie small.
		msg = strings.ToValidUTF8(msg[:maxFlash-len("…")], "") + "…"
	}
	if msg != "" {
		f.Kit.SetCookie(w, flashCookie, base64.RawURLEncoding.EncodeToString([]byte(msg)), "/", flashTTL)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// Take returns the pending flash message and deletes its cookie.
func (f Flash) Take(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	f.Kit.ClearCookie(w, flashCookie, "/")
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > maxFlash {
		return "" // not ours, or tampered with: showing nothing is safest
	}
	return string(b)
}
