// Package morpheusupgrade decides how the app nodes may move from the Morpheus
// version they run to the one the configuration asks for: a rolling instance
// refresh (old and new nodes serve side by side for a while), or stopping
// morpheus-ui on every node first, because two versions that disagree on their
// message formats must never serve together.
package morpheusupgrade

import (
	"fmt"
	"strconv"
	"strings"
)

// Strategy is how an upgrade is carried out.
type Strategy string

const (
	// Rolling replaces nodes one at a time while the others serve.
	Rolling Strategy = "rolling"
	// StopAll stops morpheus-ui on every node before the refresh: a short
	// outage, but no mixed-version cluster.
	StopAll Strategy = "stopAll"
)

// Strategies lists the strategies a configuration may name.
var Strategies = []Strategy{Rolling, StopAll}

// Source is where the rolling-upgrade table comes from.
const Source = "Morpheus 8.0.7 documentation: getting_started/maintenance/upgrades/fullha/deb.rst and conf.py " +
	"(rolling upgrades between 8.0.5 and 8.0.7; from 8.0.4 or older stop morpheus-ui on all nodes first)"

// rollingPairs are the (from, to) version pairs Morpheus documents as safe to
// roll. A pair that is not here needs StopAll: an undocumented pair is treated
// as unsafe, since the failure it risks (message-serialization errors between
// nodes) corrupts work in flight.
var rollingPairs = map[[2]string]bool{
	{"8.0.5", "8.0.6"}: true,
	{"8.0.5", "8.0.7"}: true,
	{"8.0.6", "8.0.7"}: true,
}

// Decision is what a version change requires.
type Decision struct {
	// Change is false when the version stays the same.
	Change bool
	// Allowed is false for a downgrade, which no strategy makes safe.
	Allowed bool
	// Needs is the strategy the change requires (Rolling or StopAll).
	Needs Strategy
	// Reason explains the decision for an error message.
	Reason string
}

// Decide returns what moving from running to wanted requires. Versions are
// x.y.z with an optional -N package revision, which does not count.
func Decide(running, wanted string) (Decision, error) {
	from, err := parse(running)
	if err != nil {
		return Decision{}, fmt.Errorf("running version %q: %w", running, err)
	}
	to, err := parse(wanted)
	if err != nil {
		return Decision{}, fmt.Errorf("wanted version %q: %w", wanted, err)
	}
	switch c := compare(from, to); {
	case c == 0:
		return Decision{Allowed: true, Needs: Rolling, Reason: "same version"}, nil
	case c > 0:
		return Decision{Change: true, Reason: fmt.Sprintf("%s is older than the running %s: Morpheus does not support downgrades (the database schema only moves forward)", wanted, running)}, nil
	}
	key := [2]string{format(from), format(to)}
	if rollingPairs[key] {
		return Decision{Change: true, Allowed: true, Needs: Rolling, Reason: fmt.Sprintf("Morpheus documents a rolling upgrade from %s to %s", key[0], key[1])}, nil
	}
	return Decision{Change: true, Allowed: true, Needs: StopAll, Reason: fmt.Sprintf(
		"Morpheus documents no rolling upgrade from %s to %s, so old and new nodes must not serve together", key[0], key[1])}, nil
}

type version [3]int

func parse(s string) (version, error) {
	base, _, _ := strings.Cut(s, "-")
	parts := strings.Split(base, ".")
	if len(parts) != 3 {
		return version{}, fmt.Errorf("want x.y.z")
	}
	var v version
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return version{}, fmt.Errorf("want x.y.z of numbers")
		}
		v[i] = n
	}
	return v, nil
}

func compare(a, b version) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func format(v version) string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }
