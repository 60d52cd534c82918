package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Inventory is what one offline plan recorded, handed to every Reporter: the
// stack's configuration values and the resources with their redacted inputs and
// dependencies, exactly as resources.json holds them.
type Inventory struct {
	// Project and Stack name the planned stack.
	Project, Stack string
	// Values maps fully qualified config keys to values (objects as JSON);
	// secure values are SecretPlaceholder.
	Values map[string]string
	// Entries are the recorded resources, sorted by URN.
	Entries []Entry
	// Replan plans the same program and stack again with other configuration
	// values (a variant of Values) and returns that plan's inventory, in
	// memory: it prints no tree and writes no file. A reporter uses it to
	// compare the stack with a variant of itself (a DR stack out of standby).
	// Nil when the inventory is not a plan's (a test's synthetic one); a
	// replanned inventory has none.
	Replan func(values map[string]string) (Inventory, error) `json:"-"`
}

// Report is one section a Reporter adds to the plan: Text is printed under
// Title after the tree, Data is written as indented JSON to File (relative to
// the stack's plan directory) when File is set.
type Report struct {
	Title string
	Text  string
	File  string
	Data  any
}

// Reporter derives a report from a plan's inventory (a cost estimate, a deploy
// time estimate, a policy report). An error fails the plan.
type Reporter func(Inventory) (Report, error)

// writeReport saves a report's data under dir and returns the path written, or
// "" when the report has no file.
func writeReport(dir string, r Report) (string, error) {
	if r.File == "" {
		return "", nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.Data); err != nil {
		return "", fmt.Errorf("report %q: %w", r.Title, err)
	}
	path := filepath.Join(dir, r.File)
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}
