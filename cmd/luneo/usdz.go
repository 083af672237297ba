package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/usdz"
)

const usdzUsage = `Usage:
  luneo usdz [--max-texture N] [--memory BYTES] IN OUT.usdz
        convert a GLB, .gltf or .zip model to a USDZ package for AR Quick
        Look (textures larger than N pixels, default 2048, are scaled down;
        images are decoded only as far as BYTES, default 268435456, allow
        at once); prints the converter's warnings
  luneo usdz --check FILE.usdz
        verify a package's layout rules (stored entries, 64-byte aligned
        data, root layer first, relative paths, PNG/JPEG textures)
`

// runUSDZ is `luneo usdz`, the seed's tools/usdz-converter in pure Go.
func runUSDZ(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("usdz", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stderr, usdzUsage) }
	maxTex := fs.Int("max-texture", 2048, "largest texture width or height in the package")
	memory := fs.Int64("memory", usdz.DefaultMemoryBudget, "image memory the conversion may hold at once, in bytes")
	check := fs.Bool("check", false, "verify the layout of a USDZ package instead of converting")
	files, err := parseFlags(fs, args, stderr)
	if *check && err == nil && len(files) == 1 {
		return usdzCheck(files[0], stdout)
	}
	if err != nil || *check || len(files) != 2 {
		return orUsage(err, "usdz needs IN and OUT.usdz (or --check FILE.usdz)")
	}
	in, out := files[0], files[1]
	start := time.Now()
	doc, err := readInput(in, stderr)
	if err != nil {
		return err
	}
	pkg, err := usdz.Convert(ctx, doc, usdz.Options{MaxTextureSize: *maxTex, MemoryBudget: *memory})
	if err != nil {
		return fmt.Errorf("convert %s: %w", in, err)
	}
	if err := writeFileAtomic(out, func(w io.Writer) error { _, err := pkg.WriteTo(w); return err }); err != nil {
		return err
	}
	for _, w := range pkg.Warnings {
		fmt.Fprintf(stderr, "%s: warning: %s\n", in, w)
	}
	fmt.Fprintf(stdout, "%s → %s: %d bytes, %d meshes, %d materials, %d textures, %d triangles in %v, %s of images at most at once (converter %s)\n",
		in, out, len(pkg.Bytes), pkg.Stats.Meshes, pkg.Stats.Materials, pkg.Stats.Textures, pkg.Stats.Triangles,
		time.Since(start).Round(time.Millisecond), gltf.MiB(pkg.Stats.PeakImageMemory), usdz.Version)
	return nil
}

func usdzCheck(path string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := usdz.Check(f, st.Size()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(stdout, "%s: a valid USDZ package\n", path)
	return nil
}
