package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
)

// TestRefreshReuseRevokesFamily: after a rotation, presenting the old
// refresh token again is a theft signal. It is refused, and the whole family
// dies with it: the token that replaced it, and every access token of the
// session, at once. The user's other sessions are not touched.
func TestRefreshReuseRevokesFamily(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, d *db.DB, store kv.Store) {
		ctx := t.Context()
		s, _ := newServiceOn(t, d, store, nil)
		uid := registerUser(t, s, "reuse@example.com")
		first := login(t, s, "reuse@example.com")
		other := login(t, s, "reuse@example.com") // another device

		second, err := s.Refresh(ctx, first.RefreshToken)
		if err != nil {
			t.Fatalf("first refresh: %v", err)
		}
		if second.RefreshToken == first.RefreshToken || second.SessionID != first.SessionID {
			t.Fatalf("refresh did not rotate within the session: %+v after %+v", second, first)
		}
		wantAuthenticated(t, s, second.AccessToken, uid)

		// Replaying the rotated-out token: refused, and the family is revoked.
		if _, err := s.Refresh(ctx, first.RefreshToken); !isBadRefresh(err) {
			t.Fatalf("reused token: %v, want the bad refresh error", err)
		}
		if _, err := s.Refresh(ctx, second.RefreshToken); !isBadRefresh(err) {
			t.Fatalf("the family's newest token after reuse: %v, want the bad refresh error", err)
		}
		wantSessionEnded(t, s, second.AccessToken)
		wantSessionEnded(t, s, first.AccessToken)
		if reason := revokedReason(t, d, first.SessionID); reason != "refresh token reuse" {
			t.Fatalf("session revoked for %q, want %q", reason, "refresh token reuse")
		}
		if n := auditCount(t, d, audit.RefreshReuse, uid); n != 1 {
			t.Fatalf("%d %s events, want 1", n, audit.RefreshReuse)
		}
		live, err := s.Sessions(ctx, uid, "")
		if err != nil || len(live) != 1 || live[0].ID != other.SessionID {
			t.Fatalf("live sessions %+v, %v; want only the other device's %s", live, err, other.SessionID)
		}

		// The other device's session lives on and still rotates.
		wantAuthenticated(t, s, other.AccessToken, uid)
		if _, err := s.Refresh(ctx, other.RefreshToken); err != nil {
			t.Fatalf("other session's refresh: %v", err)
		}
		// A token that was never issued is refused without revoking anything.
		if _, err := s.Refresh(ctx, newToken("lrt_")); !isBadRefresh(err) {
			t.Fatalf("unknown token: %v", err)
		}
		if n := auditCount(t, d, audit.RefreshReuse, uid); n != 1 {
			t.Fatalf("an unknown token counted as reuse: %d events", n)
		}
	})
}

// Concurrent refreshes with one token. kv.Store.Take hands the token to
// exactly one caller (the winner); every other caller (a loser) finds it
// gone and gets errBadRefresh. What else happens depends on timing, and the
// possible outcomes are exactly these:
//
//   - A loser that looks after the winner has marked the token used sees a
//     reuse: it revokes the session and records refresh_token_reuse. A
//     replayed token must not leave a live family behind, so then the
//     winner's new tokens die too; if the revocation lands before the winner
//     reads the session, the winner itself gets errBadRefresh (no winner).
//   - If every loser looked before the winner marked the token used, nothing
//     is revoked and the winner's new tokens work.
//
// So: at most one success; no success only together with a reuse
// revocation; a success whose tokens work exactly when there was no reuse.
// TestConcurrentRefresh checks that on a free race, and
// TestConcurrentRefreshOrders forces each ordering so that both branches
// are tested every run rather than when the scheduler happens to pick them.
func TestConcurrentRefresh(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, d *db.DB, store kv.Store) {
		counted := &gatedStore{Store: store}
		s, _ := newServiceOn(t, d, counted, nil)
		uid := registerUser(t, s, "c@example.com")
		tokens := login(t, s, "c@example.com")
		results := refreshConcurrently(s, tokens.RefreshToken, 20, nil)

		if n := counted.taken.Load(); n != 1 {
			t.Fatalf("the refresh token was taken %d times, want exactly once", n)
		}
		winners := checkResults(t, results)
		reused := auditCount(t, d, audit.RefreshReuse, uid) > 0
		reason := revokedReason(t, d, tokens.SessionID)
		if reused != (reason == "refresh token reuse") {
			t.Fatalf("reuse recorded: %v, but session revoked for %q", reused, reason)
		}
		switch {
		case len(winners) == 0 && !reused:
			t.Fatal("no refresh succeeded although nothing was revoked: the token was consumed for nothing")
		case len(winners) == 1 && !reused:
			wantFamilyWorks(t, s, winners[0], uid)
		case len(winners) == 1 && reused:
			wantFamilyDead(t, s, winners[0])
		}
		t.Logf("%d winner(s), reuse revocation: %v", len(winners), reused)
	})
}

