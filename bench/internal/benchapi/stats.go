package benchapi

import "time"

// Percentile is the nearest-rank percentile p (0–100) of sorted d.
func Percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int((p*float64(len(d))+99)/100) - 1
	return d[min(max(i, 0), len(d)-1)]
}
