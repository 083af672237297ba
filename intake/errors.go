package intake

import (
	"fmt"
)

// inputError is what every function of the package returns: a message for
// the person who uploaded the file, one of the sentinels as its kind, and
// the underlying decoder or parser error, if any, for logs and errors.Is.
type inputError struct {
	kind  error
	msg   string
	cause error
}

// Error is the message alone: the sentinel's words ("damaged file") would
// only repeat it, and the cause is a library's words, not the brand's.
func (e *inputError) Error() string { return e.msg }

// Unwrap exposes the sentinel and the cause to errors.Is and errors.As.
func (e *inputError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func unsupported(format string, args ...any) error {
	return &inputError{kind: ErrUnsupported, msg: fmt.Sprintf(format, args...)}
}

func tooLarge(format string, args ...any) error {
	return &inputError{kind: ErrTooLarge, msg: fmt.Sprintf(format, args...)}
}

func corrupt(format string, args ...any) error {
	return &inputError{kind: ErrCorrupt, msg: fmt.Sprintf(format, args...)}
}

// corruptCause is corrupt with the library error that showed it kept for logs.
func corruptCause(cause error, format string, args ...any) error {
	return &inputError{kind: ErrCorrupt, msg: fmt.Sprintf(format, args...), cause: cause}
}

// sizeText writes a byte count the way people read file sizes.
func sizeText(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n/1e6)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%d KB", n/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

// millions writes a pixel count in millions ("33.5 million").
func millions(n int64) string {
	return fmt.Sprintf("%.1f million", float64(n)/1e6)
}
