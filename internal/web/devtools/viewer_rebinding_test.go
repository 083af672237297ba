package devtools_test

import (
	"net/http"
	"testing"
)

// TestViewerTestRefusesReboundHosts: a request from a loopback peer that
// names another host (a DNS-rebinding page in the developer's browser)
// finds nothing, on the page and on its JSON route; loopback names, with or
// without a port, work.
func TestViewerTestRefusesReboundHosts(t *testing.T) {
	t.Parallel()
	dev, _ := testViewerServer(t, true)
	for host, ok := range map[string]bool{
		"evil.example": false, "evil.example:8080": false, "127.0.0.1.evil.example": false, "localhost.evil.example:8080": false,
		"": false, "0.0.0.0:8080": false, "192.0.2.7:8080": false, "[2001:db8::1]:8080": false,
		"localhost": true, "LOCALHOST:8080": true, "127.0.0.1": true, "127.0.0.1:8080": true, "[::1]:8080": true, "[::1]": true,
	} {
		page := viewerRequestHost(dev, http.MethodGet, "/viewer-test", host, "")
		zone := viewerRequestHost(dev, http.MethodPost, "/viewer-test/zones", host, `{}`)
		if ok && (page.Code != http.StatusOK || zone.Code == http.StatusNotFound) {
			t.Errorf("Host %q: page %d, zones %d; want 200 and an answer about the zone", host, page.Code, zone.Code)
		}
		if !ok && (page.Code != http.StatusNotFound || zone.Code != http.StatusNotFound) {
			t.Errorf("Host %q: page %d, zones %d; want 404 for both", host, page.Code, zone.Code)
		}
	}
}
