// Package pricing estimates a stack's monthly on-demand cost from an offline
// plan's inventory and a dated price table shipped in the repository, so `make
// plan` can say what a stack will cost before anyone runs `pulumi up`.
package pricing

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// regionFiles holds one price table per supported region. They are JSON, not
// Go, so a price update is a data change a reviewer can diff line by line and
// each price carries its own source and URL next to the figure.
//
//go:embed regions/*.json
var regionFiles embed.FS

// Price is one on-demand unit price.
type Price struct {
	// USD is the price of one Unit.
	USD float64 `json:"usd"`
	// Unit is what USD buys, e.g. "instance-hour" or "GB-month".
	Unit string `json:"unit"`
	// Basis is how sure the figure is: "S" (two or more public price tables
	// agree), "R" (recalled, unconfirmed) or "A" (an assumption: no published
	// figure was checked).
	Basis string `json:"basis"`
	// Source says where the figure comes from, and says so when it is an
	// assumption.
	Source string `json:"source"`
	// URL is the AWS pricing page to verify the figure against.
	URL string `json:"url"`
}

// Table is the price list of one region.
type Table struct {
	// Region is the AWS region the prices apply to.
	Region string `json:"region"`
	// Date is when the figures were copied into the table (YYYY-MM-DD).
	Date string `json:"date"`
	// Source describes where the table's figures come from as a whole.
	Source string `json:"source"`
	// Prices maps a price key (e.g. "ec2.instance.m6i.xlarge") to its price.
	Prices map[string]Price `json:"prices"`
}

// Regions lists the regions with a shipped price table, sorted.
func Regions() []string {
	entries, err := regionFiles.ReadDir("regions")
	if err != nil {
		// The directory is embedded at build time; it cannot be missing.
		panic(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// LoadTable returns the shipped price table of region. A region without a
// table is an error naming the region and the supported ones.
func LoadTable(region string) (Table, error) {
	b, err := regionFiles.ReadFile(path.Join("regions", region+".json"))
	if err != nil {
		return Table{}, fmt.Errorf("no price table for region %q (supported: %s)", region, strings.Join(Regions(), ", "))
	}
	var t Table
	dec := json.NewDecoder(bytes.NewReader(b))
	// A misspelt field would otherwise read as a zero price.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Table{}, fmt.Errorf("price table %s: %w", region, err)
	}
	if t.Region != region {
		return Table{}, fmt.Errorf("price table %s.json names region %q", region, t.Region)
	}
	return t, nil
}
