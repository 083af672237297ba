package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var opsLog = regexp.MustCompile(`"ops":"(http://[^"]+)"`)

// checkServeOps: serve answers /metrics only on its ops listener
// (LUNEO_OPS_ADDR), which serves health and metrics and nothing else.
func checkServeOps(t *testing.T, srv *process) {
	t.Helper()
	if status, _, _ := get(t, srv.url+"/metrics"); status != http.StatusNotFound {
		t.Errorf("serve's public listener answers /metrics with %d, want 404", status)
	}
	m := opsLog.FindStringSubmatch(srv.stderr.String())
	if m == nil {
		t.Fatalf("serve logged no ops listener:\n%s", srv.stderr)
	}
	ops := m[1]
	waitFor(t, ops+"/readyz", ready)
	if status, _, body := get(t, ops+"/metrics"); status != http.StatusOK || !strings.Contains(body, "luneo_http_requests_total") {
		t.Errorf("ops /metrics: %d", status)
	}
	if status, _, _ := get(t, ops+"/"); status != http.StatusNotFound {
		t.Errorf("ops listener serves pages: %d", status)
	}
}
