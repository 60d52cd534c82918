package stack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/morpheus-ha/morpheus-ha/components/accountsecurity"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestAccountSecurityOptIn: the account services exist only when the stack
// asks for them, and their findings go to the stack's alerts topic.
func TestAccountSecurityOptIn(t *testing.T) {
	for _, tc := range []struct {
		name, security    string
		detector, hub     int
		wantFindingsRules int
	}{
		{"off by default", "", 0, 0, 0},
		{"both", `"securityHub":{"enabled":true},"guardDuty":{"enabled":true}`, 1, 1, 2},
		{"guardduty only", `"guardDuty":{"enabled":true}`, 1, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testutil.BaseConfig("prod")
			if tc.security != "" {
				// The base config's break-glass role stays next to the new keys.
				cfg = testutil.With(cfg, "security", `{"breakGlassRoleArns":["`+testutil.DeployerRoleArn+`"],`+tc.security+`}`)
			}
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: cfg})
			assert.Len(t, rec.ByType("aws:guardduty/detector:Detector"), tc.detector)
			assert.Len(t, rec.ByType("aws:securityhub/account:Account"), tc.hub)
			n := 0
			for _, r := range rec.ByType("aws:cloudwatch/eventTarget:EventTarget") {
				if strings.HasPrefix(r.Name, "account-security-") {
					n++
					assert.Equal(t, "arn:aws:sns:eu-west-1:123456789012:morpheus-ha-prod-alerts", r.String("arn"))
				}
			}
			assert.Equal(t, tc.wantFindingsRules, n)
		})
	}
}

// TestCISVersionsAgree: the config accepts exactly the CIS versions the
// component subscribes to.
func TestCISVersionsAgree(t *testing.T) {
	assert.Equal(t, accountsecurity.CISVersions, config.CISVersions)
}
