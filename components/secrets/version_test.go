package secrets_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
)

// TestRotatedVersionsSurviveRotation: the first version of each secret the ops
// function rotates ignores its value and labels (a refresh after a rotation
// then plans no change, so `pulumi up` never writes the original password back
// as AWSCURRENT) and carries InitialStage, so Secrets Manager never deletes it
// and the provider never drops it from state to create it again. The admin
// secrets, which nothing rotates, stay fully managed: their services took the
// same password at creation, so a drift there must show.
func TestRotatedVersionsSurviveRotation(t *testing.T) {
	rec, _ := run(t, "prod", true, true)
	for _, tc := range []struct {
		purpose secrets.Purpose
		rotated bool
	}{
		{secrets.DBMorpheus, true},
		{secrets.MQMorpheus, true},
		{secrets.OpenSearchMorpheus, true},
		{secrets.MQAdmin, false},
		{secrets.OpenSearchMaster, false},
	} {
		t.Run(string(tc.purpose), func(t *testing.T) {
			assert.Equal(t, tc.rotated, secrets.Rotated(tc.purpose))
			v := rec.Find(tVersion, "secrets-"+string(tc.purpose)+"-version")
			require.NotNil(t, v)
			if !tc.rotated {
				assert.Empty(t, v.IgnoreChanges)
				assert.Empty(t, v.Strings("versionStages"), "the provider's default, AWSCURRENT")
				return
			}
			assert.ElementsMatch(t, []string{"secretString", "versionStages"}, v.IgnoreChanges)
			assert.Equal(t, []string{"AWSCURRENT", secrets.InitialStage}, v.Strings("versionStages"))
		})
	}
}
