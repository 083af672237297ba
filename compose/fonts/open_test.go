package fonts

import (
	"bytes"
	"io"
	"testing"
)

// TestOpen: a bundled font streams the embedded file, an added one its
// bytes, so a client gets the very file the server draws with.
func TestOpen(t *testing.T) {
	s := Bundled()
	f, err := s.Lookup("Noto Sans", true)
	if err != nil || !f.Bold {
		t.Fatalf("Lookup: %v %v", f, err)
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	want, _ := bundled.ReadFile("NotoSans-Bold.ttf")
	if len(got) < 1000 || !bytes.Equal(got, want) {
		t.Fatalf("Open streamed %d bytes, want the %d of NotoSans-Bold.ttf", len(got), len(want))
	}
	added, err := s.AddBytes("Copy.ttf", want)
	if err != nil {
		t.Fatal(err)
	}
	rc, _ = added.Open()
	got, _ = io.ReadAll(rc)
	if !bytes.Equal(got, want) {
		t.Fatal("an added font does not stream its bytes")
	}
}
