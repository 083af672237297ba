package main

import (
	"testing"
	"time"
)

func TestSpread(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		d := make([]time.Duration, len(v))
		for i, x := range v {
			d[i] = time.Duration(x) * time.Millisecond
		}
		return d
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // unsorted on purpose: spread sorts
	}
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want string
	}{
		{"empty", nil, "–"},
		{"one", ms(7), "7 / 7 / 7"},
		{"two", ms(30, 10), "10 / 30 / 30"},
		{"hundred", ms(hundred...), "50 / 95 / 100"},
		{"twenty, one outlier", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 900), "1 / 2 / 900"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := spread(tc.in); got != tc.want {
				t.Errorf("spread = %q, want %q", got, tc.want)
			}
		})
	}
}
