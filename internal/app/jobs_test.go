package app

import (
	"context"
	"log/slog"
	"testing"

	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/queue"
)

// TestEveryJobKindIsRescuedInTime lists the job kinds the real app registers
// and checks each against the rescue delay: a kind added later with a long
// or missing timeout fails here (and queue.New refuses it at start).
func TestEveryJobKindIsRescuedInTime(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(config.Dev, func(k string) string {
		return map[string]string{"LUNEO_DATA": t.TempDir()}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(context.Background(), cfg, slog.New(slog.DiscardHandler), "http://localhost", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	timeouts := a.Queue.Timeouts()
	for _, kind := range []string{"convert_usdz", "send_email", "purge_expired"} {
		if _, ok := timeouts[kind]; !ok {
			t.Errorf("job kind %s is not registered", kind)
		}
	}
	for kind, d := range timeouts {
		if d <= 0 || d > queue.MaxJobTimeout || d >= cfg.JobRescueAfter {
			t.Errorf("job kind %s: timeout %s, want at most %s and under the rescue delay %s",
				kind, d, queue.MaxJobTimeout, cfg.JobRescueAfter)
		}
	}
	if cfg.JobRescueAfter != queue.DefaultRescueAfter {
		t.Errorf("LUNEO_JOB_RESCUE_AFTER defaults to %s, the queue to %s", cfg.JobRescueAfter, queue.DefaultRescueAfter)
	}
	if b := queue.RecoveryBound(cfg.JobRescueAfter); b > queue.MaxRecovery {
		t.Errorf("with the default rescue delay a crashed job waits up to %s, more than %s", b, queue.MaxRecovery)
	}
	t.Logf("kinds %v; a crashed job runs again within %s", timeouts, queue.RecoveryBound(cfg.JobRescueAfter))
}
