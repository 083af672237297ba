//go:build nodynamic

package compose

// Built with -tags nodynamic: no system libraries, Go inflates.

// InflateBackend says which inflater PNG decoding uses.
func InflateBackend() string { return "go" }

// inflateSystem never applies.
func inflateSystem(_, _ []byte) (bool, error) { return false, nil }
