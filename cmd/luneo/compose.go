package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/compose/fonts"
)

const composeUsage = `Usage:
  luneo compose [--size N] [--quality Q] [--method M] SCENE.json OUT.png|OUT.webp|OUT.pdf
        draw a scene (compose/SCENE.md) of images, text and fills; image
        srcs and font files are relative to the scene's folder. --size fits
        a PNG or WebP within NxN keeping the aspect ratio; --quality is the
        WebP quality (1-100, default 90); --method is libwebp's speed/size
        trade-off (0 fast .. 6 small, default 2). A PDF is vector, page
        size = scene pixels / dpi, with text as embedded subset fonts.
        LUNEO_FONT_DIR names a folder of extra .ttf/.otf fonts (CJK).
`

// composeMemoryLimit is the heap size at which `luneo compose` collects
// garbage for a small output (it runs without the collector below it).
const composeMemoryLimit = 512 << 20

// smallOutput is the largest output, in pixels, drawn without the
// collector (16 Mpx, 64 MB of RGBA: a 4096² texture).
const smallOutput = 16 << 20

// runCompose is `luneo compose`.
func runCompose(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compose", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stderr, composeUsage) }
	size := fs.Int("size", 0, "fit a raster output within NxN pixels")
	quality := fs.Int("quality", 90, "WebP quality, 1-100")
	method := fs.Int("method", compose.DefaultWebPMethod, "WebP method, 0-6")
	files, err := parseFlags(fs, args, stderr)
	if err != nil || len(files) != 2 {
		return orUsage(err, "compose needs SCENE.json and OUT.png, OUT.webp or OUT.pdf")
	}
	in, out := files[0], files[1]
	ext := strings.ToLower(filepath.Ext(out))
	switch {
	case ext != ".png" && ext != ".webp" && ext != ".pdf":
		return usageError{fmt.Sprintf("compose: output %q must end in .png, .webp or .pdf", out)}
	case *size < 0 || *size > compose.MaxSide*4:
		return usageError{fmt.Sprintf("compose: --size %d is outside 1..%d", *size, compose.MaxSide*4)}
	case *quality < 1 || *quality > 100:
		return usageError{fmt.Sprintf("compose: --quality %d is outside 1..100", *quality)}
	case *method < 0 || *method > 6:
		return usageError{fmt.Sprintf("compose: --method %d is outside 0..6", *method)}
	}
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("compose: %w", err)
	}
	scene, err := compose.ParseScene(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	dir := filepath.Dir(in)
	set := fonts.Bundled()
	if fd := getenv("LUNEO_FONT_DIR"); fd != "" {
		if err := set.AddDir(fd); err != nil {
			return fmt.Errorf("LUNEO_FONT_DIR: %w", err)
		}
	}
	if err := loadFontFiles(scene, set, dir); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	opts := compose.Options{Fonts: set, Sources: compose.DirSources{Dir: dir}}
	if ext != ".pdf" {
		opts.Scale = compose.FitScale(scene.Width, scene.Height, *size)
	}
	scale := opts.Scale
	if scale == 0 { // PDF: the scene's own size
		scale = 1
	}
	// A small output is one short run whose big buffers mostly live until
	// it ends: collecting early would only scan them (measured: a third of
	// the CPU time of the benchmark composite), so the collector waits for
	// composeMemoryLimit (or GOMEMLIMIT). Large outputs stream in bands,
	// each band garbage once written: they keep the collector as it is.
	// Both settings are restored for in-process callers.
	if float64(scene.Width)*float64(scene.Height)*scale*scale <= smallOutput {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		if _, ok := softMemoryLimit(getenv); ok {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(composeMemoryLimit))
		}
	}
	err = writeFileAtomic(out, func(w io.Writer) error {
		switch ext {
		case ".pdf":
			return compose.WritePDF(ctx, w, scene, opts)
		case ".png":
			return compose.WritePNGBands(ctx, w, scene, opts, 512)
		}
		img, err := compose.Render(ctx, scene, opts)
		if err != nil {
			return err
		}
		return compose.WriteWebPMethod(w, img, *quality, *method)
	})
	if err != nil {
		return fmt.Errorf("compose %s: %w", in, err)
	}
	fmt.Fprintf(stdout, "%s → %s\n", in, out)
	return nil
}

// loadFontFiles adds the font files text layers name by path (relative to
// the scene's folder) that are not already in the set.
func loadFontFiles(s *compose.Scene, set *fonts.Set, dir string) error {
	for i, l := range s.Layers {
		if l.Type != "text" {
			continue
		}
		if _, err := set.Lookup(l.Font, l.Bold); err == nil {
			continue
		}
		ext := strings.ToLower(filepath.Ext(l.Font))
		if ext != ".ttf" && ext != ".otf" && ext != ".ttc" && ext != ".otc" {
			continue // Render reports the unknown family with the list
		}
		path := l.Font
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if _, err := set.AddFileAs(l.Font, path); err != nil {
			return fmt.Errorf("layer %d: font: %w", i, err)
		}
	}
	return nil
}
