package raster

import (
	"math"
	"testing"
)

func TestFastMath(t *testing.T) {
	for x := -20.0; x <= 0; x += 0.01 {
		if got, want := fastExp2(x), math.Exp2(x); math.Abs(got-want) > 2e-4*want {
			t.Fatalf("fastExp2(%v) = %v, want %v", x, got, want)
		}
	}
	for x := 1e-6; x < 1e6; x *= 1.07 {
		if got, want := fastLog2(x), math.Log2(x); math.Abs(got-want) > 0.02 {
			t.Fatalf("fastLog2(%v) = %v, want %v", x, got, want)
		}
	}
}
