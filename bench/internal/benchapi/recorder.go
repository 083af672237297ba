package benchapi

import (
	"slices"
	"sync"
	"time"
)

// Recorder collects the latency of every request of a load run by kind,
// and its errors with the first one of each kind as an example. The load
// drivers (bench/embedload, bench/shopifyload) share it and format its
// Summaries as their own tables.
type Recorder struct {
	mu      sync.Mutex
	start   time.Time
	end     time.Time
	lat     map[string][]time.Duration
	errs    map[string]int
	samples map[string]string
	kinds   []string
}

// NewRecorder starts a measured period now.
func NewRecorder() *Recorder {
	return &Recorder{start: time.Now(), lat: map[string][]time.Duration{}, errs: map[string]int{}, samples: map[string]string{}}
}

// Add records one request of kind that took d; err (non-nil) is a failure.
func (r *Recorder) Add(kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.lat[kind]; !seen {
		r.kinds = append(r.kinds, kind)
		r.lat[kind] = nil
	}
	r.lat[kind] = append(r.lat[kind], d)
	if err != nil {
		r.errs[kind]++
		if _, ok := r.samples[kind]; !ok {
			r.samples[kind] = err.Error()
		}
	}
}

// Stop marks the end of the measured period.
func (r *Recorder) Stop() {
	r.mu.Lock()
	r.end = time.Now()
	r.mu.Unlock()
}

// Summary is one kind's figures.
type Summary struct {
	Count  int           `json:"count"`
	Errors int           `json:"errors"`
	P50    time.Duration `json:"p50"`
	P95    time.Duration `json:"p95"`
	P99    time.Duration `json:"p99"`
	Max    time.Duration `json:"max"`
	// PerSecond is Count over the measured period.
	PerSecond float64 `json:"per_second"`
	// FirstError is the first failure's message ("" without errors).
	FirstError string `json:"first_error,omitempty"`
}

// Summarize sorts a copy of d and reads its percentiles.
func Summarize(d []time.Duration, errs int) Summary {
	d = slices.Clone(d)
	slices.Sort(d)
	s := Summary{Count: len(d), Errors: errs}
	if len(d) > 0 {
		s.P50, s.P95, s.P99, s.Max = Percentile(d, 50), Percentile(d, 95), Percentile(d, 99), d[len(d)-1]
	}
	return s
}

// Summaries are the figures of every kind, in the order kinds first came.
func (r *Recorder) Summaries() (kinds []string, sums map[string]Summary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	secs := r.end.Sub(r.start).Seconds()
	sums = map[string]Summary{}
	for _, k := range r.kinds {
		s := Summarize(r.lat[k], r.errs[k])
		if secs > 0 {
			s.PerSecond = float64(s.Count) / secs
		}
		s.FirstError = r.samples[k]
		sums[k] = s
	}
	return slices.Clone(r.kinds), sums
}
