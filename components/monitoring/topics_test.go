package monitoring_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const eastKeyArn = "arn:aws:kms:us-east-1:123456789012:key/keys-notifications-us-east-1-id"

func topicsByArn(rec *testutil.Recorder) map[string]*testutil.Resource {
	out := map[string]*testutil.Resource{}
	for _, tp := range rec.ByType(topicType) {
		region := "eu-west-1"
		if strings.HasPrefix(tp.Name, "monitoring-us-east-1") {
			region = "us-east-1"
		}
		out["arn:aws:sns:"+region+":123456789012:"+tp.String("name")] = tp
	}
	return out
}

// TestTopicsUseCustomerManagedKeys: SNS.1 and pitfall 3 (alias/aws/sns drops
// alarms): each topic uses the customer-managed key of its region it is given.
func TestTopicsUseCustomerManagedKeys(t *testing.T) {
	rec := run(t, nil)
	topics := topicsByArn(rec)
	require.Len(t, topics, 2)
	assert.Equal(t, notifyKey, topics[mainTopicArn].String("kmsMasterKeyId"), "the stack's notifications key")
	assert.Equal(t, eastKeyArn, topics[eastTopicArn].String("kmsMasterKeyId"), "the us-east-1 key")
	assert.Empty(t, rec.ByType(keyType), "the keys component owns every key")
}

// TestTopicPoliciesAdmitOnlyOurPublishers: CloudWatch (and EventBridge on the
// main topic) may publish for this account's alarms and rules only (SNS.4);
// additional publishers (the cost services) reach the main topic only, for
// this account only.
func TestTopicPoliciesAdmitOnlyOurPublishers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		additional []string
		want       map[string][]string
	}{
		{name: "alarms and rules", want: map[string][]string{
			mainTopicArn: {"cloudwatch.amazonaws.com", "events.amazonaws.com"},
			eastTopicArn: {"cloudwatch.amazonaws.com"},
		}},
		{name: "with the cost services", additional: []string{"budgets.amazonaws.com", "costalerts.amazonaws.com"},
			want: map[string][]string{
				mainTopicArn: {"budgets.amazonaws.com", "cloudwatch.amazonaws.com", "costalerts.amazonaws.com", "events.amazonaws.com"},
				eastTopicArn: {"cloudwatch.amazonaws.com"},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := run(t, func(a *monitoring.Args) { a.AdditionalPublishers = tc.additional })
			checkTopicPolicies(t, rec, tc.want)
		})
	}
}

// checkTopicPolicies asserts that each topic's policy admits exactly want's
// services, each for this account only, and denies everyone else only.
func checkTopicPolicies(t *testing.T, rec *testutil.Recorder, want map[string][]string) {
	t.Helper()
	policies := rec.ByType(policyType)
	require.Len(t, policies, 2)
	for _, p := range policies {
		arn := p.String("arn")
		require.Contains(t, want, arn, "policy on an unknown topic")
		var doc iampolicy.Document
		require.NoError(t, json.Unmarshal([]byte(p.String("policy")), &doc))
		var services []string
		for _, s := range doc.Statement {
			assert.Equal(t, []string{arn}, s.Resource, "%s: statement %s", arn, s.Sid)
			if s.Principal["AWS"] == "*" || s.Principal["Service"] == nil {
				assert.NotEmpty(t, s.Condition, "%s: statement %s has an unconditioned principal", arn, s.Sid)
				assert.Equal(t, "Deny", s.Effect, "%s: a wildcard principal may only be denied", arn)
				continue
			}
			svc := s.Principal["Service"].(string)
			services = append(services, svc)
			assert.Equal(t, []string{"sns:Publish"}, s.Action)
			assert.Equal(t, testutil.AccountID, s.Condition["StringEquals"]["aws:SourceAccount"], "%s: %s", arn, svc)
			if svc != "cloudwatch.amazonaws.com" && svc != "events.amazonaws.com" {
				assert.NotContains(t, s.Condition, "ArnLike", "%s: %s is pinned by account only", arn, svc)
				continue
			}
			source := s.Condition["ArnLike"]["aws:SourceArn"].(string)
			assert.True(t, strings.HasPrefix(source, "arn:aws:"), source)
			assert.Contains(t, source, ":"+testutil.AccountID+":")
		}
		sort.Strings(services)
		assert.Equal(t, want[arn], services, arn)
	}
}

// TestTopicPolicySids: every publisher gets its own statement id, so two
// services never collapse into one statement in the console.
func TestTopicPolicySids(t *testing.T) {
	doc := monitoring.TopicPolicy(env, mainTopicArn, "cloudwatch.amazonaws.com", "events.amazonaws.com",
		"budgets.amazonaws.com", "costalerts.amazonaws.com", "backup.amazonaws.com")
	var sids []string
	for _, s := range doc.Statement {
		sids = append(sids, s.Sid)
	}
	assert.Equal(t, []string{"AlarmsPublish", "EventRulesPublish", "BudgetsPublish", "CostAnomalyAlertsPublish", "PublishBackup", "DenyInsecureTransport"}, sids)
}

// TestAdditionalPublishersAreServicePrincipals: anything but a service
// principal (an account, a wildcard) is refused before any resource.
func TestAdditionalPublishersAreServicePrincipals(t *testing.T) {
	for _, p := range []string{"123456789012", "*", "*.amazonaws.com", "arn:aws:iam::123456789012:root"} {
		t.Run(p, func(t *testing.T) {
			rec, err := testutil.Run(program(func(a *monitoring.Args) { a.AdditionalPublishers = []string{p} }, nil),
				testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "AdditionalPublishers")
			assert.Empty(t, rec.ByType(topicType), "validation runs before any child")
		})
	}
}

func TestSubscriptions(t *testing.T) {
	rec := run(t, nil)
	type sub struct{ topic, protocol, endpoint string }
	var got []sub
	names := map[string]bool{}
	for _, s := range rec.ByType(subType) {
		names[s.Name] = true
		got = append(got, sub{s.String("topic"), s.String("protocol"), s.String("endpoint")})
	}
	var want []sub
	for _, topic := range []string{mainTopicArn, eastTopicArn} {
		want = append(want, sub{topic, "email", "ops@example.com"}, sub{topic, "email", "dba@example.com"},
			sub{topic, "https", "https://hooks.example.com/morpheus"})
	}
	assert.ElementsMatch(t, want, got)

	// Reordering the list must not rename (replace, re-confirm) a subscription.
	reordered := run(t, func(a *monitoring.Args) { a.AlertEmails = []string{"dba@example.com", "ops@example.com"} })
	for _, s := range reordered.ByType(subType) {
		assert.True(t, names[s.Name], "%s was renamed by reordering the e-mails", s.Name)
	}
}
