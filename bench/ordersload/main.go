// Command ordersload is the client of bench/orders.sh: it measures how
// long an order's production ZIP takes to build, and compares that with
// Info-ZIP's zip archiving the same files on the same machine.
//
// Against a running luneo it signs up a brand, saves N designs (an image
// and a line of text on the demo mug's wrap zone) with produce: true and
// waits for their print files, so that the order's production job has
// nothing left to render and the time measured is the ZIP alone. Then it
// creates an API key (orders:write, orders:read), posts one order with
// the N designs as lines, and polls GET /api/orders/{id} every 10 ms. The
// job's time is the server's own stamps: the order's updated_at when it
// is first seen "producing" (the job's first step) to production.ready_at
// (the last). It downloads the ZIP, extracts it, and times
// /usr/bin/time -v zip -q -r over the extracted files twice: with zip's
// defaults (every file deflated) and with -n .png (PNGs stored, as Luneo
// does: they are compressed already).
//
// The process that builds the ZIP (-pid: the dev process, or the worker)
// has its peak RSS reset (/proc/PID/clear_refs, 5) just before the order
// is posted, so the peak reported is the production's, not the renders'.
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ordersload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ordersload", flag.ContinueOnError)
	base := fs.String("url", "", "base URL of a running luneo")
	setup := fs.String("setup", "", "name of the setup, printed in each row")
	n := fs.Int("n", 20, "designs, one order line each")
	pid := fs.Int("pid", 0, "pid of the process that builds the ZIP (dev, or worker), for its peak RSS")
	dir := fs.String("dir", "", "scratch folder for the ZIP and its extracted files")
	notesPath := fs.String("notes", "", "file the notes under the table are appended to (default stderr)")
	header := fs.Bool("header", false, "print the table header and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *header {
		fmt.Fprint(stdout, tableHeader)
		return nil
	}
	if *base == "" || *n < 1 || *dir == "" {
		return errors.New("need -url, -n ≥ 1 and -dir")
	}
	res, err := measure(ctx, *base, *n, *pid, *dir, stderr)
	if err != nil {
		return err
	}
	base1, err := zipBaseline(ctx, res.files, *dir, nil)
	if err != nil {
		return err
	}
	base2, err := zipBaseline(ctx, res.files, *dir, []string{"-n", ".png"})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rows(*setup, res, base1, base2))
	if *notesPath == "" {
		fmt.Fprint(stderr, notes(*setup, res))
		return nil
	}
	f, err := os.OpenFile(*notesPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprint(f, notes(*setup, res))
	return f.Close()
}