// TestConcurrentRefreshOrders runs each ordering of the race on purpose,
// holding goroutines at the point after Take with explicit signals.
func TestConcurrentRefreshOrders(t *testing.T) {
	t.Parallel()
	const n = 8
	eachBackend(t, func(t *testing.T, d *db.DB, store kv.Store) {
		t.Run("losers first", func(t *testing.T) {
			// The winner is held right after its Take until every loser has
			// returned: none of them can see a used token, so nothing is
			// revoked and exactly one refresh succeeds, with working tokens.
			gate := &gatedStore{Store: store, holdWinner: make(chan struct{})}
			s, _ := newServiceOn(t, d, gate, nil)
			uid := registerUser(t, s, "first@example.com")
			tokens := login(t, s, "first@example.com")
			results := refreshConcurrently(s, tokens.RefreshToken, n, func(done int) {
				if done == n-1 {
					close(gate.holdWinner)
				}
			})
			winners := checkResults(t, results)
			if len(winners) != 1 {
				t.Fatalf("%d refreshes succeeded, want exactly 1", len(winners))
			}
			if reason := revokedReason(t, d, tokens.SessionID); reason != "" {
				t.Fatalf("session revoked (%s) although no loser saw a used token", reason)
			}
			wantFamilyWorks(t, s, winners[0], uid)
		})
		t.Run("winner first", func(t *testing.T) {
			// The losers are held after their failed Take until the winner has
			// returned: each then sees a used token, which is a replay. Exactly
			// one refresh succeeded, and the replay kills its tokens too.
			gate := &gatedStore{Store: store, holdLosers: make(chan struct{})}
			s, _ := newServiceOn(t, d, gate, nil)
			uid := registerUser(t, s, "second@example.com")
			tokens := login(t, s, "second@example.com")
			results := refreshConcurrently(s, tokens.RefreshToken, n, func(done int) {
				if done == 1 {
					close(gate.holdLosers)
				}
			})
			winners := checkResults(t, results)
			if len(winners) != 1 {
				t.Fatalf("%d refreshes succeeded, want exactly 1", len(winners))
			}
			if reason := revokedReason(t, d, tokens.SessionID); reason != "refresh token reuse" {
				t.Fatalf("session revoked for %q, want refresh token reuse", reason)
			}
			if got := auditCount(t, d, audit.RefreshReuse, uid); got != n-1 {
				t.Fatalf("%d %s events, want one per loser (%d)", got, audit.RefreshReuse, n-1)
			}
			wantFamilyDead(t, s, winners[0])
		})
	})
}

// gatedStore is the real kv store with a view of, and a hold on, refresh
// token Takes: it counts the successful ones, and can hold the winner (after
// its successful Take) or the losers (after their failed one) until the test
// closes the channel. Holding uses explicit signals, never sleeps.
type gatedStore struct {
	kv.Store
	taken      atomic.Int64
	holdWinner chan struct{}
	holdLosers chan struct{}
}

func (g *gatedStore) Take(ctx context.Context, key string) ([]byte, error) {
	v, err := g.Store.Take(ctx, key)
	if !strings.HasPrefix(key, "rt:") {
		return v, err
	}
	// Only the first winner is held, and nobody waits past ctx: a broken
	// store or service then fails the test instead of hanging it.
	switch {
	case err == nil:
		if g.taken.Add(1) == 1 && g.holdWinner != nil {
			wait(ctx, g.holdWinner)
		}
	case g.holdLosers != nil:
		wait(ctx, g.holdLosers)
	}
	return v, err
}

