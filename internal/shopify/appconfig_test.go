package shopify_test

import (
	"bufio"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

// readTOML reads the subset of TOML shopify.app.toml uses: comments,
// [table] and [[array.of.tables]] headers, key = "string" | true/false |
// ["string", …] (possibly over several lines). Keys come back dotted with
// their table ("webhooks.api_version"); an array of tables' keys get its
// index ("webhooks.subscriptions.0.uri").
func readTOML(t *testing.T, path string) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]any{}
	counts := map[string]int{}
	table := ""
	sc := bufio.NewScanner(f)
	pending := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(stripComment(sc.Text()))
		if pending != "" {
			pending += " " + line
			if !strings.HasSuffix(line, "]") {
				continue
			}
			line, pending = pending, ""
		}
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "[[") && strings.HasSuffix(line, "]]"):
			name := strings.TrimSpace(line[2 : len(line)-2])
			table = name + "." + strconv.Itoa(counts[name]) + "."
			counts[name]++
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			table = strings.TrimSpace(line[1:len(line)-1]) + "."
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s:%d: not key = value: %q", path, n, line)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if strings.HasPrefix(val, "[") && !strings.HasSuffix(val, "]") {
			pending = key + " = " + val
			continue
		}
		out[table+key] = tomlValue(t, val)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func stripComment(s string) string {
	in := false
	for i, c := range s {
		switch {
		case c == '"':
			in = !in
		case c == '#' && !in:
			return s[:i]
		}
	}
	return s
}

func tomlValue(t *testing.T, v string) any {
	switch {
	case v == "true" || v == "false":
		return v == "true"
	case strings.HasPrefix(v, `"`):
		s, err := strconv.Unquote(v)
		if err != nil {
			t.Fatalf("bad string %s", v)
		}
		return s
	case strings.HasPrefix(v, "["):
		var list []string
		for _, item := range strings.Split(strings.Trim(v, "[]"), ",") {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, tomlValue(t, item).(string))
			}
		}
		return list
	}
	t.Fatalf("unsupported TOML value %s", v)
	return nil
}

func pathOf(t *testing.T, raw any) string {
	t.Helper()
	s, _ := raw.(string)
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		t.Fatalf("%q is not an https URL", s)
	}
	return u.Path
}

// TestAppConfiguration: shopify/shopify.app.toml agrees with the code.
func TestAppConfiguration(t *testing.T) {
	c := readTOML(t, filepath.Join("..", "..", "shopify", "shopify.app.toml"))
	if c["embedded"] != true || c["client_id"] == "" || c["name"] == "" {
		t.Fatalf("app: %v", c)
	}
	if shopifytest.APIVersion != shopify.APIVersion {
		t.Errorf("the fake's deliveries claim %s, the code pins %s", shopifytest.APIVersion, shopify.APIVersion)
	}
	if got := c["webhooks.api_version"]; got != shopify.APIVersion {
		t.Errorf("webhooks.api_version %v, the code pins %s", got, shopify.APIVersion)
	}
	if got := c["access_scopes.scopes"]; got != strings.Join(shopify.DefaultScopes, ",") {
		t.Errorf("scopes %v, the default is %v", got, shopify.DefaultScopes)
	}
	if p := pathOf(t, c["application_url"]); p != shopify.AppPath {
		t.Errorf("application_url path %s, the app page is %s", p, shopify.AppPath)
	}
	redirects, _ := c["auth.redirect_urls"].([]string)
	if len(redirects) != 1 || pathOf(t, redirects[0]) != shopify.CallbackPath {
		t.Errorf("redirect_urls %v, the callback is %s", redirects, shopify.CallbackPath)
	}
	if p := pathOf(t, c["webhooks.subscriptions.0.uri"]); p != shopify.WebhookPath {
		t.Errorf("webhook uri path %s, the route is %s", p, shopify.WebhookPath)
	}
	topics, _ := c["webhooks.subscriptions.0.compliance_topics"].([]string)
	slices.Sort(topics)
	if !slices.Equal(topics, []string{"customers/data_request", "customers/redact", "shop/redact"}) {
		t.Errorf("compliance_topics %v", topics)
	}
	// One origin for every URL (the deployer replaces it once).
	origin := func(s string) string { u, _ := url.Parse(s); return u.Host }
	for _, u := range []string{c["application_url"].(string), redirects[0], c["webhooks.subscriptions.0.uri"].(string)} {
		if origin(u) != origin(c["application_url"].(string)) {
			t.Errorf("%s is on another host than application_url", u)
		}
	}
}
