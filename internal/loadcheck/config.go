package loadcheck

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strings"
	"time"
)

// Environment variables read for credentials and the target. The password has
// no flag on purpose: a flag's value is visible to every user of the machine in
// ps and lands in shell history, while the environment and a 0600 file do not.
const (
	PasswordEnv = "MORPHEUS_PASSWORD"
	URLEnv      = "MORPHEUS_URL"
	UsernameEnv = "MORPHEUS_USERNAME"
)

// Bounds of one run. They stop a typo (-rate 5000, -duration 10h) from turning
// a check into an outage of the stack under test; a larger test is several runs.
const (
	MaxRate        = 1000.0
	MaxConcurrency = 512
	MaxDuration    = 30 * time.Minute
	MaxTimeout     = 2 * time.Minute
)

// Defaults: a gentle first run, so a mistyped URL or an unhealthy stack meets
// 5 requests per second rather than a flood.
const (
	DefaultRate         = 5.0
	DefaultConcurrency  = 10
	DefaultDuration     = 30 * time.Second
	DefaultTimeout      = 10 * time.Second
	DefaultMaxErrorRate = 0.01
)

// DefaultPaths are read-only API GETs from the Morpheus API reference
// (https://apidocs.morpheusdata.com, source gomorpheus/morpheus-apidoc):
// /api/ping is public and touches no database (the app alone), /api/whoami
// reads the user, its roles and permissions (database), and the two
// paginated lists (max=25 is the documented default page) exercise the
// heavier queries the UI and automation make.
var DefaultPaths = []string{"/api/ping", "/api/whoami", "/api/instances?max=25", "/api/servers?max=25"}

// ErrUsage wraps command-line errors the flag package has already reported
// on stderr, so the caller does not print them twice.
var ErrUsage = errors.New("usage")

// Thresholds decide whether a run passes; a run that fails one exits non-zero
// so a pipeline can gate on it.
type Thresholds struct {
	// MaxErrorRate is the largest allowed share (0 to 1) of offered requests
	// that failed or were dropped.
	MaxErrorRate float64
	// MaxP95 is the largest allowed overall 95th percentile; 0 means unchecked.
	MaxP95 time.Duration
}

// Config is one run, validated by ParseFlags.
type Config struct {
	// BaseURL is the appliance URL (https, no credentials, no query).
	BaseURL *url.URL
	// Username logs in; subtenant users write `subdomain\user` as in the API docs.
	Username string
	// Password comes from PasswordEnv or a file, never a flag.
	Password Secret
	// Rate is the offered requests per second, held whatever the server does.
	Rate float64
	// Concurrency is the number of workers, hence of requests in flight at most.
	Concurrency int
	// Duration is how long requests are offered.
	Duration time.Duration
	// Timeout bounds each request, the login included.
	Timeout time.Duration
	// Paths are the API paths requested in turn, each starting with one "/".
	Paths []string
	// CAFile, when set, is the only CA the server certificate may chain to.
	CAFile string
	// JSON selects the machine-readable report.
	JSON bool
	// Thresholds decide the exit status.
	Thresholds Thresholds
}

