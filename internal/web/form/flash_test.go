package form

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
)

// TestFlashCookie: a long message is cut on a character boundary, the
// cookie is HttpOnly, Lax and short-lived, and taking it deletes it.
func TestFlashCookie(t *testing.T) {
	t.Parallel()
	s := Flash{Kit: &httpx.Kit{}}
	w := httptest.NewRecorder()
	long := strings.Repeat("é", 400)
	s.Redirect(w, httptest.NewRequest(http.MethodPost, "/app/team", nil), "/app/team", long)
	r := httptest.NewRequest(http.MethodGet, "/app/team", nil)
	for _, c := range w.Result().Cookies() {
		if c.Name != flashCookie || !c.HttpOnly || c.MaxAge != 60 || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
			t.Fatalf("flash cookie %+v", c)
		}
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	got := s.Take(w, r)
	if !strings.HasSuffix(got, "é…") || len(got) > maxFlash {
		t.Errorf("flash %q (%d bytes), want it cut to %d bytes on a character boundary", got, len(got), maxFlash)
	}
	if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("shown flash not deleted: %+v", c)
	}
}
