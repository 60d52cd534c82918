package stack_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	budgetType   = "aws:budgets/budget:Budget"
	templateType = "aws:fis/experimentTemplate:ExperimentTemplate"
	scheduleType = "aws:autoscaling/schedule:Schedule"
)

// TestBadCostDrillsAndScheduleConfigRegistersNothing: every cost, drill and
// scheduled scale-in rule fails during config loading, naming the key,
// before any resource registers.
func TestBadCostDrillsAndScheduleConfigRegistersNothing(t *testing.T) {
	prod, dev, staging := testutil.BaseConfig("prod"), testutil.BaseConfig("dev"), testutil.BaseConfig("staging")
	const on = `"enabled":true`
	cases := []struct {
		name    string
		base    map[string]string
		key     string
		value   string
		wantKey string
		wantMsg string
	}{
		{"zero budget", dev, "cost", `{"monthlyBudgetUsd":0}`, "morpheus-ha:cost.monthlyBudgetUsd", "positive amount"},
		{"negative budget", prod, "cost", `{"monthlyBudgetUsd":-100}`, "morpheus-ha:cost.monthlyBudgetUsd", "positive amount"},
		{"budget as a string", dev, "cost", `{"monthlyBudgetUsd":"500"}`, "morpheus-ha:cost.monthlyBudgetUsd", "type number"},
		{"anomaly threshold below a dollar", dev, "cost", `{"anomalyThresholdUsd":0.5}`, "morpheus-ha:cost.anomalyThresholdUsd", "at least 1 USD"},
		{"typo in cost", dev, "cost", `{"monthlyBudget":500}`, "morpheus-ha:cost.monthlyBudget", "unknown field"},
		{"drill AZ outside the VPC", staging, "drills", `{"azIndex":3}`, "morpheus-ha:drills.azIndex", "between 0 and network.azCount - 1 (2)"},
		{"negative drill AZ", staging, "drills", `{"azIndex":-1}`, "morpheus-ha:drills.azIndex", "between 0"},
		{"unbounded disruption", staging, "drills", `{"networkDisruptionMinutes":120}`, "morpheus-ha:drills.networkDisruptionMinutes", "between 1 and 30"},
		{"no disruption", staging, "drills", `{"networkDisruptionMinutes":0}`, "morpheus-ha:drills.networkDisruptionMinutes", "between 1 and 30"},
		{"scheduled scale-in in prod", prod, "app", `{"scheduledScaleIn":{` + on + `,"minOutsideHours":1}}`, "morpheus-ha:app.scheduledScaleIn.enabled", "prod must keep"},
		{"unknown time zone", dev, "app", `{"scheduledScaleIn":{` + on + `,"timezone":"Europe/Atlantis"}}`, "morpheus-ha:app.scheduledScaleIn.timezone", "IANA time zone"},
		{"cron with six fields", dev, "app", `{"scheduledScaleIn":{` + on + `,"scaleInCron":"0 0 19 * * 1-5"}}`, "morpheus-ha:app.scheduledScaleIn.scaleInCron", "five-field cron"},
		{"cron with a quote", dev, "app", `{"scheduledScaleIn":{` + on + `,"scaleOutCron":"0 7 * * \"1\""}}`, "morpheus-ha:app.scheduledScaleIn.scaleOutCron", "five-field cron"},
		{"same cron twice", dev, "app", `{"scheduledScaleIn":{` + on + `,"scaleInCron":"0 7 * * 1-5"}}`, "morpheus-ha:app.scheduledScaleIn.scaleOutCron", "must differ"},
		{"no shrink outside hours", staging, "app", `{"scheduledScaleIn":{` + on + `,"minOutsideHours":3}}`, "morpheus-ha:app.scheduledScaleIn.minOutsideHours", "between 0 and app.minNodes - 1 (2)"},
		{"typo in the schedule", dev, "app", `{"scheduledScaleIn":{"enable":true}}`, "morpheus-ha:app.scheduledScaleIn.enable", "unknown field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(stack.Run, testutil.Options{Config: testutil.With(tc.base, tc.key, tc.value)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantKey)
			assert.Contains(t, err.Error(), tc.wantMsg)
			assert.Empty(t, rec.Resources(), "a bad configuration must register no resource")
		})
	}
}

// mainTopicPolicy is the alerts topic's policy in the stack's region.
func mainTopicPolicy(t *testing.T, rec *testutil.Recorder) (*testutil.Resource, iampolicy.Document) {
	t.Helper()
	p := rec.Find("aws:sns/topicPolicy:TopicPolicy", "monitoring-alerts-policy")
	require.NotNil(t, p)
	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(p.String("policy")), &doc))
	return p, doc
}

