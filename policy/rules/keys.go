package rules

import (
	"fmt"
	"strings"
)

const (
	typeKMSKey         = "aws:kms/key:Key"
	typeKMSKeyPolicy   = "aws:kms/keyPolicy:KeyPolicy"
	typeSecret         = "aws:secretsmanager/secret:Secret"
	typeSecretRotation = "aws:secretsmanager/secretRotation:SecretRotation"
	typeSSMParameter   = "aws:ssm/parameter:Parameter"
	typeLogGroup       = "aws:cloudwatch/logGroup:LogGroup"
	typeMetricAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeSNSTopic       = "aws:sns/topic:Topic"
	typeSNSTopicPolicy = "aws:sns/topicPolicy:TopicPolicy"
)

// keyRules are the KMS, Secrets Manager, Parameter Store, CloudWatch and SNS
// AWS Foundational Security Best Practices controls
func keyRules() []Rule {
	return []Rule{
		{
			Name: "kms-key-rotation", Control: "KMS.4", Level: Mandatory,
			Description: "Symmetric KMS keys rotate their key material (enableKeyRotation true).",
			Why:         "CIS control; rotation is free and transparent to every service using the key.",
			Check:       only(checkKeyRotation, typeKMSKey),
		},
		{
			Name: "kms-key-policy-no-public-access", Control: "KMS.5", Level: Mandatory,
			Description: "No KMS key policy allows everyone (Principal \"*\") without a condition.",
			Why:         "FSBP control; an unconditioned public grant lets any AWS account decrypt Morpheus' data and secrets.",
			Check:       only(policyCheck("policy"), typeKMSKey, typeKMSKeyPolicy),
		},
		{
			Name: "kms-key-deletion-window", Control: "KMS.3", Level: Mandatory,
			Description: "In prod, KMS keys stay enabled and keep the full 30-day deletion window.",
			Why:         "FSBP control; a deleted key makes every backup, snapshot and secret it encrypted unreadable.",
			Check:       only(checkKeyDeletion, typeKMSKey),
		},
		{
			Name: "secretsmanager-rotation-enabled", Control: "SecretsManager.1", Level: Mandatory,
			Description: "Every Secrets Manager secret has an aws:secretsmanager/secretRotation, the service admins' included (the appliance setup's morpheus-admin: see secretsmanager-setup-admin-rotation; a standby DR stack's: secretsmanager-standby-rotation).",
			Why:         "FSBP control; a password that never changes outlives every person who saw it.",
			CheckStack:  secretRotation(notWaived),
		},
		{
			Name: "secretsmanager-setup-admin-rotation", Control: "SecretsManager.1", Level: Advisory,
			Description: "The appliance setup's morpheus-admin secret has an aws:secretsmanager/secretRotation.",
			Why: "Waived, not dropped (docs/security-exceptions.md): the ops function uses it once, for Morpheus' setup; " +
				"afterwards Morpheus owns the password and the function can no longer reach Morpheus to change it.",
			CheckStack: secretRotation(setupAdminWaiver),
		},
		{
			Name: "secretsmanager-standby-rotation", Control: "SecretsManager.1", Level: Advisory,
			Description: "A standby DR stack's secrets (tagged " + StandbyRotationTag + "=" + StandbyRotationValue + ") have an aws:secretsmanager/secretRotation.",
			Why: "Waived, not dropped (docs/security-exceptions.md): until the failover the DR stack's services hold none of these logins " +
				"(nothing is bootstrapped into a pilot light), so a rotation could only fail; the failover's run adds every rotation.",
			CheckStack: secretRotation(standbyWaiver),
		},
		{
			Name: "secretsmanager-rotation-period", Control: "SecretsManager.4", Level: Mandatory,
			Description: "Secret rotations run at least every 90 days.",
			Why:         "FSBP control (90-day default).",
			Check:       only(checkRotationPeriod, typeSecretRotation),
		},
		{
			Name: "secretsmanager-customer-key", Control: "project rule", Level: Mandatory,
			Description: "Secrets Manager secrets are encrypted with a customer managed key, not aws/secretsmanager.",
			Why:         "Only a customer managed key lets the key policy, not IAM alone, decide who decrypts Morpheus' credentials.",
			Check:       only(customerKey("kmsKeyId", "alias/aws/secretsmanager"), typeSecret),
		},
		{
			Name: "ssm-parameter-secure-string", Control: "project rule", Level: Mandatory,
			Description: "Parameter Store values are SecureString under a customer managed key.",
			Why:         "The decision log puts every parameter under the secrets key, so one decrypt grant covers both stores.",
			Check:       only(checkParameter, typeSSMParameter),
		},
		{
			Name: "cloudwatch-log-group-retention", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "Every CloudWatch log group sets retentionInDays (not 0 = forever).",
			Why:         "Logs kept forever grow cost without bound; the stack's logs.retentionDays decides.",
			Check:       only(checkLogRetention, typeLogGroup),
		},
		{
			Name: "cloudwatch-log-group-kms", Control: "project rule", Level: Mandatory,
			Description: "Every CloudWatch log group is encrypted with a customer managed key (kmsKeyId set).",
			Why:         "Morpheus and database logs can carry user data; the key policy limits who reads them.",
			Check:       only(customerKey("kmsKeyId", ""), typeLogGroup),
		},
		{
			Name: "cloudwatch-log-retention-one-year", Control: "CloudWatch.16", Level: Advisory,
			Description: "CloudWatch log groups keep logs for at least 365 days.",
			Why:         "NIST-only control; the project keeps logs for logs.retentionDays by choice (cost), so it informs, not blocks.",
			Check:       only(checkLogYear, typeLogGroup),
		},
		{
			Name: "cloudwatch-alarm-actions", Control: "CloudWatch.15", Level: Mandatory,
			Description: "Metric alarms have actions enabled and at least one alarm action.",
			Why:         "An alarm that notifies nobody does not protect Morpheus; every alarm here exists to page.",
			Check:       only(checkAlarmActions, typeMetricAlarm),
		},
		{
			Name: "sns-topic-customer-key", Control: "SNS.1", Level: Mandatory,
			Description: "SNS topics are encrypted with a customer managed key, not alias/aws/sns.",
			Why:         "FSBP control; with alias/aws/sns CloudWatch cannot publish and alarms are dropped silently.",
			Check:       only(customerKey("kmsMasterKeyId", "alias/aws/sns"), typeSNSTopic),
		},
		{
			Name: "sns-topic-policy-no-public-access", Control: "SNS.4", Level: Mandatory,
			Description: "No SNS topic policy allows everyone (Principal \"*\") without a condition.",
			Why:         "FSBP control; anyone could publish fake alerts or subscribe to real ones.",
			Check:       only(policyCheck("policy"), typeSNSTopicPolicy, typeSNSTopic),
		},
	}
}

