// Command designlatency measures how long a saved design takes to get its
// design texture, through Luneo's public API against a running server: it
// signs up brands, uploads the demo mug with its print zone and an image,
// then saves new versions of a design (a changed text, so the zone is drawn
// again) and times each save from the moment the POST is sent until the
// version's compose render is seen completed on the render events stream
// (or by polling the render list). It prints one Markdown table row per
// pass; bench/designs.sh starts the servers and prints the header.
//
// Usage: designlatency -url http://127.0.0.1:PORT -setup NAME [-n 50] [-clients 4]
//
//	[-warmup 2] [-observe sse|poll] [-poll 10ms] [-passes seq,conc,seq-produce,conc-produce]
//	designlatency -header
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "designlatency:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("designlatency", flag.ContinueOnError)
	base := fs.String("url", "", "base URL of a running luneo (dev or serve with a worker)")
	setup := fs.String("setup", "", "name of the setup, printed in each row")
	n := fs.Int("n", 50, "measured saves per pass")
	clients := fs.Int("clients", 4, "clients saving at once in the concurrent passes")
	warmup := fs.Int("warmup", 2, "unmeasured saves per client before a pass")
	observe := fs.String("observe", "sse", "how completion is seen: sse (the render events stream) or poll")
	interval := fs.Duration("poll", 10*time.Millisecond, "interval of -observe poll")
	passes := fs.String("passes", "seq,conc,seq-produce,conc-produce", "passes to run, comma-separated")
	header := fs.Bool("header", false, "print the table header and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *header {
		fmt.Fprint(stdout, tableHeader)
		return nil
	}
	if *base == "" || *n < 1 || *clients < 1 || *warmup < 0 || (*observe != "sse" && *observe != "poll") {
		return fmt.Errorf("need -url, -n ≥ 1, -clients ≥ 1, -warmup ≥ 0 and -observe sse|poll")
	}
	in, err := benchapi.MakeInputs()
	if err != nil {
		return err
	}
	r := &runner{base: strings.TrimRight(*base, "/"), in: in, run: strings.ToLower(rand.Text()[:8]),
		warmup: *warmup, observe: *observe, interval: *interval}
	for _, name := range strings.Split(*passes, ",") {
		p := pass{name: name, clients: 1, saves: *n, produce: strings.HasSuffix(name, "-produce")}
		switch strings.TrimSuffix(name, "-produce") {
		case "seq":
		case "conc":
			p.clients = *clients
		default:
			return fmt.Errorf("unknown pass %q (seq, conc, seq-produce, conc-produce)", name)
		}
		samples, err := r.measure(ctx, p)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, row(*setup, p, *observe, samples))
	}
	return nil
}