// ParseFlags reads the command line and the environment (through getenv) into
// a validated Config. Problems are all reported at once; flag errors and the
// usage go to stderr, which never receives a flag's value.
func ParseFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("loadcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s=... loadcheck -url https://<appliance> -username <user> [flags]\n"+
			"  The password comes from $%s or -password-file, never from a flag.\n"+
			"  Exit status: 0 thresholds met, 1 a threshold failed, 2 the check could not run.\n", PasswordEnv, PasswordEnv)
		fs.PrintDefaults()
	}
	var (
		cfg                      Config
		rawURL, paths, passwFile string
	)
	fs.StringVar(&rawURL, "url", getenv(URLEnv), "appliance URL, the stack output applianceUrl (default $"+URLEnv+")")
	fs.StringVar(&cfg.Username, "username", getenv(UsernameEnv), "Morpheus user to log in as (default $"+UsernameEnv+")")
	fs.StringVar(&passwFile, "password-file", "", "file holding the password (first line); instead of $"+PasswordEnv)
	fs.Float64Var(&cfg.Rate, "rate", DefaultRate, fmt.Sprintf("requests per second offered (at most %g)", MaxRate))
	fs.IntVar(&cfg.Concurrency, "concurrency", DefaultConcurrency, fmt.Sprintf("workers, the most requests in flight (at most %d)", MaxConcurrency))
	fs.DurationVar(&cfg.Duration, "duration", DefaultDuration, fmt.Sprintf("how long to offer requests (at most %s)", MaxDuration))
	fs.DurationVar(&cfg.Timeout, "timeout", DefaultTimeout, fmt.Sprintf("per-request timeout (at most %s)", MaxTimeout))
	fs.StringVar(&paths, "paths", strings.Join(DefaultPaths, ","), "comma-separated API paths to GET in turn")
	fs.StringVar(&cfg.CAFile, "ca-file", "", "PEM CA bundle to trust instead of the system roots (private CA)")
	fs.BoolVar(&cfg.JSON, "json", false, "print the report as JSON")
	fs.Float64Var(&cfg.Thresholds.MaxErrorRate, "max-error-rate", DefaultMaxErrorRate,
		"fail when (errors + dropped) / offered exceeds this fraction (0.01 = 1%)")
	fs.DurationVar(&cfg.Thresholds.MaxP95, "max-p95", 0, "fail when the overall p95 latency exceeds this (0: unchecked)")
	if err := fs.Parse(args); err != nil {
		// The flag package has printed the problem and the usage already.
		return Config{}, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	u, err := parseBaseURL(rawURL)
	if err != nil {
		add("-url: %v", err)
	}
	cfg.BaseURL = u
	if strings.TrimSpace(cfg.Username) == "" {
		add("-username (or $%s) is required", UsernameEnv)
	}
	pw, err := readPassword(getenv(PasswordEnv), passwFile)
	if err != nil {
		errs = append(errs, err)
	}
	cfg.Password = pw
	cfg.Paths, err = parsePaths(paths)
	if err != nil {
		add("-paths: %v", err)
	}
	if math.IsNaN(cfg.Rate) || cfg.Rate <= 0 || cfg.Rate > MaxRate {
		add("-rate %g: must be above 0 and at most %g", cfg.Rate, MaxRate)
	}
	if cfg.Concurrency < 1 || cfg.Concurrency > MaxConcurrency {
		add("-concurrency %d: must be between 1 and %d", cfg.Concurrency, MaxConcurrency)
	}
	if cfg.Duration <= 0 || cfg.Duration > MaxDuration {
		add("-duration %s: must be above 0 and at most %s", cfg.Duration, MaxDuration)
	}
	if cfg.Timeout <= 0 || cfg.Timeout > MaxTimeout {
		add("-timeout %s: must be above 0 and at most %s", cfg.Timeout, MaxTimeout)
	}
	if r := cfg.Thresholds.MaxErrorRate; math.IsNaN(r) || r < 0 || r > 1 {
		add("-max-error-rate %g: must be a fraction between 0 and 1", r)
	}
	if cfg.Thresholds.MaxP95 < 0 {
		add("-max-p95 %s: must not be negative", cfg.Thresholds.MaxP95)
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// parseBaseURL accepts only https: the password and the token travel in every
// request. Credentials in the URL would show in ps like a password flag.
func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("required (or $%s)", URLEnv)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL")
	}
	switch {
	case u.Scheme != "https":
		return nil, fmt.Errorf("%q: must be an https:// URL (the password and token must not travel in clear)", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("%q: has no host", u.Redacted())
	case u.User != nil:
		return nil, fmt.Errorf("must not hold credentials; use -username and $%s", PasswordEnv)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%q: must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// parsePaths refuses anything but a path on the appliance itself: an absolute
// or scheme-relative URL would send the Bearer token to another host.
func parsePaths(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("empty path in %q", list)
		}
		ref, err := url.Parse(p)
		if err != nil || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || ref.Scheme != "" || ref.Host != "" || ref.Fragment != "" {
			return nil, fmt.Errorf("%q: must be a path on the appliance such as /api/whoami", p)
		}
		out = append(out, p)
	}
	return out, nil
}

// readPassword takes the password from the environment or from a file, and
// refuses both at once, so it is never ambiguous which one a run used.
func readPassword(fromEnv, file string) (Secret, error) {
	switch {
	case fromEnv != "" && file != "":
		return "", fmt.Errorf("the password comes from $%s or -password-file, not both", PasswordEnv)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			// The path is the user's own; the error never holds the content.
			return "", fmt.Errorf("-password-file: %v", err)
		}
		// The first line is the password: files written by echo or an editor
		// end in a newline that is not part of it.
		pw, _, _ := strings.Cut(string(b), "\n")
		pw = strings.TrimSuffix(pw, "\r")
		if pw == "" {
			return "", fmt.Errorf("-password-file %s: first line is empty", file)
		}
		return Secret(pw), nil
	case fromEnv != "":
		return Secret(fromEnv), nil
	}
	return "", fmt.Errorf("no password: set $%s or -password-file (there is no password flag: it would show in ps and shell history)", PasswordEnv)
}

// targetURLs joins each path (with its query) to the base URL once, so the
// workers do no URL work per request.
func targetURLs(base *url.URL, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		ref, _ := url.Parse(p) // validated by parsePaths
		u := *base
		u.Path = base.Path + ref.Path
		u.RawPath = ""
		u.RawQuery = ref.RawQuery
		out[i] = u.String()
	}
	return out
}
