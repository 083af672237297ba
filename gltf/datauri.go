package gltf

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Data URIs (RFC 2397) are parsed the way the Khronos glTF-Validator reads
// them (it uses Dart's UriData), so that a file is accepted or refused for
// the same reasons in both:
//
//   - the "data:" scheme is matched without regard to case;
//   - the media type is empty or has exactly one "/"; parameters are
//     "name=value"; ";base64" may only come last, in lower case;
//   - base64 data may use the URL-safe alphabet and %XX escapes, may omit
//     its padding, but padding that is there must be right; any other
//     character (spaces and line breaks included) makes the URI invalid;
//   - data that is not base64 is percent-decoded (glTF 2.0 only requires
//     data URIs to be valid URIs; base64 is what exporters write).

// hasDataScheme reports whether uri starts with "data:" in any letter case.
func hasDataScheme(uri string) bool {
	return len(uri) >= 5 && strings.EqualFold(uri[:5], "data:")
}

// parsedDataURI is a parsed data URI.
type parsedDataURI struct {
	mime   string // media type as written ("" when absent), percent-decoded
	base64 bool
	data   string // the part after the comma
}

// parseDataURI splits a data URI into media type, parameters and data,
// refusing what RFC 2397 does not allow.
func parseDataURI(uri string) (parsedDataURI, error) {
	if !hasDataScheme(uri) {
		return parsedDataURI{}, errors.New(`it does not start with "data:"`)
	}
	rest := uri[5:]
	comma := strings.IndexByte(rest, ',')
	if comma < 0 {
		return parsedDataURI{}, errors.New("it has no comma before its data")
	}
	meta, data := rest[:comma], rest[comma+1:]
	params := strings.Split(meta, ";")
	mime := params[0]
	if mime != "" && strings.Count(mime, "/") != 1 {
		return parsedDataURI{}, fmt.Errorf("%q is not a media type (type/subtype)", short(mime))
	}
	d := parsedDataURI{mime: percentDecode(mime), data: data}
	for i, p := range params[1:] {
		if strings.Contains(p, "=") {
			continue
		}
		if p != "base64" || i != len(params)-2 {
			return parsedDataURI{}, fmt.Errorf("parameter %q is not of the form name=value (only a final \";base64\" may be)", short(p))
		}
		d.base64 = true
	}
	return d, nil
}

// mediaType returns the media type with RFC 2397's default.
func (d parsedDataURI) mediaType() string {
	if d.mime == "" {
		return "text/plain"
	}
	return strings.ToLower(d.mime)
}

// bytes decodes the data.
func (d parsedDataURI) bytes() ([]byte, error) {
	if !d.base64 {
		return []byte(percentDecode(d.data)), nil
	}
	// What exporters write (standard alphabet, right padding or none) is
	// decoded in place; Go's decoder refuses every other character except
	// line breaks, which the rules refuse too. Anything else goes through
	// normalizeBase64, which accepts the lenient forms or says what is wrong.
	if enc := paddingOf(d.data); enc != nil && strings.IndexByte(d.data, '\n') < 0 && strings.IndexByte(d.data, '\r') < 0 {
		if b, err := enc.DecodeString(d.data); err == nil {
			return b, nil
		}
	}
	norm, err := normalizeBase64(d.data)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(norm)
}

// paddingOf returns the decoder matching the padding of s: padded when it
// ends in one or two '=' and has a length multiple of 4, raw when it has
// no padding, nil otherwise.
func paddingOf(s string) *base64.Encoding {
	pad := len(s) - len(strings.TrimRight(s, "="))
	switch {
	case pad == 0 && len(s)%4 != 1:
		return base64.RawStdEncoding
	case pad > 0 && pad <= 2 && len(s)%4 == 0:
		return base64.StdEncoding
	}
	return nil
}

// normalizeBase64 turns lenient base64 (URL-safe letters, %XX escapes,
// missing padding) into standard padded base64, refusing anything else.
func normalizeBase64(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s) + 2)
	pad, firstPad := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				return "", fmt.Errorf("the base64 data has a truncated %% escape at byte %d", i)
			}
			v, ok := unhex2(s[i+1], s[i+2])
			if !ok || v == '%' {
				return "", fmt.Errorf("the base64 data has an invalid %% escape at byte %d", i)
			}
			c = v
			i += 2
		}
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
		case c == '-':
			c = '+'
		case c == '_':
			c = '/'
		case c == '=':
			if firstPad < 0 {
				firstPad = b.Len()
			}
			pad++
		default:
			return "", fmt.Errorf("the base64 data has the invalid character %q at byte %d", rune(c), i)
		}
		b.WriteByte(c)
	}
	n := b.Len()
	if firstPad >= 0 {
		switch {
		case n%4 != 0:
			return "", errors.New("the base64 padding is wrong: the padded length is not a multiple of 4")
		case firstPad+pad != n:
			return "", errors.New("the base64 data has '=' before its end")
		case pad > 2:
			return "", errors.New("the base64 data has more than two '=' of padding")
		}
		return b.String(), nil
	}
	switch n % 4 {
	case 1:
		return "", errors.New("the base64 data has an impossible length (one character too many or too few)")
	case 2:
		b.WriteString("==")
	case 3:
		b.WriteString("=")
	}
	return b.String(), nil
}

// percentDecode decodes %XX escapes, keeping a '%' that starts no valid
// escape as it is (as URI normalisation would escape it to %25).
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, ok := unhex2(s[i+1], s[i+2]); ok {
				b.WriteByte(v)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unhex2(a, b byte) (byte, bool) {
	x, ok1 := unhex(a)
	y, ok2 := unhex(b)
	return x<<4 | y, ok1 && ok2
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
