package shopify_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/shopify"
)

// libraryVectors are what tools/shopify-vectors/vectors.mjs prints: cases
// made and judged by @shopify/shopify-api itself (the pinned version).
type libraryVectors struct {
	Now   int64 `json:"now"`
	OAuth []struct {
		Name         string `json:"name"`
		Query        string `json:"query"`
		LibraryValid bool   `json:"library_valid"`
	} `json:"oauth"`
	Webhooks []struct {
		Name         string `json:"name"`
		Body         string `json:"body_base64"`
		HMAC         string `json:"hmac"`
		LibraryValid bool   `json:"library_valid"`
	} `json:"webhooks"`
	SessionTokens []struct {
		Name         string `json:"name"`
		Token        string `json:"token"`
		LibraryValid bool   `json:"library_valid"`
		LuneoValid   bool   `json:"luneo_valid"`
	} `json:"session_tokens"`
}

// TestLibraryVectors: our verifiers agree with Shopify's own library on
// every vector it produced; on session tokens Luneo may only be stricter
// (it checks dest and iss too), never laxer. Needs Node (CI sets
// LUNEO_TEST_NODE=1, making a missing Node a failure); installs the
// library with npm ci on first use.
func TestLibraryVectors(t *testing.T) {
	skip := t.Skipf
	if os.Getenv("LUNEO_TEST_NODE") != "" {
		skip = t.Fatalf
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed: skipping the comparison with @shopify/shopify-api")
	}
	dir, _ := filepath.Abs(filepath.Join("..", "..", "tools", "shopify-vectors"))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@shopify", "shopify-api")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			skip("npm is not installed: cannot install @shopify/shopify-api in %s", dir)
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			skip("npm ci in %s: %v\n%s", dir, err, out)
		}
	}
	cmd := exec.Command(node, "vectors.mjs", apiKey, apiSecret)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("vectors.mjs: %v\n%s", err, stderr.Bytes())
	}
	var v libraryVectors
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.OAuth) < 10 || len(v.Webhooks) < 6 || len(v.SessionTokens) < 8 {
		t.Fatalf("too few vectors: %d, %d, %d", len(v.OAuth), len(v.Webhooks), len(v.SessionTokens))
	}
	for _, c := range v.OAuth {
		q, err := url.ParseQuery(c.Query)
		if err != nil {
			t.Fatal(err)
		}
		if got := shopify.ValidQueryHMAC(apiSecret, q); got != c.LibraryValid {
			t.Errorf("query %s (%s): ours %v, library %v", c.Name, c.Query, got, c.LibraryValid)
		}
	}
	for _, c := range v.Webhooks {
		body, err := base64.StdEncoding.DecodeString(c.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got := shopify.ValidBodyHMAC(apiSecret, body, c.HMAC); got != c.LibraryValid {
			t.Errorf("webhook %s: ours %v, library %v", c.Name, got, c.LibraryValid)
		}
	}
	now := time.Unix(v.Now, 0)
	for _, c := range v.SessionTokens {
		_, err := shopify.VerifySessionToken(apiKey, apiSecret, c.Token, now)
		if got := err == nil; got != c.LuneoValid {
			t.Errorf("session token %s: ours %v (%v), want %v", c.Name, got, err, c.LuneoValid)
		}
		if c.LuneoValid && !c.LibraryValid {
			t.Errorf("session token %s: Luneo accepts what the library refuses", c.Name)
		}
	}
}
