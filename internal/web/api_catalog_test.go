package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRouteBodyLimit checks that a route declared with bodyLimit accepts
// bodies up to its own limit, declared or streamed, while every other route
// keeps MaxBody.
func TestRouteBodyLimit(t *testing.T) {
	s, _ := newTestServer(t, nil) // MaxBody 1024
	mux := http.NewServeMux()
	read := func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			s.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
	mux.Handle("POST /upload/{id}", bodyLimit(4096, read))
	mux.HandleFunc("POST /small", read)
	h := s.limitRouteBody(mux, mux)
	for _, c := range []struct {
		path    string
		size    int
		chunked bool
		want    int
	}{
		{"/upload/1", 4000, false, 204},
		{"/upload/1", 4000, true, 204},
		{"/upload/1", 5000, false, 413},
		{"/upload/1", 5000, true, 413},
		{"/small", 1000, false, 204},
		{"/small", 2000, false, 413},
		{"/small", 2000, true, 413},
	} {
		req := httptest.NewRequest("POST", c.path, strings.NewReader(strings.Repeat("x", c.size)))
		if c.chunked {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s, %d bytes (chunked %v): %d, want %d", c.path, c.size, c.chunked, rec.Code, c.want)
		}
	}
}
