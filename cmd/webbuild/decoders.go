package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/evanw/esbuild/pkg/api"
)

// threeLibs is where three.js keeps the decoders its loaders use; the
// version is the one model-viewer is built against (pinned in package.json).
const threeLibs = "node_modules/three/examples/jsm/libs"

// decoderFiles are copied as they are: source path under threeLibs →
// destination under decoders/. three's DRACOLoader and KTX2Loader fetch
// these names from the folder they are given and start them in a Web
// Worker.
//
// Draco comes from draco/gltf/, the build restricted to what glTF's
// KHR_draco_mesh_compression uses (smaller than the full one). Only the
// WebAssembly decoder is shipped: the pure-JavaScript fallback (another
// 500 KB) is for browsers without WebAssembly, which cannot run WebGL 2
// and so cannot run model-viewer either.
var decoderFiles = map[string]string{
	"draco/gltf/draco_wasm_wrapper.js": "draco/draco_wasm_wrapper.js",
	"draco/gltf/draco_decoder.wasm":    "draco/draco_decoder.wasm",
	"basis/basis_transcoder.js":        "basis/basis_transcoder.js",
	"basis/basis_transcoder.wasm":      "basis/basis_transcoder.wasm",
}

// buildDecoders fills outDir with the decoders <model-viewer> is pointed at
// (see web/src/lib/decoders.ts).
//
// The meshopt decoder is built rather than copied: model-viewer loads the
// file at meshoptDecoderLocation with a classic <script> tag, but three
// ships it only as an ES module (an `export` in a classic script is a
// syntax error). esbuild turns the same module into a script that defines
// the global MeshoptDecoder, as meshoptimizer's own classic build does.
func buildDecoders(webDir, outDir string, stderr io.Writer) error {
	libs := filepath.Join(webDir, filepath.FromSlash(threeLibs))
	for src, dst := range decoderFiles {
		if err := copyFile(filepath.Join(libs, filepath.FromSlash(src)), filepath.Join(outDir, filepath.FromSlash(dst))); err != nil {
			return fmt.Errorf("copy decoder (is three installed in %s/node_modules?): %w", webDir, err)
		}
	}
	abs, err := filepath.Abs(libs)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(outDir)
	if err != nil {
		return err
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{filepath.Join(abs, "meshopt_decoder.module.js")},
		Outfile:           filepath.Join(absOut, "meshopt_decoder.js"),
		Bundle:            true,
		Write:             true,
		Format:            api.FormatIIFE,
		GlobalName:        "MeshoptDecoder",
		Footer:            map[string]string{"js": "MeshoptDecoder=MeshoptDecoder.MeshoptDecoder;"},
		Platform:          api.PlatformBrowser,
		Target:            api.ES2022,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LogLevel:          api.LogLevelSilent,
	})
	return buildErr("build the meshopt decoder", res, stderr)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
