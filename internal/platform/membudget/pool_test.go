package membudget

import (
	"context"
	"errors"
	"testing"
)

func TestPoolWaitsInOrder(t *testing.T) {
	t.Parallel()
	p := New(100)
	ctx := context.Background()
	if err := p.Acquire(ctx, 70); err != nil {
		t.Fatal(err)
	}
	got := make(chan int64, 2)
	big := make(chan error)
	go func() { big <- p.Acquire(ctx, 60); got <- 60 }()
	// The 60 waits: wait until it is queued before the 10 arrives.
	for queued := false; !queued; {
		p.mu.Lock()
		queued = p.waiters.Len() == 1
		p.mu.Unlock()
	}
	small := make(chan error)
	go func() { small <- p.Acquire(ctx, 10); got <- 10 }()
	for queued := false; !queued; {
		p.mu.Lock()
		queued = p.waiters.Len() == 2
		p.mu.Unlock()
	}
	p.Release(70)
	if err := <-big; err != nil {
		t.Fatal(err)
	}
	if err := <-small; err != nil {
		t.Fatal(err)
	}
	if first := <-got; first != 60 {
		t.Errorf("%d was served first; the earlier 60 should be", first)
	}
	if p.Peak() != 70 {
		t.Errorf("peak %d, want 70", p.Peak())
	}
}

func TestPoolRefusesMoreThanItHolds(t *testing.T) {
	t.Parallel()
	if err := New(10).Acquire(context.Background(), 11); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestPoolWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	p := New(10)
	_ = p.Acquire(context.Background(), 10)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Acquire(ctx, 5); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	p.Release(10)
	if err := p.Acquire(context.Background(), 10); err != nil {
		t.Fatalf("the cancelled waiter kept its place: %v", err)
	}
}

// Reserve caps a reservation at the pool, so the largest job runs alone
// instead of never, and its release gives back exactly what it took.
func TestReserveCapsAtThePool(t *testing.T) {
	t.Parallel()
	p := New(100)
	release, err := p.Reserve(context.Background(), 250)
	if err != nil || p.Peak() != 100 {
		t.Fatalf("reserve 250 of 100: %v, peak %d", err, p.Peak())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Reserve(ctx, 1); err == nil {
		t.Fatal("a full pool granted a reservation to a cancelled caller")
	}
	release()
	if err := p.Acquire(ctx, 100); err != nil {
		t.Fatalf("the capped reservation was not given back: %v", err)
	}
	p.Release(100)
	if noop, err := p.Reserve(ctx, 0); err != nil {
		t.Fatalf("empty reservation: %v", err)
	} else {
		noop()
	}
}
