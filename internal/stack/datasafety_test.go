package stack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestTeardownKeepsData: allowDestroy lifts pulumi protect and deletion
// protection only. A prod teardown still leaves Aurora's final snapshot and
// keeps every secret restorable for 30 days (the snapshot's users need their
// passwords); dev keeps neither.
func TestTeardownKeepsData(t *testing.T) {
	for _, tc := range []struct {
		name         string
		config       map[string]string
		protect      bool
		snapshot     bool
		recoveryDays float64
	}{
		{"prod", testutil.BaseConfig("prod"), true, true, 30},
		{"prod with allowDestroy", testutil.With(testutil.BaseConfig("prod"), "allowDestroy", "true"), false, true, 30},
		{"dev", testutil.BaseConfig("dev"), false, false, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: tc.config})
			clusters := rec.ByType("aws:rds/cluster:Cluster")
			require.Len(t, clusters, 1)
			c := clusters[0]
			assert.Equal(t, tc.protect, c.Protect)
			assert.Equal(t, tc.protect, c.Bool("deletionProtection"))
			assert.Equal(t, !tc.snapshot, c.Bool("skipFinalSnapshot"))
			if tc.snapshot {
				assert.Equal(t, "morpheus-ha-prod-aurora-final", c.String("finalSnapshotIdentifier"))
			}
			secrets := rec.ByType("aws:secretsmanager/secret:Secret")
			require.NotEmpty(t, secrets)
			for _, s := range secrets {
				assert.Equal(t, tc.recoveryDays, s.Number("recoveryWindowInDays"), s.Name)
			}
		})
	}
}
