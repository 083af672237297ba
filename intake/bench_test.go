package intake

import (
	"context"
	"testing"
)

func BenchmarkDecodeJPEG2048(b *testing.B) {
	file := encodeJPEG(b, quadrants(2048, 2048))
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, _, err := DecodeImage(context.Background(), file, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInspectFontDejaVu(b *testing.B) {
	file := systemFont(b, dejaVu)
	for b.Loop() {
		if _, err := InspectFont(file, 0); err != nil {
			b.Fatal(err)
		}
	}
}
