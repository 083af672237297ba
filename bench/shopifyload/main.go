// Command shopifyload is the client of bench/shopifywebhooks.sh: Shopify's
// orders/create deliveries sent to POST /api/shopify/webhooks at a fixed
// rate, and the floor they are compared with.
//
//   - -mode load: sends correctly signed deliveries (a ~3 KB order of two
//     line items, a fresh X-Shopify-Webhook-Id each) at -rate per second
//     for -duration, open loop: each request starts at its planned time
//     whether or not earlier ones answered, so a slow server shows as
//     latency, not as a lower rate. Every 10th request (-replay 0.1) is a
//     replay of one sent shortly before (same webhook id, same body and
//     signature: Shopify's retry), which must be answered 200 too. Any
//     other answer, or none, is an error. It prints one table row per
//     kind (new, replay); with -floor it divides its percentiles by the
//     floor's, and with -save it writes its own for a later run to divide by.
//   - -mode serve: the floor, a bare net/http server that reads the body,
//     checks the same HMAC (shopify.ValidBodyHMAC) and answers 200: what any
//     webhook endpoint costs on this machine, before recording anything.
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "shopifyload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("shopifyload", flag.ContinueOnError)
	mode := fs.String("mode", "load", "load, serve (the floor server) or header")
	base := fs.String("url", "", "load: base URL of the server")
	addr := fs.String("addr", "127.0.0.1:0", "serve: address to listen on")
	secret := fs.String("secret", "", "the app's client secret deliveries are signed with")
	setup := fs.String("setup", "", "load: name of the setup, printed in each row")
	rate := fs.Int("rate", 200, "load: deliveries per second")
	duration := fs.Duration("duration", 20*time.Second, "load: how long to send")
	replay := fs.Float64("replay", 0.1, "load: share of deliveries that are replays")
	floor := fs.String("floor", "", "load: a file -save wrote, to divide this run's percentiles by")
	save := fs.String("save", "", "load: file to write this run's percentiles to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch *mode {
	case "header":
		fmt.Fprint(stdout, tableHeader)
		return nil
	case "serve":
		if *secret == "" {
			return errors.New("serve needs -secret")
		}
		return serve(ctx, *addr, []byte(*secret), stdout)
	case "load":
	default:
		return fmt.Errorf("unknown -mode %q", *mode)
	}
	if *base == "" || *secret == "" || *rate < 1 || *duration <= 0 || *replay < 0 || *replay >= 1 {
		return errors.New("load needs -url, -secret, -rate ≥ 1, -duration > 0 and 0 ≤ -replay < 1")
	}
	n := 1 + int(duration.Seconds()*float64(*rate)) // the first is the unmeasured warm-up
	ds := deliveries(n, *replay, *secret, shop)
	rec, err := send(ctx, *base+"/api/shopify/webhooks", ds, *rate)
	if err != nil {
		return err
	}
	var against map[string]summary
	if *floor != "" {
		if against, err = readSummaries(*floor); err != nil {
			return err
		}
	}
	fmt.Fprint(stdout, rows(rec, *setup, against))
	if *save != "" {
		return writeSummaries(*save, summaries(rec))
	}
	return nil
}
