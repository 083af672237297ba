package gltf

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The JSON structure of a glTF file is checked on the generic JSON tree
// (map[string]any with json.Number) before it is decoded into Document:
// only there can we tell an absent property from a zero one, and a string
// from a number, and point at the exact place (JSON pointer) of each problem.

// kind is the JSON type a property must have.
type kind uint8

const (
	kIndex kind = iota // non-negative integer referring to another object
	kInt               // integer, maybe bounded or from a list
	kNum               // any number, maybe bounded
	kStr               // string, maybe from a list or matching a pattern
	kBool              // boolean
	kObj               // object described by obj
	kArr               // array of elem
	kMap               // object whose values are all elem (mesh attributes)
	kAny               // anything (extras)
	kExt               // an "extensions" object
)

// field describes one property of a glTF object (or an array element).
type field struct {
	name     string
	kind     kind
	req      bool
	min, max *float64 // bounds for kInt/kNum
	exclMin  bool     // min is exclusive
	multiple int64    // kInt: must be a multiple of this
	ints     []int64  // kInt: allowed values
	strs     []string // kStr: allowed values
	pattern  *regexp.Regexp
	elem     *field   // kArr, kMap
	obj      *objSpec // kObj
	minItems int      // kArr, kMap
	lengths  []int    // kArr: allowed lengths
	unique   bool     // kArr: no duplicates
	owner    string   // kExt: which kind of object holds these extensions
}

// objSpec describes a glTF object type.
type objSpec struct {
	name   string
	fields []field
	known  map[string]bool
	// post checks rules that involve several properties (dependencies, oneOf).
	post func(c *checker, p string, o map[string]any)
}

// checker walks the generic tree and records issues.
type checker struct {
	rep  *Report
	used map[string]bool // extensionsUsed
	// sanitized is set when a property that differs only in letter case
	// from a known one was removed: encoding/json matches names without
	// regard to case, so such a key must not reach the typed decoder.
	sanitized bool
	// fix is set when an integer was written with a fraction or exponent.
	fix bool
}

// object checks v against s.
func (c *checker) object(s *objSpec, p string, v any) {
	o, ok := v.(map[string]any)
	if !ok {
		c.mismatch(p, v, "an object")
		return
	}
	for i := range s.fields {
		f := &s.fields[i]
		val, present := o[f.name]
		if !present {
			if f.req {
				c.rep.addf(SeverityError, "UNDEFINED_PROPERTY", p, "required property %q of this %s is missing", f.name, s.name)
			}
			continue
		}
		c.value(f, p+"/"+escapeKey(f.name), val)
	}
	if len(o) > 0 {
		for k := range o {
			if s.known[k] {
				continue
			}
			c.rep.addf(SeverityWarning, "UNEXPECTED_PROPERTY", p+"/"+escapeKey(k), "property %q is not part of a glTF %s and is ignored", k, s.name)
			for name := range s.known {
				if strings.EqualFold(name, k) {
					delete(o, k)
					c.sanitized = true
					break
				}
			}
		}
	}
	if s.post != nil {
		s.post(c, p, o)
	}
}

// value checks one property value against f.
func (c *checker) value(f *field, p string, v any) {
	switch f.kind {
	case kIndex:
		n, ok := c.integer(p, v, "a non-negative integer index")
		if ok && n < 0 {
			c.rep.addf(SeverityError, "INVALID_INDEX", p, "index %d is negative; indices must be non-negative integers", n)
		}
	case kInt:
		n, ok := c.integer(p, v, "an integer")
		if !ok {
			return
		}
		c.bounds(f, p, float64(n), v)
		if f.multiple != 0 && n%f.multiple != 0 {
			c.rep.addf(SeverityError, "VALUE_MULTIPLE_OF", p, "value %d is not a multiple of %d", n, f.multiple)
		}
		if len(f.ints) > 0 && !containsInt(f.ints, n) {
			c.notInList(p, v, fmt.Sprint(f.ints))
		}
	case kNum:
		num, ok := v.(json.Number)
		if !ok {
			c.mismatch(p, v, "a number")
			return
		}
		x, err := num.Float64()
		if err != nil {
			c.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p, "number %s cannot be represented", num)
			return
		}
		c.bounds(f, p, x, v)
	case kStr:
		s, ok := v.(string)
		if !ok {
			c.mismatch(p, v, "a string")
			return
		}
		if len(f.strs) > 0 && !containsStr(f.strs, s) {
			c.notInList(p, v, `"`+strings.Join(f.strs, `", "`)+`"`)
		}
		if f.pattern != nil && !f.pattern.MatchString(s) {
			c.rep.addf(SeverityError, "PATTERN_MISMATCH", p, "value %q does not match the pattern %s", s, f.pattern)
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			c.mismatch(p, v, "a boolean")
		}
	case kObj:
		c.object(f.obj, p, v)
	case kArr:
		c.array(f, p, v)
	case kMap:
		o, ok := v.(map[string]any)
		if !ok {
			c.mismatch(p, v, "an object")
			return
		}
		if len(o) < f.minItems {
			c.rep.addf(SeverityError, "EMPTY_ENTITY", p, "this object must not be empty")
		}
		for k, e := range o {
			c.value(f.elem, p+"/"+escapeKey(k), e)
		}
	case kExt:
		c.extensions(f.owner, p, v)
	}
}

