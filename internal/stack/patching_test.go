package stack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestPatchWindowTargetsThisStacksTaggedNodes: the nodes carry the patch group
// tag (instances through the launch template and the group's propagated tags),
// and the window's target asks for exactly that tag and this group's name.
func TestPatchWindowTargetsThisStacksTaggedNodes(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			rec := runEnv(t, env)
			group := "morpheus-ha-" + env + "-app"

			lts := rec.ByType("aws:ec2/launchTemplate:LaunchTemplate")
			require.Len(t, lts, 1)
			for _, spec := range lts[0].Objects("tagSpecifications") {
				assert.Equal(t, group, testutil.Str(spec, "tags", "PatchGroup"), "%s tags", testutil.Str(spec, "resourceType"))
			}
			asg := rec.ByType("aws:autoscaling/group:Group")[0]
			propagated := false
			for _, tag := range asg.Objects("tags") {
				if testutil.Str(tag, "key") == "PatchGroup" {
					assert.Equal(t, group, testutil.Str(tag, "value"))
					v, _ := testutil.Flag(tag, "propagateAtLaunch")
					propagated = v
				}
			}
			assert.True(t, propagated, "the group propagates PatchGroup to its nodes")

			targets := rec.ByType("aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget")
			require.Len(t, targets, 1)
			got := map[string][]string{}
			for _, tg := range targets[0].Objects("targets") {
				got[testutil.Str(tg, "key")] = testutil.Strs(tg, "values")
			}
			assert.Equal(t, map[string][]string{"tag:aws:autoscaling:groupName": {group}, "tag:PatchGroup": {group}}, got)
			for _, g := range rec.ByType("aws:ssm/patchGroup:PatchGroup") {
				assert.Equal(t, group, g.String("patchGroup"))
			}
		})
	}
}

// TestPatchWindowCanBeTurnedOff: maintenance.osPatchWindow.enabled false
// creates no baseline, window or runbook.
func TestPatchWindowCanBeTurnedOff(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{
		Config: testutil.With(testutil.BaseConfig("dev"), "maintenance", `{"osPatchWindow":{"enabled":false}}`),
	})
	for _, token := range []string{
		"aws:ssm/patchBaseline:PatchBaseline", "aws:ssm/patchGroup:PatchGroup",
		"aws:ssm/maintenanceWindow:MaintenanceWindow", "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask",
	} {
		assert.Empty(t, rec.ByType(token), token)
	}
}
