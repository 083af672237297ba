package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"
)

// config is what one build needs; run fills it from the flags.
type config struct {
	webDir    string // folder of package.json, package-lock.json and src/
	outDir    string // the dist folder internal/web embeds
	typecheck bool   // also run `npm run typecheck` (tsc --noEmit)
	stdout    io.Writer
	stderr    io.Writer
	// lookPath finds npm; tests replace it to play a machine without npm.
	lookPath func(string) (string, error)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("webbuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := config{stdout: stdout, stderr: stderr, lookPath: lookPathNPM}
	fs.StringVar(&c.webDir, "web", "web", "`folder` holding package.json and src/")
	fs.StringVar(&c.outDir, "out", filepath.FromSlash("internal/web/ui/static/dist"), "`folder` to write the bundles and decoders to (replaced whole)")
	fs.BoolVar(&c.typecheck, "typecheck", false, "also type-check web/src with tsc (npm run typecheck)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return build(ctx, c)
}

// build runs the whole pipeline. It writes into a hidden sibling folder
// first and swaps it in at the end, so a failed build leaves the previous
// dist/ as it was, and a half-written one is never embedded (go:embed and
// web.NewAssets both skip names starting with ".").
func build(ctx context.Context, c config) error {
	start := time.Now()
	if err := ensureNodeModules(ctx, c); err != nil {
		return err
	}
	installed := time.Now()
	if c.typecheck {
		if err := npm(ctx, c, "run", "--silent", "typecheck"); err != nil {
			return fmt.Errorf("type check failed (fix the errors above): %w", err)
		}
	}
	checked := time.Now()

	tmp := filepath.Join(filepath.Dir(c.outDir), "."+filepath.Base(c.outDir)+".building")
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	entries, err := entryPoints(c.webDir)
	if err != nil {
		return err
	}
	if err := bundle(c.webDir, entries, tmp, c.stderr); err != nil {
		return err
	}
	if err := buildDecoders(c.webDir, filepath.Join(tmp, "decoders"), c.stderr); err != nil {
		return err
	}
	if err := os.RemoveAll(c.outDir); err != nil {
		return err
	}
	if err := os.Rename(tmp, c.outDir); err != nil {
		return fmt.Errorf("move the build into place: %w", err)
	}
	built := time.Now()

	if err := report(c.stdout, c.outDir); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "web build: %s in %v (npm %v, typecheck %v, esbuild and decoders %v)\n",
		c.outDir, built.Sub(start).Round(time.Millisecond), installed.Sub(start).Round(time.Millisecond),
		checked.Sub(installed).Round(time.Millisecond), built.Sub(checked).Round(time.Millisecond))
	return nil
}

// entryPoints lists web/src/*.ts: every top-level TypeScript file is a
// bundle that a page can load; shared code lives in web/src/lib/.
func entryPoints(webDir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(webDir, "src", "*.ts"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if strings.HasSuffix(m, ".d.ts") {
			continue
		}
		abs, err := filepath.Abs(m)
		if err != nil {
			return nil, err
		}
		out = append(out, abs)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no entry points: %s has no *.ts files", filepath.Join(webDir, "src"))
	}
	sort.Strings(out)
	return out, nil
}

// bundle builds each entry point into outDir/<name>.js with its .map.
//
// No code splitting: the dashboard serves files only under content-hashed
// URLs, which a chunk importing "./chunk-X.js" by its plain name could not
// reach, and each page loads one or two islands anyway.
func bundle(webDir string, entries []string, outDir string, stderr io.Writer) error {
	abs, err := filepath.Abs(webDir)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(outDir)
	if err != nil {
		return err
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     abs,
		EntryPoints:       entries,
		Outdir:            absOut,
		Bundle:            true,
		Write:             true,
		Format:            api.FormatESModule,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2022,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Sourcemap:         api.SourceMapLinked,
		Charset:           api.CharsetUTF8,
		LogLevel:          api.LogLevelSilent, // messages are returned and printed below
		Tsconfig:          filepath.Join(abs, "tsconfig.json"),
	})
	return buildErr("bundle web/src", res, stderr)
}

// buildErr prints esbuild's warnings and turns its errors into one error.
func buildErr(what string, res api.BuildResult, stderr io.Writer) error {
	for _, m := range api.FormatMessages(res.Warnings, api.FormatMessagesOptions{Kind: api.WarningMessage}) {
		fmt.Fprint(stderr, m)
	}
	if len(res.Errors) == 0 {
		return nil
	}
	msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
	return errors.New(what + ":\n" + strings.Join(msgs, ""))
}