func (c *checker) array(f *field, p string, v any) {
	a, ok := v.([]any)
	if !ok {
		c.mismatch(p, v, "an array")
		return
	}
	if len(a) < f.minItems {
		c.rep.addf(SeverityError, "EMPTY_ENTITY", p, "this array must not be empty (omit the property instead)")
		return
	}
	if len(f.lengths) > 0 && !containsInt64(f.lengths, len(a)) {
		c.rep.addf(SeverityError, "ARRAY_LENGTH_NOT_IN_LIST", p, "the array has %d elements; it must have %v", len(a), f.lengths)
	}
	var seen map[string]bool
	if f.unique {
		seen = make(map[string]bool, len(a))
	}
	for i, e := range a {
		ep := p + "/" + strconv.Itoa(i)
		c.value(f.elem, ep, e)
		if seen != nil {
			key := fmt.Sprint(e)
			if seen[key] {
				c.rep.addf(SeverityError, "DUPLICATE_ELEMENTS", ep, "value %v appears more than once in this array", e)
			}
			seen[key] = true
		}
	}
}

// integer accepts integral JSON numbers, also when written as 36.0 or
// 3.6e1 (JSON has one number type, and the reference validator accepts
// them). Such spellings are noted in c.fix so that the tree can be
// rewritten with plain integers, which encoding/json requires for int fields.
func (c *checker) integer(p string, v any, want string) (int64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		c.mismatch(p, v, want)
		return 0, false
	}
	n, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil {
		f, ferr := num.Float64()
		switch {
		case ferr != nil || math.IsInf(f, 0) || math.Abs(f) > 1<<53:
			c.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p, "integer %s is out of range", num)
			return 0, false
		case f != math.Trunc(f):
			c.mismatch(p, v, want)
			return 0, false
		}
		n = int64(f)
		c.fix = true
	}
	if n > 1<<53 || n < -(1<<53) {
		c.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p, "integer %s is out of range", num)
		return 0, false
	}
	return n, true
}

func (c *checker) bounds(f *field, p string, x float64, v any) {
	bad := (f.min != nil && (x < *f.min || (f.exclMin && x == *f.min))) || (f.max != nil && x > *f.max)
	if bad {
		c.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p, "value %v is out of range%s", v, rangeText(f))
	}
}

func rangeText(f *field) string {
	switch {
	case f.min != nil && f.max != nil:
		return fmt.Sprintf(" [%v, %v]", *f.min, *f.max)
	case f.min != nil && f.exclMin:
		return fmt.Sprintf(": it must be greater than %v", *f.min)
	case f.min != nil:
		return fmt.Sprintf(": it must be at least %v", *f.min)
	case f.max != nil:
		return fmt.Sprintf(": it must be at most %v", *f.max)
	}
	return ""
}

// notInList reports a value outside an enum: a warning (see schema_spec.go).
func (c *checker) notInList(p string, v any, list string) {
	c.rep.addf(SeverityWarning, "VALUE_NOT_IN_LIST", p, "unknown value %v; known values are %s", jsonText(v), list)
}

func (c *checker) mismatch(p string, v any, want string) {
	c.rep.addf(SeverityError, "TYPE_MISMATCH", p, "value %s is not %s", jsonText(v), want)
}

// jsonText renders a generic value briefly for messages.
func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return strconv.Quote(x)
	case map[string]any:
		return "{…}"
	case []any:
		return "[…]"
	}
	return fmt.Sprint(v)
}
