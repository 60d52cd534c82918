package upgrade_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/upgrade"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func args() *upgrade.Args {
	return &upgrade.Args{
		Namer: testutil.ProdNamer(), From: "8.0.4", To: "8.0.7",
		InstanceIds: []string{"i-0bbbbbbbbbbbbbbb2", "i-0aaaaaaaaaaaaaaa1"},
	}
}

func program(a *upgrade.Args) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := upgrade.NewStopAll(ctx, "upgrade", a)
		return err
	}
}

// TestStopAll stops morpheus-ui on exactly the given nodes, waits for all of
// them, and is named after both versions so each upgrade runs it anew.
func TestStopAll(t *testing.T) {
	rec := testutil.MustRun(t, program(args()), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	a := rec.Find("aws:ssm/association:Association", "upgrade-stop-morpheus-ui")
	require.NotNil(t, a)
	assert.Equal(t, upgrade.StopCommand, a.String("parameters", "commands"))
	targets := a.Objects("targets")
	require.Len(t, targets, 1)
	assert.Equal(t, "InstanceIds", targets[0]["key"].StringValue())
	var ids []string
	for _, v := range targets[0]["values"].ArrayValue() {
		ids = append(ids, v.StringValue())
	}
	assert.Equal(t, []string{"i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"}, ids, "exactly the running nodes, sorted")
	assert.EqualValues(t, 900, a.Number("waitForSuccessTimeoutSeconds"), "pulumi up waits for every node")
	assert.Equal(t, "100%", a.String("maxConcurrency"))
	assert.Equal(t, "morpheus-ha-prod-stop-morpheus-ui-8-0-4-to-8-0-7", a.String("associationName"))
	testutil.AssertChildrenOf(t, rec, upgrade.TypeToken, "upgrade")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	for name, mutate := range map[string]func(*upgrade.Args){
		"no nodes":        func(a *upgrade.Args) { a.InstanceIds = nil },
		"same version":    func(a *upgrade.Args) { a.To = a.From },
		"bad version":     func(a *upgrade.Args) { a.To = "8.1" },
		"no stack naming": func(a *upgrade.Args) { a.Namer = naming.Namer{} },
	} {
		t.Run(name, func(t *testing.T) {
			a := args()
			mutate(a)
			rec, err := testutil.Run(program(a), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Empty(t, rec.Resources())
		})
	}
}
