package catalog

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/luneo/luneo/gltf"
)

// checkTextureMemory refuses a model whose images would take more than
// budget bytes once decoded (LUNEO_MAX_TEXTURE_MEMORY), reading only their
// headers: a few megabytes of compressed PNG can hold gigabytes of pixels,
// and everything downstream (USDZ conversion, renders, the shopper's
// browser) decodes them. It runs on the file as uploaded, before any
// optimization could shrink the images, so the limit means the same for
// every copy made later. Images whose size cannot be read are refused too:
// what cannot be measured cannot be budgeted. An accepted model's image
// footprints are returned for the steps that decode them.
func checkTextureMemory(doc *gltf.Document, budget int64) ([]gltf.ImageFootprint, error) {
	fps, total, err := gltf.ImageFootprints(doc)
	if herr, ok := errors.AsType[*gltf.ImageHeaderError](err); ok {
		issues := make([]gltf.Issue, len(herr.Images))
		for i, im := range herr.Images {
			issues[i] = gltf.Issue{Code: "IMAGE_SIZE_UNREADABLE", Severity: gltf.SeverityError, Pointer: fmt.Sprintf("/images/%d", im.Index),
				Message: fmt.Sprintf("the size of this image cannot be read (%v): use PNG, JPEG, WebP or KTX2", im.Err)}
		}
		return nil, refused(herr.Error(), issues...)
	} else if err != nil {
		return nil, fmt.Errorf("check texture memory: %w", err)
	}
	if total <= budget {
		return fps, nil
	}
	issues := make([]gltf.Issue, len(fps))
	for i, f := range fps {
		issues[i] = gltf.Issue{Code: "TEXTURE_MEMORY_EXCEEDED", Severity: gltf.SeverityError, Pointer: fmt.Sprintf("/images/%d", f.Index),
			Message: f.String()}
	}
	// The message names the largest images; the details list them all.
	largest := slices.Clone(fps)
	slices.SortStableFunc(largest, func(a, b gltf.ImageFootprint) int { return cmp.Compare(b.Bytes, a.Bytes) })
	names := make([]string, 0, 5)
	for _, f := range largest[:min(len(largest), 5)] {
		names = append(names, f.String())
	}
	if more := len(largest) - len(names); more > 0 {
		names = append(names, fmt.Sprintf("and %d more", more))
	}
	msg := fmt.Sprintf("its images take %s once decoded, more than the %s allowed (LUNEO_MAX_TEXTURE_MEMORY): %s; scale them down (at most 4096×4096 is plenty for a product) or save them at 8 bits per channel",
		gltf.MiB(total), gltf.MiB(budget), strings.Join(names, ", "))
	return nil, refused(msg, issues...)
}
