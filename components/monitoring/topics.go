package monitoring

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Service principals that publish alerts.
const (
	cloudWatchPrincipal  = "cloudwatch.amazonaws.com"
	eventBridgePrincipal = "events.amazonaws.com"
)

// publisherSids name each known publisher's statement; another service gets
// "Publish" plus its principal's first label.
var publisherSids = map[string]string{
	cloudWatchPrincipal:        "AlarmsPublish",
	eventBridgePrincipal:       "EventRulesPublish",
	"budgets.amazonaws.com":    "BudgetsPublish",
	"costalerts.amazonaws.com": "CostAnomalyAlertsPublish",
}

// TopicPolicy lets the given services publish to topicArn on behalf of this
// account only (aws:SourceAccount: no confused deputy, SNS.4), and refuses
// publishing without TLS. Alarms and event rules are also pinned to this
// account's alarm and rule ARNs (aws:SourceArn); other services, such as
// AWS Budgets and Cost Anomaly Detection, get the account condition alone,
// because their source ARNs are not documented reliably enough to pin (an
// ArnLike condition on budgets has been reported to block delivery).
func TopicPolicy(env awsenv.Env, topicArn string, services ...string) iampolicy.Document {
	sources := map[string]string{
		cloudWatchPrincipal:  env.ARN("cloudwatch", "alarm:*"),
		eventBridgePrincipal: env.ARN("events", "rule/*"),
	}
	var statements []iampolicy.Statement
	for _, svc := range services {
		sid, ok := publisherSids[svc]
		if !ok {
			label, _, _ := strings.Cut(svc, ".")
			sid = "Publish" + strings.ToUpper(label[:1]) + label[1:]
		}
		s := iampolicy.Allow(sid, []string{"sns:Publish"}, []string{topicArn}).
			WithPrincipal("Service", svc).
			When("StringEquals", "aws:SourceAccount", env.AccountID)
		if source, ok := sources[svc]; ok {
			s = s.When("ArnLike", "aws:SourceArn", source)
		}
		statements = append(statements, s)
	}
	statements = append(statements, iampolicy.Deny("DenyInsecureTransport", []string{"sns:Publish"}, []string{topicArn}).
		WithPrincipal("AWS", "*").
		When("Bool", "aws:SecureTransport", "false"))
	return iampolicy.New(statements...)
}

// topics creates the alerts topic in the stack's region and, unless the stack
// runs there, a second one in us-east-1 for the health-check alarm, each with a
// policy and the configured subscribers.
func (b *builder) topics() error {
	env := b.args.Env
	topicName := b.args.Namer.Name(naming.Generic, "alerts")
	publishers := append([]string{cloudWatchPrincipal, eventBridgePrincipal}, b.args.AdditionalPublishers...)
	arn, err := b.topic("alerts", env, topicName, b.args.NotificationsKeyArn, publishers, b.parent)
	if err != nil {
		return err
	}
	b.topicArn = arn
	if env.Region == HealthCheckRegion {
		b.usEast1TopicArn = arn
		return nil
	}

	east := env
	east.Region = HealthCheckRegion
	opts := b.usEast1()
	// Only the health-check alarm publishes there.
	b.usEast1TopicArn, err = b.topic("us-east-1-alerts", east, topicName, b.args.UsEast1NotificationsKeyArn, []string{cloudWatchPrincipal}, opts...)
	return err
}

// topic creates one encrypted topic with its policy and subscriptions.
func (b *builder) topic(suffix string, env awsenv.Env, topicName string, keyArn pulumi.StringInput, publishers []string, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	t, err := sns.NewTopic(b.ctx, b.name+"-"+suffix, &sns.TopicArgs{
		Name:           pulumi.String(topicName),
		DisplayName:    pulumi.String("Morpheus " + b.args.Namer.Prefix()),
		KmsMasterKeyId: keyArn,
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// The ARN follows from the name, so the policy is a plain document.
	policy := TopicPolicy(env, env.ARN("sns", topicName), publishers...)
	if _, err := sns.NewTopicPolicy(b.ctx, b.name+"-"+suffix+"-policy", &sns.TopicPolicyArgs{
		Arn:    t.Arn,
		Policy: pulumi.String(policy.JSON()),
	}, opts...); err != nil {
		return pulumi.StringOutput{}, err
	}
	for _, email := range b.args.AlertEmails {
		if _, err := sns.NewTopicSubscription(b.ctx, b.name+"-"+suffix+"-email-"+shortHash(email), &sns.TopicSubscriptionArgs{
			Topic:    t.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, opts...); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	if ep := b.args.AlertHTTPSEndpoint; ep != "" {
		if _, err := sns.NewTopicSubscription(b.ctx, b.name+"-"+suffix+"-https", &sns.TopicSubscriptionArgs{
			Topic:    t.Arn,
			Protocol: pulumi.String("https"),
			Endpoint: pulumi.String(ep),
		}, opts...); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	return t.Arn, nil
}

// shortHash names a subscription by its address, so reordering the list in
// config never replaces (and re-confirms) a subscription.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(s)))
	return hex.EncodeToString(sum[:])[:10]
}