func checkKeyRotation(_ Context, r Resource) []string {
	for _, k := range []string{"customerMasterKeySpec", "keySpec"} {
		if spec, ok := r.str(k); ok && spec != "SYMMETRIC_DEFAULT" {
			return nil // asymmetric and HMAC keys cannot rotate automatically
		}
	}
	if on, _ := r.flag("enableKeyRotation"); !on && !isUnknown(r.Inputs["enableKeyRotation"]) {
		return []string{"enableKeyRotation is not true"}
	}
	return nil
}

// policyCheck returns a check of the policy document at prop for statements
// that allow everyone unconditionally.
func policyCheck(prop string) func(Context, Resource) []string {
	return func(_ Context, r Resource) []string {
		doc, ok := r.str(prop)
		if !ok {
			return nil
		}
		stmts, ok := statements(doc)
		if !ok {
			return nil
		}
		if open := publicAllows(stmts); len(open) > 0 {
			return []string{"the policy allows Principal \"*\" without a condition in statement(s) " + strings.Join(open, ", ")}
		}
		return nil
	}
}

func checkKeyDeletion(ctx Context, r Resource) []string {
	if !ctx.Prod() {
		return nil
	}
	var m msgs
	if on, ok := r.flag("isEnabled"); ok {
		m.need(on, "isEnabled is false in prod")
	}
	if d, ok := r.num("deletionWindowInDays"); ok {
		m.need(d >= 30, fmt.Sprintf("deletionWindowInDays is %v in prod; keep 30", d))
	}
	return m
}

// secretMatches reports whether a rotation's secretId names secret s: by its
// known name (an ARN is "...:secret:<name>-<suffix>") or, when the id is not
// known, by a dependency on s.
func secretMatches(rot, s Resource) bool {
	id, known := rot.str("secretId")
	if !known {
		return rot.dependsOn("secretId", s.URN)
	}
	name, ok := s.str("name")
	if !ok {
		return rot.dependsOn("secretId", s.URN)
	}
	return id == name || strings.Contains(id, ":secret:"+name+"-")
}

// waivedSecretSuffix ends the name of the one secret whose missing rotation
// is a recorded exception (advisory) rather than a blocker: the appliance
// setup's Morpheus admin.
const waivedSecretSuffix = "/morpheus-admin"

