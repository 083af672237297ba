package gltf

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// The rules are the Khronos validator's (see datauri.go); the differential
// test checks them against it on whole files, this table pins the details.
func TestDataURIRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		uri  string
		mime string // "" = refused
		data string
	}{
		{"data:application/octet-stream;base64,AAEC", "application/octet-stream", "\x00\x01\x02"},
		{"DaTa:application/octet-stream;base64,AAEC", "application/octet-stream", "\x00\x01\x02"},
		{"data:Application/Octet-Stream;base64,AAEC", "application/octet-stream", "\x00\x01\x02"},
		{"data:application/gltf-buffer;charset=x;base64,AAEC", "application/gltf-buffer", "\x00\x01\x02"},
		{"data:;base64,AAEC", "text/plain", "\x00\x01\x02"},
		{"data:application/octet-stream;base64,AAE", "application/octet-stream", "\x00\x01"},        // padding omitted
		{"data:application/octet-stream;base64,AAE=", "application/octet-stream", "\x00\x01"},       // padded
		{"data:application/octet-stream;base64,-_8=", "application/octet-stream", "\xfb\xff"},       // URL-safe alphabet
		{"data:application/octet-stream;base64,%41AEC", "application/octet-stream", "\x00\x01\x02"}, // %41 = 'A'
		{"data:application/octet-stream;base64,", "application/octet-stream", ""},
		{"data:application/octet-stream,%00%01x%zz", "application/octet-stream", "\x00\x01x%zz"},
		{"data:application/octet-stream,a b#c", "application/octet-stream", "a b#c"},
		{"data:application/octet-stream;base64,AA\nEC", "", ""},
		{"data:application/octet-stream;base64,AA EC", "", ""},
		{"data:application/octet-stream;base64,AAEC=", "", ""},
		{"data:application/octet-stream;base64,AA=C", "", ""},
		{"data:application/octet-stream;base64,A", "", ""},
		{"data:application/octet-stream;base64,AAECA===", "", ""},
		{"data:application/octet-stream;base64,AAE%", "", ""},
		{"data:application/octet-stream;base64,AA%25", "", ""},
		{"data:application/octet-stream;base64,AAEC#x", "", ""},
		{"data:application/octet-stream;BASE64,AAEC", "", ""},
		{"data:application/octet-stream;base64;x=y,AAEC", "", ""},
		{"data:application/octet-stream;base64", "", ""},
		{"data:base64,AAEC", "", ""},
		{"data:a/b/c;base64,AAEC", "", ""},
	}
	for _, c := range cases {
		data, mime, err := decodeDataURI(c.uri)
		switch {
		case c.mime == "" && err == nil:
			t.Errorf("%q accepted (%q, %q)", c.uri, mime, data)
		case c.mime != "" && err != nil:
			t.Errorf("%q refused: %s", c.uri, err.msg)
		case c.mime != "" && (mime != c.mime || string(data) != c.data):
			t.Errorf("%q = %q, %q; want %q, %q", c.uri, mime, data, c.mime, c.data)
		}
	}
}

// FuzzDataURI: no input makes the parser panic, and whatever bytes an
// exporter encodes, in either alphabet, with or without padding, come back.
func FuzzDataURI(f *testing.F) {
	for _, s := range []string{"", "\x00", "glTF", "\xff\xfe\xfd\xfc"} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte{}, "data:application/octet-stream;base64,AA%3D%3D")
	f.Fuzz(func(t *testing.T, b []byte, uri string) {
		decodeDataURI(uri)
		std := base64.StdEncoding.EncodeToString(b)
		for _, enc := range []string{std, strings.TrimRight(std, "="), base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
			got, _, err := decodeDataURI("data:application/octet-stream;base64," + enc)
			if err != nil || !bytes.Equal(got, b) {
				t.Fatalf("%q: %v, %x; want %x", enc, err, got, b)
			}
		}
	})
}
