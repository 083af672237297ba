// Package membudget is the process-wide pool of memory that image decoding
// reserves from: mask uploads, texture work in requests and USDZ
// conversions all take their bytes from the one pool built at start, so
// requests and jobs running side by side cannot add up past it, however
// many arrive at once.
package membudget

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrTooLarge is wrapped by Acquire's error for a reservation larger than
// the whole pool: waiting for it would never end.
var ErrTooLarge = errors.New("more than the whole memory pool")

// Pool is a weighted semaphore of bytes. Waiters are served in arrival
// order, so a large reservation is not starved by a stream of small ones.
type Pool struct {
	size int64

	mu      sync.Mutex
	used    int64
	peak    int64
	waiters list.List // of *waiter
}

type waiter struct {
	n     int64
	ready chan struct{}
}

// New returns a pool of size bytes.
func New(size int64) *Pool { return &Pool{size: size} }

// Size is the pool's capacity in bytes.
func (p *Pool) Size() int64 { return p.size }

// Peak is the most bytes held at once since the pool was made: what tests
// and metrics observe.
func (p *Pool) Peak() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// Waiting is the number of reservations waiting for memory.
func (p *Pool) Waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.waiters.Len()
}

// Acquire reserves n bytes, waiting until they are free or ctx ends.
func (p *Pool) Acquire(ctx context.Context, n int64) error {
	if n > p.size {
		return fmt.Errorf("reserve %d bytes of a %d-byte pool: %w", n, p.size, ErrTooLarge)
	}
	p.mu.Lock()
	if p.waiters.Len() == 0 && p.used+n <= p.size {
		p.take(n)
		p.mu.Unlock()
		return nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	e := p.waiters.PushBack(w)
	p.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		select {
		case <-w.ready: // granted while ctx ended: give it back
			p.used -= n
		default:
			p.waiters.Remove(e)
		}
		p.wake()
		p.mu.Unlock()
		return ctx.Err()
	}
}

// Reserve is Acquire for work that must run however much it needs: n is
// capped at the pool's size, so the largest job waits until the pool is
// empty and then runs alone rather than never. It returns the function that
// gives the bytes back (a no-op for n <= 0).
func (p *Pool) Reserve(ctx context.Context, n int64) (release func(), err error) {
	n = min(n, p.size)
	if n <= 0 {
		return func() {}, nil
	}
	if err := p.Acquire(ctx, n); err != nil {
		return nil, err
	}
	return func() { p.Release(n) }, nil
}

// Release returns n bytes reserved by Acquire.
func (p *Pool) Release(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.used -= n
	if p.used < 0 {
		panic("membudget: released more than was acquired")
	}
	p.wake()
}

// take records n more bytes in use; p.mu is held.
func (p *Pool) take(n int64) {
	p.used += n
	p.peak = max(p.peak, p.used)
}

// wake grants waiting reservations in order while they fit; p.mu is held.
func (p *Pool) wake() {
	for e := p.waiters.Front(); e != nil; e = p.waiters.Front() {
		w := e.Value.(*waiter)
		if p.used+w.n > p.size {
			return
		}
		p.take(w.n)
		p.waiters.Remove(e)
		close(w.ready)
	}
}