// StandbyRotationTag marks the secrets of a standby DR stack (restore.standby),
// whose rotation waits for the failover: its services hold no login to rotate
// yet (components/secrets sets it). Its value is StandbyRotationValue.
const (
	StandbyRotationTag   = "RotationDeferredUntil"
	StandbyRotationValue = "failover"
)

// Which rule judges a secret's missing rotation.
type rotationWaiver int

const (
	// notWaived: the mandatory rule.
	notWaived rotationWaiver = iota
	// setupAdminWaiver: the appliance setup's Morpheus admin.
	setupAdminWaiver
	// standbyWaiver: a standby DR stack's secret.
	standbyWaiver
)

// waiverOf says which rule judges s.
func waiverOf(s Resource) rotationWaiver {
	if tags, ok := s.Inputs["tags"].(map[string]any); ok && tags[StandbyRotationTag] == StandbyRotationValue {
		return standbyWaiver
	}
	if name, _ := s.Inputs["name"].(string); strings.HasSuffix(name, waivedSecretSuffix) {
		return setupAdminWaiver
	}
	return notWaived
}

// secretRotation checks the secrets that waiver applies to.
func secretRotation(waiver rotationWaiver) func(Context, []Resource) []Violation {
	return func(ctx Context, rs []Resource) []Violation { return checkSecretRotation(ctx, rs, waiver) }
}

func checkSecretRotation(_ Context, rs []Resource, waiver rotationWaiver) []Violation {
	var out []Violation
	rotations := ofType(rs, typeSecretRotation)
	for _, s := range ofType(rs, typeSecret) {
		if waiverOf(s) != waiver {
			continue
		}
		rotated := false
		for _, rot := range rotations {
			rotated = rotated || secretMatches(rot, s)
		}
		if !rotated {
			out = append(out, Violation{s.URN, "no aws:secretsmanager/secretRotation rotates the secret"})
		}
	}
	return out
}

func checkRotationPeriod(_ Context, r Resource) []string {
	if r.isSet("rotationRules.scheduleExpression") || isUnknown(r.Inputs["rotationRules"]) {
		return nil
	}
	days, ok := r.num("rotationRules.automaticallyAfterDays")
	if ok && days <= 90 {
		return nil
	}
	return []string{fmt.Sprintf("rotationRules.automaticallyAfterDays is %s; rotate at least every 90 days", show(r.Inputs["rotationRules"]))}
}

// customerKey returns a check that prop names a key other than the AWS
// managed one (awsAlias, "" when the service has none).
func customerKey(prop, awsAlias string) func(Context, Resource) []string {
	return func(_ Context, r Resource) []string {
		if !r.isSet(prop) {
			return []string{prop + " is unset; encrypt with the stack's customer managed key"}
		}
		if v, _ := r.str(prop); awsAlias != "" && v == awsAlias {
			return []string{fmt.Sprintf("%s is the AWS managed %s; use the stack's customer managed key", prop, awsAlias)}
		}
		return nil
	}
}

func checkParameter(_ Context, r Resource) []string {
	var m msgs
	t, _ := r.get("type")
	m.need(t == "SecureString" || isUnknown(t), fmt.Sprintf("type is %s; use \"SecureString\"", show(t)))
	key, _ := r.str("keyId")
	m.need(r.isSet("keyId") && key != "alias/aws/ssm", "keyId is unset or alias/aws/ssm; use the stack's secrets key")
	return m
}

func checkLogRetention(_ Context, r Resource) []string {
	if isUnknown(r.Inputs["retentionInDays"]) {
		return nil
	}
	if d, ok := r.num("retentionInDays"); ok && d > 0 {
		return nil
	}
	return []string{"retentionInDays is unset or 0 (never expire); set the stack's logs.retentionDays"}
}

func checkLogYear(_ Context, r Resource) []string {
	if d, ok := r.num("retentionInDays"); ok && d > 0 && d < 365 {
		return []string{fmt.Sprintf("retentionInDays is %v; CloudWatch.16 expects at least 365", d)}
	}
	return nil
}

func checkAlarmActions(_ Context, r Resource) []string {
	var m msgs
	if on, ok := r.flag("actionsEnabled"); ok {
		m.need(on, "actionsEnabled is false")
	}
	m.need(len(r.list("alarmActions")) > 0 || isUnknown(r.Inputs["alarmActions"]), "alarmActions is empty; notify the alerts topic")
	return m
}
