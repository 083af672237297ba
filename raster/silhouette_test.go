package raster

import (
	"context"
	"flag"
	"image"
	"image/color"
	"path/filepath"
	"testing"
)

var blenderDir = flag.String("blender", "", "folder of Blender reference renders (NAME.png, 512²) to store as silhouette masks")

// TestSilhouette checks the camera convention against Blender: our 512²
// render's alpha > 0.5 mask must overlap the mask of Blender's Cycles
// render of the same model (stored in testdata/silhouettes, made with
// ../shared/anchors/blender-render.sh and -blender DIR) with IoU ≥ 0.98.
func TestSilhouette(t *testing.T) {
	for name, path := range corpusModels(t) {
		t.Run(name, func(t *testing.T) {
			maskPath := filepath.Join("testdata", "silhouettes", name+".png")
			if *blenderDir != "" {
				ref := readPNG(t, filepath.Join(*blenderDir, name+".png"))
				writePNG(t, maskPath, silhouetteMask(ref))
			}
			want := readPNG(t, maskPath)
			img, err := loadModel(t, path).Render(context.Background(), Options{Size: 512})
			if err != nil {
				t.Fatal(err)
			}
			iou := maskIoU(want, silhouetteMask(img))
			t.Logf("%s IoU %.4f", name, iou)
			if iou < 0.98 {
				t.Errorf("silhouette IoU with Blender is %.4f, want ≥ 0.98", iou)
			}
		})
	}
}

// silhouetteMask is white where alpha > 0.5.
func silhouetteMask(img image.Image) *image.Gray {
	r := img.Bounds()
	m := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			if _, _, _, a := img.At(r.Min.X+x, r.Min.Y+y).RGBA(); a > 0x8000 {
				m.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	return m
}

// maskIoU is |A∩B| / |A∪B| of two masks (white = in), 0 for different sizes.
func maskIoU(a, b image.Image) float64 {
	ra, rb := a.Bounds(), b.Bounds()
	if ra.Dx() != rb.Dx() || ra.Dy() != rb.Dy() {
		return 0
	}
	var inter, union int
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			ya, _, _, _ := a.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			yb, _, _, _ := b.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			ia, ib := ya > 0x8000, yb > 0x8000
			if ia && ib {
				inter++
			}
			if ia || ib {
				union++
			}
		}
	}
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}
