package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/luneo/luneo/internal/platform/config"
)

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + " (see luneo help)" }

const usage = `Luneo: 3D and AR product customization for brands.

Usage:
  luneo dev        run the HTTP server and the job worker in one process on
                   embedded defaults (SQLite and files under ./data); migrates
                   on start and creates a demo brand the first time
  luneo serve      run the HTTP server (needs LUNEO_SECRET; run migrate first);
                   its /healthz, /readyz and /metrics listen on LUNEO_OPS_ADDR
  luneo worker     run the job worker (needs LUNEO_SECRET); its /healthz,
                   /readyz and /metrics listen on LUNEO_OPS_ADDR
  luneo migrate    apply database and job queue migrations, then exit
  luneo gltf validate [--json] FILE...
                   check glTF/GLB/zip files (exit status 1 when one is invalid)
  luneo gltf inspect [--json] FILE
                   print a model's statistics
  luneo gltf optimize [--max-texture N] IN OUT
                   write a smaller GLB that keeps every node, mesh and
                   material name
  luneo usdz [--max-texture N] IN OUT.usdz
                   convert a model to USDZ for AR Quick Look
  luneo usdz --check FILE.usdz
                   verify a USDZ package's layout
  luneo render [--size N] [--view NAME] [--background #RRGGBB|transparent] IN OUT.png
                   draw a model to a PNG (pure-Go renderer; views: three-quarter,
                   front, back, left, right, top)
  luneo compose [--size N] [--quality Q] SCENE.json OUT.png|OUT.webp|OUT.pdf
                   draw a scene of images, text and fills (compose/SCENE.md)
  luneo version    print the version
  luneo help       print this help

Configuration comes from environment variables; see README.md for the table.
`

// run is the whole program: it returns when the command is done or ctx is
// cancelled (SIGINT/SIGTERM), after a graceful stop.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	if len(rest) > 0 && cmd != "help" && cmd != "gltf" && cmd != "usdz" && cmd != "compose" && cmd != "render" {
		return usageError{fmt.Sprintf("%s takes no arguments, got %q", cmd, strings.Join(rest, " "))}
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "luneo", buildVersion())
		return nil
	case "dev", "serve", "worker":
		if limit, ok := softMemoryLimit(getenv); ok {
			debug.SetMemoryLimit(limit)
		}
		return runServer(ctx, map[string]config.Mode{"dev": config.Dev, "serve": config.Serve, "worker": config.Worker}[cmd],
			getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, getenv, stdout, stderr)
	case "gltf":
		return runGLTF(ctx, rest, stdout, stderr)
	case "usdz":
		return runUSDZ(ctx, rest, stdout, stderr)
	case "render":
		return runRender(ctx, rest, stdout, stderr)
	case "compose":
		return runCompose(ctx, rest, getenv, stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// buildVersion is the -ldflags version, or the VCS revision Go recorded.
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return version
}

// DefaultMemoryLimit is the Go runtime's soft memory limit in dev, serve
// and worker when GOMEMLIMIT is not set: the collector works harder as the
// process nears it, so garbage left by one upload or conversion is
// returned before the next one's reservation is used rather than after,
// keeping the process under the 1 GiB the memory pools are sized for (see
// README "Memory limits"). It is soft: live memory above it slows the
// process (the collector takes at most half the CPU) but never fails it.
const DefaultMemoryLimit = 900 << 20

// softMemoryLimit is the limit run sets: DefaultMemoryLimit, unless the
// environment sets GOMEMLIMIT, which the Go runtime has applied already.
func softMemoryLimit(getenv func(string) string) (int64, bool) {
	if strings.TrimSpace(getenv("GOMEMLIMIT")) != "" {
		return 0, false
	}
	return DefaultMemoryLimit, true
}
