package catalog

import (
	"fmt"

	"github.com/luneo/luneo/gltf"
)

// renderable refuses a model that is valid glTF but that Luneo cannot draw,
// convert to USDZ or print on (see gltf.Undrawable: a .gltf whose buffers
// have no uri, an accessor of unknown type). readModel calls it after
// validation, so a broken file still gets the validator's errors first;
// this is a separate 422 whose issues carry our own codes
// (BUFFER_DATA_MISSING, UNKNOWN_ACCESSOR_TYPE) and say what to fix.
func renderable(doc *gltf.Document) error {
	issues := gltf.Undrawable(doc)
	if len(issues) == 0 {
		return nil
	}
	msg := "it is valid glTF but cannot be drawn: " + issues[0].Message
	if len(issues) > 1 {
		msg += fmt.Sprintf(" (and %d more problem(s) of this kind)", len(issues)-1)
	}
	return refused(msg, issues...)
}
