// Package shopify holds no Go code: its folders are the Shopify app's
// extensions (extensions/luneo-theme, a theme app extension; and
// extensions/luneo-price, a Cart Transform function). This test runs their
// Node checks from `go test ./...`: Theme Check with the theme-app-extension
// config (tools/theme-check) and the node:test suites. Like the Khronos
// validator comparisons, it skips when Node or the pinned packages are
// missing, except under CI (LUNEO_TEST_NODE=1), where that is a failure.
package shopify

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// node returns the node binary, or skips (fails under LUNEO_TEST_NODE).
func node(t *testing.T) string {
	t.Helper()
	skip := t.Skipf
	if os.Getenv("LUNEO_TEST_NODE") != "" {
		skip = t.Fatalf
	}
	bin, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed: skipping the Shopify extensions' Node checks")
	}
	return bin
}

func runNode(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestThemeCheck runs Shopify's Theme Check on the theme app extension with
// the theme-app-extension config: any offense fails.
func TestThemeCheck(t *testing.T) {
	bin := node(t)
	dir, _ := filepath.Abs(filepath.Join("..", "tools", "theme-check"))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@shopify", "theme-check-node")); err != nil {
		skip := t.Skipf
		if os.Getenv("LUNEO_TEST_NODE") != "" {
			skip = t.Fatalf
		}
		skip("Theme Check is not installed: run `npm ci` in %s", dir)
	}
	out := runNode(t, bin, filepath.Join(dir, "check.mjs"), filepath.Join("extensions", "luneo-theme"))
	t.Log(strings.TrimSpace(out))
	if !strings.Contains(out, " 0 offenses") {
		t.Fatalf("theme check: %s", out)
	}
}

// TestNodeSuites runs the Cart Transform function's tests and the
// Personalize block's helper tests (node:test, no packages needed).
func TestNodeSuites(t *testing.T) {
	bin := node(t)
	out := runNode(t, bin, "--test", filepath.Join("extensions", "luneo-price", "tests"), "tests")
	if !strings.Contains(out, "# fail 0") || strings.Contains(out, "# pass 0\n") {
		t.Fatalf("node --test: %s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "# pass") || strings.HasPrefix(l, "# tests") {
			t.Log(l)
		}
	}
}
