// Command webbuild builds Luneo's browser code (what `make web` runs, from
// the repository root):
//
//  1. installs web/node_modules with `npm ci` when it is missing or older
//     than web/package-lock.json (npm must be on PATH for that step only);
//  2. bundles each web/src/*.ts entry point with esbuild's Go API into
//     internal/web/ui/static/dist/<name>.js (ES module, minified, with a linked
//     source map);
//  3. copies the Draco and KTX2 (Basis Universal) decoders that three.js
//     ships, and builds its meshopt decoder as a classic script, into
//     internal/web/ui/static/dist/decoders/, so <model-viewer> never loads
//     code from a CDN.
//
// The output folder is embedded into the luneo binary by internal/web; it
// is built, never committed. The Go build works without it: pages then say
// that the 3D preview is unavailable.
//
// Usage:
//
//	go run ./cmd/webbuild [-web web] [-out internal/web/ui/static/dist] [-typecheck]
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "webbuild:", err)
		os.Exit(1)
	}
}
