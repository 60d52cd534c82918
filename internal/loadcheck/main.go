package loadcheck

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses of the command, so a pipeline can tell "the stack is too
// slow" from "the check never ran".
const (
	ExitPass      = 0
	ExitThreshold = 1
	ExitNoRun     = 2
)

// Main is the whole command: flags and environment in, report on stdout,
// progress and problems on stderr, exit status out. Nothing it writes holds
// the password or the token: both live in Secret values.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := ParseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0 // -h asked for the usage, which is printed
	}
	if errors.Is(err, ErrUsage) {
		return ExitNoRun // already reported, with the usage
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadcheck: %v\n", err)
		return ExitNoRun
	}
	client, err := NewHTTPClient(cfg.CAFile, cfg.Timeout, cfg.Concurrency)
	if err != nil {
		fmt.Fprintf(stderr, "loadcheck: %v\n", err)
		return ExitNoRun
	}
	defer client.CloseIdleConnections()

	loginCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	token, err := Login(loginCtx, client, cfg.BaseURL, cfg.Username, cfg.Password)
	cancel()
	if err != nil {
		fmt.Fprintf(stderr, "loadcheck: %v\n", err)
		return ExitNoRun
	}
	fmt.Fprintf(stderr, "loadcheck: logged in as %q; offering %g req/s for %s with %d workers over %d paths\n",
		cfg.Username, cfg.Rate, cfg.Duration, cfg.Concurrency, len(cfg.Paths))

	report := Run(ctx, client, cfg, token)
	report.Evaluate(cfg.Thresholds)
	write := report.WriteText
	if cfg.JSON {
		write = report.WriteJSON
	}
	if err := write(stdout); err != nil {
		fmt.Fprintf(stderr, "loadcheck: writing the report: %v\n", err)
		return ExitNoRun
	}
	if !report.Passed {
		return ExitThreshold
	}
	return ExitPass
}
