package searchops_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
)

func TestPickSnapshot(t *testing.T) {
	list := []searchops.SnapshotInfo{
		{Name: "daily-2026-12-04", State: "SUCCESS", StartMillis: 400},
		{Name: "daily-2026-12-05", State: "SUCCESS", StartMillis: 500},
		{Name: "daily-2026-12-06", State: "FAILED", StartMillis: 600},
		{Name: "daily-2026-12-07", State: "IN_PROGRESS", StartMillis: 700},
		{Name: "manual", State: "PARTIAL", StartMillis: 800},
	}
	for name, tc := range map[string]struct {
		list      []searchops.SnapshotInfo
		snapshot  string
		want, err string
	}{
		"newest success":     {list: list, want: "daily-2026-12-05"},
		"tie by name":        {list: append(list[:2:2], searchops.SnapshotInfo{Name: "daily-2026-12-05b", State: "SUCCESS", StartMillis: 500}), want: "daily-2026-12-05b"},
		"named success":      {list: list, snapshot: "daily-2026-12-04", want: "daily-2026-12-04"},
		"named failed":       {list: list, snapshot: "daily-2026-12-06", err: "snapshot repo/daily-2026-12-06 is FAILED, not SUCCESS"},
		"named partial":      {list: list, snapshot: "manual", err: "is PARTIAL"},
		"named missing":      {list: list, snapshot: "daily-2020-01-01", err: "repository repo has no snapshot daily-2020-01-01 (it has 5)"},
		"none successful":    {list: list[2:], err: "repository repo has no SUCCESS snapshot to restore (it has 3 snapshots)"},
		"no snapshot at all": {err: "repository repo has no SUCCESS snapshot to restore (it has 0 snapshots)"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := searchops.PickSnapshot(tc.list, "repo", tc.snapshot)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Name)
		})
	}
}
