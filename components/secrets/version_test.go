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
// and the provider never drops it from state to create it again. That holds
// for every purpose of Purposes (the service admins rotate in place); only
// the appliance setup's MorpheusAdmin stays fully managed.
func TestRotatedVersionsSurviveRotation(t *testing.T) {
	rec, _ := runAdmin(t, true)
	for _, p := range append(append([]secrets.Purpose(nil), secrets.Purposes...), secrets.MorpheusAdmin) {
		t.Run(string(p), func(t *testing.T) {
			v := rec.Find(tVersion, "secrets-"+string(p)+"-version")
			require.NotNil(t, v)
			if p == secrets.MorpheusAdmin {
				// Used once by the setup; nothing rotates it, so a drift
				// from the generated password must show.
				assert.False(t, secrets.Rotated(p))
				assert.Empty(t, v.IgnoreChanges)
				assert.Empty(t, v.Strings("versionStages"), "the provider's default, AWSCURRENT")
				return
			}
			assert.True(t, secrets.Rotated(p), "every purpose of Purposes rotates")
			assert.ElementsMatch(t, []string{"secretString", "versionStages"}, v.IgnoreChanges)
			assert.Equal(t, []string{"AWSCURRENT", secrets.InitialStage}, v.Strings("versionStages"))
		})
	}
}