// TestBudgetAndAnomaliesReachTheAlertsTopic: in every environment the budget
// watches the stack's Stack tag, both notifications and the anomaly
// subscription go to the alerts topic, whose policy admits the two cost
// services for this account only, under a key that lets them encrypt.
func TestBudgetAndAnomaliesReachTheAlertsTopic(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		t.Run(env, func(t *testing.T) {
			rec := runEnv(t, env)
			policy, doc := mainTopicPolicy(t, rec)
			topicArn := policy.String("arn")
			topic := rec.Find("aws:sns/topic:Topic", "monitoring-alerts")
			require.NotNil(t, topic)

			budgets := rec.ByType(budgetType)
			require.Len(t, budgets, 1)
			b := budgets[0]
			filters := b.Objects("costFilters")
			require.Len(t, filters, 1)
			assert.Equal(t, "TagKeyValue", testutil.Str(filters[0], "name"))
			assert.Equal(t, []string{"user:Stack$" + env}, testutil.Strs(filters[0], "values"), "the Stack tag the provider puts on every resource")
			kinds := map[string]float64{}
			for _, n := range b.Objects("notifications") {
				assert.Equal(t, []string{topicArn}, testutil.Strs(n, "subscriberSnsTopicArns"))
				kinds[testutil.Str(n, "notificationType")] = testutil.Num(n, "threshold")
			}
			assert.Equal(t, map[string]float64{"ACTUAL": 80, "FORECASTED": 100}, kinds)
			assert.Contains(t, b.PropertyDependencies["notifications"], topic.URN)

			sub := rec.ByType("aws:costexplorer/anomalySubscription:AnomalySubscription")
			require.Len(t, sub, 1)
			subscribers := sub[0].Objects("subscribers")
			require.Len(t, subscribers, 1)
			assert.Equal(t, topicArn, testutil.Str(subscribers[0], "address"))
			assert.Contains(t, sub[0].Provider, "aws-us-east-1", "Cost Explorer answers in us-east-1")

			for _, svc := range []string{"budgets.amazonaws.com", "costalerts.amazonaws.com"} {
				found := false
				for _, s := range doc.Statement {
					if s.Principal["Service"] != svc {
						continue
					}
					found = true
					assert.Equal(t, []string{"sns:Publish"}, s.Action)
					assert.Equal(t, testutil.AccountID, s.Condition["StringEquals"]["aws:SourceAccount"], svc)
				}
				assert.True(t, found, "the alerts topic admits %s", svc)

				var key iampolicy.Document
				require.NoError(t, json.Unmarshal([]byte(rec.Find("aws:kms/key:Key", "keys-notifications").String("policy")), &key))
				assert.True(t, keyAdmits(key, svc), "the notifications key lets %s encrypt for the topic", svc)
			}
			assert.Empty(t, rec.ByType("aws:costexplorer/costAllocationTag:CostAllocationTag"), "account-wide activation is opt-in")
		})
	}
}

func keyAdmits(doc iampolicy.Document, svc string) bool {
	for _, s := range doc.Statement {
		if contains(s.Principal["Service"], svc) && slices.Contains(s.Action, "kms:GenerateDataKey*") && slices.Contains(s.Action, "kms:Decrypt") {
			return true
		}
	}
	return false
}

func TestCostAllocationTagsOptIn(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("dev"), "cost", `{"activateAllocationTags":true}`)})
	var keys []string
	for _, r := range rec.ByType("aws:costexplorer/costAllocationTag:CostAllocationTag") {
		keys = append(keys, r.String("tagKey"))
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"CostCenter", "Project", "Stack"}, keys)
}

// TestDrillsOnlyWhereEnabled: staging drills by default, dev and prod do not,
// and either can be switched.
func TestDrillsOnlyWhereEnabled(t *testing.T) {
	for _, tc := range []struct {
		env, drills string
		templates   int
	}{
		{"dev", "", 0},
		{"prod", "", 0},
		{"staging", "", 3},
		{"staging", `{"enabled":false}`, 0},
		{"dev", `{"enabled":true}`, 2}, // a single Aurora instance: no failover drill
		{"prod", `{"enabled":true}`, 3},
	} {
		t.Run(tc.env+tc.drills, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig(tc.env), "drills", tc.drills)})
			assert.Len(t, rec.ByType(templateType), tc.templates)
			assert.Equal(t, tc.templates > 0, rec.Find("aws:iam/role:Role", "drills-role") != nil)
		})
	}
}

