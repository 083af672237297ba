// Command embedload is the widget's load benchmark client (bench/embed.sh
// runs it against a luneo it started):
//
//   - token: GET /api/embed/token at a fixed rate (open loop: requests are
//     sent on schedule whether or not earlier ones answered, so a slow
//     server shows as latency, not as a lower rate) for a duration;
//   - sessions: N simulated widget sessions at once for a duration, each
//     doing the loader's handshake (token, validate, session) and then what
//     a shopper's edits cause: a server preview every couple of seconds and
//     a save now and then (the first creates the design, later ones add
//     versions).
//
// Every non-2xx answer counts as an error (429 included: the benchmark
// raises the per-IP limits, since every simulated shopper shares
// 127.0.0.1). It prints one table row per request kind: count, errors,
// p50 / p99 / max latency.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embedload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("embedload", flag.ContinueOnError)
	base := fs.String("url", "", "base URL of a running luneo")
	setup := fs.String("setup", "", "name of the setup, printed in each row")
	mode := fs.String("mode", "token", "token or sessions")
	rate := fs.Int("rate", 1000, "token mode: requests per second")
	sessions := fs.Int("sessions", 500, "sessions mode: widget sessions at once")
	duration := fs.Duration("duration", 30*time.Second, "how long to load")
	header := fs.Bool("header", false, "print the table header and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *header {
		fmt.Fprint(stdout, tableHeader)
		return nil
	}
	if *base == "" || *rate < 1 || *sessions < 1 || *duration <= 0 {
		return errors.New("need -url, -rate ≥ 1, -sessions ≥ 1 and -duration > 0")
	}
	in, err := benchapi.MakeInputs()
	if err != nil {
		return err
	}
	st, err := newStore(ctx, *base, in)
	if err != nil {
		return err
	}
	var rec *recorder
	switch *mode {
	case "token":
		rec, err = tokens(ctx, st, *rate, *duration)
	case "sessions":
		rec, err = widgetSessions(ctx, st, *sessions, *duration)
	default:
		return fmt.Errorf("unknown -mode %q", *mode)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rows(rec, *setup))
	return nil
}
