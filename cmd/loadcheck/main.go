// Command loadcheck logs in to a deployed Morpheus and drives its read-only API
// at a stated rate and concurrency, printing latency percentiles and errors and
// exiting non-zero when a threshold fails:
//
//	MORPHEUS_PASSWORD=... loadcheck -url https://morpheus.example.com -username loadcheck -rate 5 -duration 1m
//
// The logic lives in internal/loadcheck; docs/operations/load-testing.md says
// how to run it against a stack.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/morpheus-ha/morpheus-ha/internal/loadcheck"
)

func main() {
	// Ctrl-C or SIGTERM stops offering load; requests in flight finish and
	// the partial report is still printed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := loadcheck.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