// TestDrillsTargetThisStackAndStopOnItsAlarms: the staging templates act on
// this stack's group (by the tag Auto Scaling sets to its name), its Aurora
// cluster and its first AZ's app and data subnets only, and stop on alarms
// the plan creates.
func TestDrillsTargetThisStackAndStopOnItsAlarms(t *testing.T) {
	rec := runEnv(t, "staging")
	alarmArns := map[string]bool{}
	for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		alarmArns["arn:aws:cloudwatch:eu-west-1:"+testutil.AccountID+":alarm:"+a.String("name")] = true
	}
	subnets := map[string]*testutil.Resource{}
	for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
		subnets["arn:aws:ec2:eu-west-1:"+testutil.AccountID+":subnet/"+s.Name+"-id"] = s
	}
	group := rec.ByType("aws:autoscaling/group:Group")[0]
	cluster := rec.ByType("aws:rds/cluster:Cluster")[0]

	templates := rec.ByType(templateType)
	require.Len(t, templates, 3)
	for _, tpl := range templates {
		stops := tpl.Objects("stopConditions")
		require.Len(t, stops, len(stack.DrillStopAlarmKeys), tpl.Name)
		for _, s := range stops {
			arn := testutil.Str(s, "value")
			assert.True(t, alarmArns[arn], "%s stops on %s, which the plan does not create", tpl.Name, arn)
		}
		target := tpl.Objects("targets")[0]
		switch testutil.Str(target, "resourceType") {
		case "aws:ec2:instance":
			tags := testutil.Objs(target, "resourceTags")
			require.Len(t, tags, 1)
			assert.Equal(t, "aws:autoscaling:groupName", testutil.Str(tags[0], "key"))
			assert.Equal(t, group.String("name"), testutil.Str(tags[0], "value"))
			assert.Equal(t, "COUNT(1)", testutil.Str(target, "selectionMode"))
		case "aws:rds:cluster":
			arns := testutil.Strs(target, "resourceArns")
			require.Len(t, arns, 1)
			assert.True(t, strings.HasPrefix(arns[0], "arn:aws:rds:eu-west-1:"+testutil.AccountID+":"), arns[0])
			assert.Contains(t, tpl.PropertyDependencies["targets"], cluster.URN, "the cluster's own ARN")
		case "aws:ec2:subnet":
			var tiers []string
			for _, arn := range testutil.Strs(target, "resourceArns") {
				s, ok := subnets[arn]
				require.True(t, ok, "%s is not a subnet of this stack", arn)
				assert.Equal(t, "eu-west-1a", s.String("availabilityZone"), "drills.azIndex 0 is the first AZ by name")
				tiers = append(tiers, s.String("tags", "Tier"))
			}
			sort.Strings(tiers)
			assert.Equal(t, []string{"app", "data"}, tiers, "the AZ's private-app and private-data subnets, never its public one")
		default:
			t.Errorf("%s targets an unexpected resource type %s", tpl.Name, testutil.Str(target, "resourceType"))
		}
	}
}

// TestDrillRoleHasNoStarOnDestructiveActions: in the stack's own IAM the FIS
// role may do nothing destructive on "*".
func TestDrillRoleHasNoStarOnDestructiveActions(t *testing.T) {
	rec := runEnv(t, "staging")
	p := rec.Find("aws:iam/rolePolicy:RolePolicy", "drills-role-policy")
	require.NotNil(t, p)
	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(p.String("policy")), &doc))
	for _, s := range doc.Statement {
		for _, a := range s.Action {
			_, verb, _ := strings.Cut(a, ":")
			if strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get") || strings.HasPrefix(a, "logs:") {
				continue
			}
			assert.NotContains(t, s.Resource, "*", "%s: %s on *", s.Sid, a)
		}
	}
	assert.Contains(t, p.String("policy"), `"arn:aws:rds:eu-west-1:`+testutil.AccountID+`:`, "failover is granted on the cluster's ARN")
}

// TestScheduledScaleInInNonProd: dev and staging may shrink outside hours.
func TestScheduledScaleInInNonProd(t *testing.T) {
	assert.Empty(t, runEnv(t, "staging").ByType(scheduleType), "off by default")
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("staging"),
		"app", `{"scheduledScaleIn":{"enabled":true,"timezone":"Europe/Dublin","minOutsideHours":1}}`)})
	sizes := map[string]float64{}
	for _, s := range rec.ByType(scheduleType) {
		assert.Equal(t, "Europe/Dublin", s.String("timeZone"))
		sizes[s.String("recurrence")] = s.Number("desiredCapacity")
	}
	assert.Equal(t, map[string]float64{"0 19 * * 1-5": 1, "0 7 * * 1-5": 3}, sizes)
}
