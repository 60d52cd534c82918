package accountsecurity_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/accountsecurity"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	topicArn     = "arn:aws:sns:eu-west-1:123456789012:morpheus-ha-prod-alerts"
	hubType      = "aws:securityhub/account:Account"
	standardType = "aws:securityhub/standardsSubscription:StandardsSubscription"
	detectorType = "aws:guardduty/detector:Detector"
	featureType  = "aws:guardduty/detectorFeature:DetectorFeature"
	ruleType     = "aws:cloudwatch/eventRule:EventRule"
	targetType   = "aws:cloudwatch/eventTarget:EventTarget"
)

func baseArgs() *accountsecurity.Args {
	return &accountsecurity.Args{
		Namer:          testutil.ProdNamer(),
		Env:            testutil.Env(),
		SecurityHub:    true,
		CISVersion:     "3.0.0",
		GuardDuty:      true,
		AlertsTopicArn: pulumi.String(topicArn),
	}
}

func run(t *testing.T, mutate func(*accountsecurity.Args)) (*testutil.Recorder, error) {
	t.Helper()
	a := baseArgs()
	mutate(a)
	return testutil.Run(func(ctx *pulumi.Context) error {
		_, err := accountsecurity.NewAccountSecurity(ctx, "account-security", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

// TestServices: each option creates exactly its service's resources, retained
// on delete (account-wide singletons), and a findings rule to the alerts topic.
func TestServices(t *testing.T) {
	for _, tc := range []struct {
		name                string
		hub, guard, runtime bool
		standards, features int
		wantRules           []string
	}{
		{"both", true, true, false, 2, 4, []string{"morpheus-ha-prod-securityhub-findings", "morpheus-ha-prod-guardduty-findings"}},
		{"security hub only", true, false, false, 2, 0, []string{"morpheus-ha-prod-securityhub-findings"}},
		{"guardduty with runtime monitoring", false, true, true, 0, 5, []string{"morpheus-ha-prod-guardduty-findings"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := run(t, func(a *accountsecurity.Args) {
				a.SecurityHub, a.GuardDuty, a.RuntimeMonitoring = tc.hub, tc.guard, tc.runtime
			})
			require.NoError(t, err)
			testutil.AssertChildrenOf(t, rec, accountsecurity.TypeToken, "account-security")
			assert.Len(t, rec.ByType(standardType), tc.standards)
			assert.Len(t, rec.ByType(featureType), tc.features)
			for _, typ := range []string{hubType, standardType, detectorType, featureType} {
				for _, r := range rec.ByType(typ) {
					assert.True(t, r.Retain, "%s is account-wide and must be retained on delete", r.Name)
				}
			}
			var rules []string
			for _, r := range rec.ByType(ruleType) {
				rules = append(rules, r.String("name"))
				assert.False(t, r.Retain, "the stack's own rules go with it")
			}
			assert.ElementsMatch(t, tc.wantRules, rules)
			for _, tg := range rec.ByType(targetType) {
				assert.Equal(t, topicArn, tg.String("arn"))
				assert.Empty(t, tg.String("roleArn"), "a role breaks delivery to a KMS-encrypted topic")
			}
		})
	}
}

// TestSecurityHubStandards: no default standards (CIS 1.2.0 is among them),
// consolidated findings, and FSBP plus the chosen CIS version in the stack's
// Region.
func TestSecurityHubStandards(t *testing.T) {
	rec, err := run(t, func(a *accountsecurity.Args) { a.GuardDuty, a.CISVersion = false, "1.4.0" })
	require.NoError(t, err)
	hub := rec.ByType(hubType)
	require.Len(t, hub, 1)
	assert.False(t, hub[0].Bool("enableDefaultStandards"))
	assert.Equal(t, "SECURITY_CONTROL", hub[0].String("controlFindingGenerator"))
	var arns []string
	for _, s := range rec.ByType(standardType) {
		arns = append(arns, s.String("standardsArn"))
	}
	assert.ElementsMatch(t, []string{
		"arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
		"arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/1.4.0",
	}, arns)
}

// TestGuardDutyFeatures: the detector publishes every 15 minutes and every
// protection of the stack's resource types is on; runtime monitoring manages
// its EC2 agent.
func TestGuardDutyFeatures(t *testing.T) {
	rec, err := run(t, func(a *accountsecurity.Args) { a.SecurityHub, a.RuntimeMonitoring = false, true })
	require.NoError(t, err)
	d := rec.ByType(detectorType)
	require.Len(t, d, 1)
	assert.True(t, d[0].Bool("enable"))
	assert.Equal(t, "FIFTEEN_MINUTES", d[0].String("findingPublishingFrequency"))
	got := map[string]string{}
	for _, f := range rec.ByType(featureType) {
		assert.Equal(t, "ENABLED", f.String("status"), f.Name)
		got[f.String("name")] = ""
		for _, extra := range f.Objects("additionalConfigurations") {
			got[f.String("name")] = extra["name"].StringValue() + "=" + extra["status"].StringValue()
		}
	}
	assert.Equal(t, map[string]string{
		"S3_DATA_EVENTS": "", "EBS_MALWARE_PROTECTION": "", "RDS_LOGIN_EVENTS": "", "LAMBDA_NETWORK_LOGS": "",
		"RUNTIME_MONITORING": "EC2_AGENT_MANAGEMENT=ENABLED",
	}, got)
}

// TestFindingPatterns: the rules match HIGH and CRITICAL only, as valid JSON
// in EventBridge's pattern syntax.
func TestFindingPatterns(t *testing.T) {
	rec, err := run(t, func(*accountsecurity.Args) {})
	require.NoError(t, err)
	patterns := map[string]string{}
	for _, r := range rec.ByType(ruleType) {
		require.True(t, json.Valid([]byte(r.String("eventPattern"))), r.Name)
		patterns[r.String("name")] = r.String("eventPattern")
	}
	assert.JSONEq(t, `{"source":["aws.securityhub"],"detail-type":["Security Hub Findings - Imported"],
		"detail":{"findings":{"Severity":{"Label":["CRITICAL","HIGH"]},"Workflow":{"Status":["NEW"]},"RecordState":["ACTIVE"]}}}`,
		patterns["morpheus-ha-prod-securityhub-findings"])
	assert.JSONEq(t, `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}`,
		patterns["morpheus-ha-prod-guardduty-findings"])
}

func TestInvalidArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		mut  func(*accountsecurity.Args)
		want string
	}{
		{"nothing enabled", func(a *accountsecurity.Args) { a.SecurityHub, a.GuardDuty = false, false }, "nothing to create"},
		{"unknown CIS version", func(a *accountsecurity.Args) { a.CISVersion = "1.2.0" }, "CISVersion"},
		{"runtime without GuardDuty", func(a *accountsecurity.Args) { a.GuardDuty, a.RuntimeMonitoring = false, true }, "RuntimeMonitoring needs GuardDuty"},
		{"no topic", func(a *accountsecurity.Args) { a.AlertsTopicArn = nil }, "AlertsTopicArn"},
		{"no region", func(a *accountsecurity.Args) { a.Env.Region = "" }, "Region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := run(t, tc.mut)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.Resources())
		})
	}
}