func wait(ctx context.Context, ch chan struct{}) {
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

type refreshResult struct {
	tokens Tokens
	err    error
}

// refreshConcurrently presents token from n goroutines at once and returns
// every result; onDone, if set, is called with the number of results so far
// each time one arrives (before waiting for the rest).
func refreshConcurrently(s *Service, token string, n int, onDone func(done int)) []refreshResult {
	// The deadline only bounds a hold that would otherwise never end (see
	// gatedStore.Take); passing tests never come near it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ch := make(chan refreshResult, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			t, err := s.Refresh(ctx, token)
			ch <- refreshResult{t, err}
		})
	}
	var out []refreshResult
	for len(out) < n {
		out = append(out, <-ch)
		if onDone != nil {
			onDone(len(out))
		}
	}
	wg.Wait()
	return out
}

// checkResults fails unless every failure is the documented bad refresh
// error and at most one call succeeded; it returns the successes.
func checkResults(t *testing.T, results []refreshResult) []Tokens {
	t.Helper()
	var winners []Tokens
	for _, r := range results {
		switch {
		case r.err == nil:
			winners = append(winners, r.tokens)
		case !isBadRefresh(r.err):
			t.Errorf("a losing refresh failed with %v, want the bad refresh error", r.err)
		}
	}
	if len(winners) > 1 {
		t.Fatalf("%d refreshes succeeded with one token", len(winners))
	}
	return winners
}

// isBadRefresh reports whether err is the documented answer to a refresh
// token that cannot be used: 401, "log in again".
func isBadRefresh(err error) bool {
	e, ok := apperr.As(err)
	return errors.Is(err, errBadRefresh) && ok && e.Code == apperr.Unauthorized &&
		e.Message == "the refresh token is invalid or expired; log in again"
}

// wantFamilyWorks checks a winner's tokens: the access token authenticates
// and the refresh token rotates again.
func wantFamilyWorks(t *testing.T, s *Service, won Tokens, uid string) {
	t.Helper()
	wantAuthenticated(t, s, won.AccessToken, uid)
	next, err := s.Refresh(t.Context(), won.RefreshToken)
	if err != nil {
		t.Fatalf("the winner's refresh token: %v", err)
	}
	wantAuthenticated(t, s, next.AccessToken, uid)
}

// wantFamilyDead checks that a winner's tokens were revoked with the session.
func wantFamilyDead(t *testing.T, s *Service, won Tokens) {
	t.Helper()
	wantSessionEnded(t, s, won.AccessToken)
	if _, err := s.Refresh(t.Context(), won.RefreshToken); !isBadRefresh(err) {
		t.Fatalf("the winner's refresh token after a replay: %v, want the bad refresh error", err)
	}
}

func wantAuthenticated(t *testing.T, s *Service, access, uid string) {
	t.Helper()
	p, err := s.Authenticate(t.Context(), access)
	if err != nil || p.UserID != uid {
		t.Fatalf("access token: %+v, %v; want user %s", p, err, uid)
	}
}

func wantSessionEnded(t *testing.T, s *Service, access string) {
	t.Helper()
	_, err := s.Authenticate(t.Context(), access)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Unauthorized || e.Message != "your session has ended; log in again" {
		t.Fatalf("access token of a revoked session: %v, want unauthorized: session ended", err)
	}
}

// revokedReason returns why the session was revoked, or "" if it is live.
func revokedReason(t *testing.T, d *db.DB, sessionID string) string {
	t.Helper()
	var reason sql.NullString
	var revoked sql.NullTime
	if err := d.QueryRowContext(t.Context(), `SELECT revoked_at, revoked_reason FROM sessions WHERE id = $1`, sessionID).Scan(&revoked, &reason); err != nil {
		t.Fatalf("session %s: %v", sessionID, err)
	}
	if revoked.Valid && reason.String == "" {
		return "(no reason)"
	}
	return reason.String
}

func auditCount(t *testing.T, d *db.DB, event, userID string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_events WHERE event = $1 AND user_id = $2`, event, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
