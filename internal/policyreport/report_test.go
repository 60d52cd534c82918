package policyreport_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/policyreport"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// logGroup is an entry violating one mandatory and one advisory rule.
var logGroup = plan.Entry{
	URN:  "urn:pulumi:prod::morpheus-ha::aws:cloudwatch/logGroup:LogGroup::lg",
	Type: "aws:cloudwatch/logGroup:LogGroup", Name: "lg",
	Inputs: map[string]any{"retentionInDays": 90.0},
}

func TestReporterTable(t *testing.T) {
	r, err := policyreport.Reporter(plan.Inventory{Project: "morpheus-ha", Stack: "prod", Entries: []plan.Entry{logGroup}})
	require.NoError(t, err)
	assert.Equal(t, "Policy report", r.Title)
	assert.Equal(t, "policy.json", r.File)
	lines := strings.Split(strings.TrimSuffix(r.Text, "\n"), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, []string{"RULE", "LEVEL", "RESOURCE", "MESSAGE"}, strings.Fields(lines[0]))
	assert.Regexp(t, `^cloudwatch-log-group-kms\s+mandatory\s+lg \(aws:cloudwatch/logGroup:LogGroup\)\s+kmsKeyId is unset`, lines[1])
	assert.Regexp(t, `^cloudwatch-log-retention-one-year\s+advisory\s+lg `, lines[2])
	assert.Equal(t, "1 mandatory, 1 advisory", lines[3])
	rows, ok := r.Data.([]rules.Finding)
	require.True(t, ok)
	require.Len(t, rows, 2)
	assert.Equal(t, rules.Finding{Rule: "cloudwatch-log-group-kms", Level: rules.Mandatory, URN: logGroup.URN, Type: logGroup.Type, Name: "lg",
		Message: "kmsKeyId is unset; encrypt with the stack's customer managed key"}, rows[0])
}

func TestReporterNoFindings(t *testing.T) {
	r, err := policyreport.Reporter(plan.Inventory{Project: "morpheus-ha", Stack: "dev"})
	require.NoError(t, err)
	assert.Equal(t, "0 mandatory, 0 advisory\n", r.Text)
	b, err := json.Marshal(r.Data)
	require.NoError(t, err)
	assert.Equal(t, "[]", string(b), "an empty report is an empty list, not null")
}

// TestContext: the rules see the stack's environment and allowDestroy, the
// environment defaulting to dev as in Pulumi.yaml.
func TestContext(t *testing.T) {
	for _, tc := range []struct {
		values map[string]string
		want   rules.Context
	}{
		{map[string]string{"morpheus-ha:environment": "prod"}, rules.Context{Environment: "prod"}},
		{map[string]string{"morpheus-ha:environment": "prod", "morpheus-ha:allowDestroy": "true"}, rules.Context{Environment: "prod", AllowDestroy: true}},
		{nil, rules.Context{Environment: "dev"}},
	} {
		assert.Equal(t, tc.want, policyreport.Context(plan.Inventory{Project: "morpheus-ha", Values: tc.values}))
	}
}

// knownMandatory lists the mandatory violations the shipped stacks have today,
// as "rule resource-name": none, so a PR preview with the pack passes. The test
// fails when a new one appears (fix the stack, or argue the rule's level in
// policy/README.md and docs/security-exceptions.md).
var knownMandatory = map[string][]string{"prod": nil, "dev": nil, "dr": nil}

// TestShippedStacks plans the shipped stacks with the reporter, as `make plan`
// does, and checks the printed table, policy.json, the exact mandatory
// violations, and that every advisory rule that fires is explained in
// docs/security-exceptions.md.
func TestShippedStacks(t *testing.T) {
	exceptions, err := os.ReadFile(filepath.Join(testutil.ProjectRoot, "docs", "security-exceptions.md"))
	require.NoError(t, err)
	for _, stackName := range []string{"prod", "dev", "dr"} {
		t.Run(stackName, func(t *testing.T) {
			out := t.TempDir()
			var buf bytes.Buffer
			_, err := plan.Run(stack.Run, nil, testutil.ShippedProject(t, nil), out, stackName, &buf, policyreport.Reporter)
			require.NoError(t, err)

			printed := buf.String()
			require.Contains(t, printed, "\nPolicy report:\n")
			report := printed[strings.Index(printed, "\nPolicy report:\n"):]
			assert.Contains(t, printed, filepath.Join(out, stackName, "policy.json"))

			b, err := os.ReadFile(filepath.Join(out, stackName, "policy.json"))
			require.NoError(t, err)
			var rows []map[string]any
			require.NoError(t, json.Unmarshal(b, &rows))
			if len(rows) > 0 {
				// A clean stack (prod today) prints the count line only.
				header := strings.SplitN(report, "\n", 4)[2]
				assert.Equal(t, []string{"RULE", "LEVEL", "RESOURCE", "MESSAGE"}, strings.Fields(header))
			}
			var mandatory []string
			advisory := 0
			for _, row := range rows {
				keys := make([]string, 0, len(row))
				for k := range row {
					keys = append(keys, k)
				}
				assert.ElementsMatch(t, []string{"rule", "level", "urn", "type", "name", "message"}, keys)
				switch row["level"] {
				case "mandatory":
					mandatory = append(mandatory, row["rule"].(string)+" "+row["name"].(string))
				case "advisory":
					advisory++
					assert.Contains(t, string(exceptions), "`"+row["rule"].(string)+"`",
						"advisory %s fires on %s: docs/security-exceptions.md must explain it", row["rule"], row["name"])
				default:
					t.Errorf("row with level %v", row["level"])
				}
			}
			assert.Equal(t, knownMandatory[stackName], mandatory)
			assert.Contains(t, report, fmt.Sprintf("  %d mandatory, %d advisory\n", len(mandatory), advisory))
		})
	}
}
