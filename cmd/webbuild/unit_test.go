package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

// TestWebUnits runs the browser code's unit tests: every web/src/**/*.test.ts
// (pure modules, no DOM: the customizer's document edits, undo history,
// prices, image checks, geometry, keys, locales) bundled by esbuild for
// Node and run with node, which needs no npm package. It is skipped where
// Node is not installed; the bundles themselves need Node's npm anyway.
func TestWebUnits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the web unit tests need it")
	}
	web, err := filepath.Abs(filepath.Join("..", "..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	err = filepath.WalkDir(filepath.Join(web, "src"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, ".test.ts") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no *.test.ts under web/src")
	}
	out := t.TempDir()
	for _, f := range files {
		name, _ := filepath.Rel(web, f)
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			t.Parallel()
			bundle := filepath.Join(out, strings.NewReplacer("/", "_", `\`, "_").Replace(name)+".mjs")
			res := api.Build(api.BuildOptions{
				AbsWorkingDir: web,
				EntryPoints:   []string{f},
				Outfile:       bundle,
				Bundle:        true,
				Write:         true,
				Format:        api.FormatESModule,
				Platform:      api.PlatformNode,
				Target:        api.ES2022,
				LogLevel:      api.LogLevelSilent,
				Tsconfig:      filepath.Join(web, "tsconfig.json"),
			})
			if err := buildErr("bundle "+name, res, os.Stderr); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), node, bundle)
			b, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, b)
			}
			t.Logf("%s", b)
		})
	}
}
