package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// TestWebhookEndpoints walks the webhook API: the secret only in the
// answers that create or rotate it, pings and retries in the delivery log,
// clear refusals of bad URLs and topics, and another brand's IDs as 404.
func TestWebhookEndpoints(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	a := webtest.Bearer(e.RegisterAndLogin("hooks-a@example.com"))
	b := webtest.Bearer(e.RegisterAndLogin("hooks-b@example.com"))

	got := e.API("POST", "/api/webhooks/endpoints", map[string]any{"url": "https://hooks.example.com/luneo",
		"topics": []string{"order.created", "order.ready"}, "description": "ERP"}, a)
	secret, _ := got.Body["secret"].(string)
	ep, _ := got.Body["endpoint"].(map[string]any)
	if got.Status != http.StatusCreated || !strings.HasPrefix(secret, "whsec_") || ep == nil {
		t.Fatalf("create: %d %v", got.Status, got.Body)
	}
	if cc := got.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q on the answer with the secret", cc)
	}
	id, _ := ep["id"].(string)
	base := "/api/webhooks/endpoints/" + id

	for _, path := range []string{base, "/api/webhooks/endpoints"} {
		r := e.API("GET", path, nil, a)
		if r.Status != http.StatusOK || strings.Contains(hookJSON(r), secret) || strings.Contains(hookJSON(r), "whsec_") {
			t.Fatalf("GET %s: %d %s", path, r.Status, hookJSON(r))
		}
	}
	if r := e.API("PATCH", base, map[string]any{"enabled": false, "topics": []string{"ping"}}, a); r.Status != http.StatusOK ||
		r.Body["endpoint"].(map[string]any)["enabled"] != false {
		t.Fatalf("PATCH: %d %v", r.Status, r.Body)
	}
	if r := e.API("POST", base+"/ping", nil, a); r.Status != http.StatusConflict {
		t.Fatalf("ping a disabled endpoint: %d %v", r.Status, r.Body)
	}
	e.API("PATCH", base, map[string]any{"enabled": true}, a)
	ping := e.API("POST", base+"/ping", nil, a)
	dl, _ := ping.Body["delivery"].(map[string]any)
	if ping.Status != http.StatusAccepted || dl["topic"] != "ping" || dl["status"] != "pending" {
		t.Fatalf("ping: %d %v", ping.Status, ping.Body)
	}
	did, _ := dl["id"].(string)
	if r := e.API("GET", base+"/deliveries?limit=5", nil, a); r.Status != http.StatusOK || !strings.Contains(hookJSON(r), did) {
		t.Fatalf("deliveries: %d %s", r.Status, hookJSON(r))
	}
	if r := e.API("GET", base+"/deliveries?limit=x", nil, a); r.Status != http.StatusBadRequest {
		t.Fatalf("bad limit: %d", r.Status)
	}
	if r := e.API("POST", "/api/webhooks/deliveries/"+did+"/retry", nil, a); r.Status != http.StatusAccepted {
		t.Fatalf("retry: %d %v", r.Status, r.Body)
	}
	if r := e.API("GET", "/api/webhooks/deliveries/"+did, nil, a); r.Status != http.StatusOK || !strings.Contains(hookJSON(r), `"payload":{`) {
		t.Fatalf("delivery: %d %s", r.Status, hookJSON(r))
	}

	// Another brand: every ID is unknown, and its list is empty.
	for _, c := range []struct{ method, path string }{{"GET", base}, {"PATCH", base}, {"DELETE", base},
		{"POST", base + "/rotate-secret"}, {"POST", base + "/ping"}, {"GET", base + "/deliveries"},
		{"GET", "/api/webhooks/deliveries/" + did}, {"POST", "/api/webhooks/deliveries/" + did + "/retry"}} {
		var body any
		if c.method == "PATCH" {
			body = map[string]any{"enabled": false}
		}
		if r := e.API(c.method, c.path, body, b); r.Status != http.StatusNotFound {
			t.Errorf("%s %s by another brand: %d", c.method, c.path, r.Status)
		}
	}
	if r := e.API("GET", "/api/webhooks/endpoints", nil, b); r.Status != http.StatusOK || !strings.Contains(hookJSON(r), `"endpoints":[]`) {
		t.Fatalf("another brand's list: %s", hookJSON(r))
	}

	rot := e.API("POST", base+"/rotate-secret", nil, a)
	if next, _ := rot.Body["secret"].(string); rot.Status != http.StatusOK || next == secret || !strings.HasPrefix(next, "whsec_") {
		t.Fatalf("rotate: %d %v", rot.Status, rot.Body)
	}

	for url, status := range map[string]int{"http://hooks.example.com": 400, "https://u:p@hooks.example.com": 400,
		"https://127.0.0.1/x": 422, "https://[::ffff:127.0.0.1]/x": 422, "https://169.254.169.254/": 422} {
		r := e.API("POST", "/api/webhooks/endpoints", map[string]any{"url": url, "topics": []string{"ping"}}, a)
		if r.Status != status {
			t.Errorf("%s: %d %v, want %d", url, r.Status, r.Body, status)
		}
	}
	if r := e.API("POST", "/api/webhooks/endpoints", map[string]any{"url": "https://a.example.com", "topics": []string{"order.nope"}}, a); r.Status != 400 ||
		!strings.Contains(hookJSON(r), "order.nope") {
		t.Fatalf("unknown topic: %d %s", r.Status, hookJSON(r))
	}
	if r := e.API("DELETE", base, nil, a); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d", r.Status)
	}
	if r := e.API("GET", base, nil, a); r.Status != http.StatusNotFound {
		t.Fatalf("after delete: %d", r.Status)
	}
}

// hookJSON is a result's body as JSON text, to search.
func hookJSON(r webtest.Result) string {
	b, _ := json.Marshal(r.Body)
	return string(b)
}
