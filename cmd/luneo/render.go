package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/raster"
)

const renderUsage = `Usage:
  luneo render [--size N] [--view NAME] [--background #RRGGBB|transparent] IN OUT.png
        draw a model to a square PNG with the pure-Go renderer: the camera
        frames the scene's bounding sphere (the Blender reference's
        convention), N is the side in pixels (default 1024, at most 4096),
        NAME one of three-quarter (default), front, back, left, right, top
`

// runRender is `luneo render`.
func runRender(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stderr, renderUsage) }
	size := fs.Int("size", raster.DefaultSize, "image side in pixels")
	view := fs.String("view", raster.ViewThreeQuarter, "camera view: "+strings.Join(raster.Views(), ", "))
	bgFlag := fs.String("background", "transparent", "#RRGGBB or transparent")
	files, err := parseFlags(fs, args, stderr)
	if err != nil || len(files) != 2 {
		return orUsage(err, "render needs IN and OUT.png")
	}
	in, out := files[0], files[1]
	if !strings.EqualFold(filepath.Ext(out), ".png") {
		return usageError{fmt.Sprintf("render: output %q must end in .png", out)}
	}
	if *size < 1 || *size > raster.MaxSize {
		return usageError{fmt.Sprintf("render: --size %d is outside 1..%d", *size, raster.MaxSize)}
	}
	if !validView(*view) {
		return usageError{fmt.Sprintf("render: --view %q is not one of %s", *view, strings.Join(raster.Views(), ", "))}
	}
	bg, err := parseBackground(*bgFlag)
	if err != nil {
		return usageError{"render: " + err.Error()}
	}
	start := time.Now()
	doc, err := readInput(in, stderr)
	if err != nil {
		return err
	}
	m, err := raster.Load(doc, raster.LoadOptions{})
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	loaded := time.Since(start)
	img, err := m.Render(ctx, raster.Options{Size: *size, View: *view, Background: bg})
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	drawn := time.Since(start) - loaded
	enc := png.Encoder{CompressionLevel: png.BestSpeed} // renders are previews: speed over bytes
	if err := writeFileAtomic(out, func(w io.Writer) error { return enc.Encode(w, img) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s → %s: %d×%d, %s view, %d triangles; read+load %v, render %v, total %v\n",
		in, out, *size, *size, *view, m.Triangles(), loaded.Round(time.Millisecond),
		drawn.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return nil
}

func validView(v string) bool {
	for _, name := range raster.Views() {
		if v == name {
			return true
		}
	}
	return false
}

// parseBackground reads "transparent" (nil) or "#RRGGBB".
func parseBackground(s string) (*color.NRGBA, error) {
	if strings.EqualFold(s, "transparent") {
		return nil, nil
	}
	h, ok := strings.CutPrefix(s, "#")
	if !ok || len(h) != 6 {
		return nil, fmt.Errorf("--background %q is not #RRGGBB or transparent", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return nil, fmt.Errorf("--background %q is not #RRGGBB or transparent", s)
	}
	return &color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}, nil
}
