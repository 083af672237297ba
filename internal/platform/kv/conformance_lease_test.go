package kv

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// The lease pattern: SetNX with a token of one's own to take a slot,
// DeleteIf with the same token to give it back.

func mustDeleteIf(t *testing.T, s Store, key, value string) bool {
	t.Helper()
	ok, err := s.DeleteIf(context.Background(), key, []byte(value))
	if err != nil {
		t.Fatalf("DeleteIf(%q, %q): %v", key, value, err)
	}
	return ok
}

func testDeleteIf(t *testing.T, s Store) {
	mustSet(t, s, "lease", "holder-a", longTTL)
	if mustDeleteIf(t, s, "lease", "holder-b") {
		t.Fatal("DeleteIf with another holder's token deleted the lease")
	}
	wantValue(t, s, "lease", "holder-a")
	// A prefix or an empty value is not the value.
	if mustDeleteIf(t, s, "lease", "holder") || mustDeleteIf(t, s, "lease", "") {
		t.Fatal("DeleteIf matched a value that is not the stored one")
	}
	if !mustDeleteIf(t, s, "lease", "holder-a") {
		t.Fatal("DeleteIf with the holder's token did not delete the lease")
	}
	wantNotFound(t, s, "lease")
	if mustDeleteIf(t, s, "lease", "holder-a") {
		t.Fatal("a second DeleteIf reported a deletion")
	}
	if mustDeleteIf(t, s, "never-set", "x") {
		t.Fatal("DeleteIf of a missing key reported a deletion")
	}
	// An empty value is a value like any other.
	mustSet(t, s, "empty", "", longTTL)
	if !mustDeleteIf(t, s, "empty", "") {
		t.Fatal("DeleteIf of an empty value did not delete it")
	}
	if _, err := s.DeleteIf(context.Background(), "", nil); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("DeleteIf with an empty key: %v, want ErrInvalidKey", err)
	}
}

// A holder whose lease ran out must not free the slot of whoever took it next.
func testDeleteIfAfterExpiry(t *testing.T, s Store) {
	ctx := context.Background()
	if ok, err := s.SetNX(ctx, "slot", []byte("old"), shortTTL); err != nil || !ok {
		t.Fatalf("SetNX: %v %v", ok, err)
	}
	expire(t, s, "slot")
	if mustDeleteIf(t, s, "slot", "old") {
		t.Fatal("DeleteIf deleted an expired lease")
	}
	if ok, err := s.SetNX(ctx, "slot", []byte("new"), longTTL); err != nil || !ok {
		t.Fatalf("SetNX on an expired lease: %v %v", ok, err)
	}
	if mustDeleteIf(t, s, "slot", "old") {
		t.Fatal("the old holder freed the new holder's lease")
	}
	wantValue(t, s, "slot", "new")
}

func testConcurrentDeleteIf(t *testing.T, s Store) {
	mustSet(t, s, "lease", "token", longTTL)
	var mu sync.Mutex
	winners := 0
	race(func(int) {
		ok, err := s.DeleteIf(context.Background(), "lease", []byte("token"))
		if err != nil {
			t.Errorf("DeleteIf: %v", err)
			return
		}
		if ok {
			mu.Lock()
			winners++
			mu.Unlock()
		}
	})
	if winners != 1 {
		t.Fatalf("%d of %d concurrent DeleteIfs reported the deletion, want exactly 1", winners, racers)
	}
	wantNotFound(t, s, "lease")
}
