package loadbalancer_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

func TestAccessLogBucket(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    func() *loadbalancer.Args
		bucket  string
		days    float64
		protect bool
	}{
		{"prod", prodArgs, bucketName, 90, true},
		{"dev", devArgs, "morpheus-ha-dev-alb-logs-123456789012-eu-west-1", 14, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, out := run(t, tc.args())
			b := one(t, rec, bucketType, "loadbalancer-logs")
			assert.Equal(t, tc.bucket, b.String("bucket"))
			assert.Equal(t, tc.bucket, out["AccessLogBucketName"])
			assert.Equal(t, tc.protect, b.Protect, "logs are protected in prod")
			assert.Equal(t, !tc.protect, b.Bool("forceDestroy"), "forceDestroy only where the stack may be torn down")

			sse := one(t, rec, sseType, "loadbalancer-logs-encryption")
			assert.Equal(t, tc.bucket, sse.String("bucket"))
			rules := sse.Objects("rules")
			require.Len(t, rules, 1)
			byDefault := rules[0]["applyServerSideEncryptionByDefault"].ObjectValue()
			assert.Equal(t, "AES256", byDefault["sseAlgorithm"].StringValue(), "ALB log delivery supports SSE-S3 only")
			assert.False(t, byDefault.HasValue("kmsMasterKeyId"))

			v := one(t, rec, versioningType, "loadbalancer-logs-versioning")
			assert.Equal(t, tc.bucket, v.String("bucket"))
			assert.Equal(t, "Enabled", v.String("versioningConfiguration", "status"))

			pab := one(t, rec, pabType, "loadbalancer-logs-public-access")
			assert.Equal(t, tc.bucket, pab.String("bucket"))
			for _, flag := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				assert.True(t, pab.Bool(flag), flag)
			}

			own := one(t, rec, ownershipType, "loadbalancer-logs-ownership")
			assert.Equal(t, "BucketOwnerEnforced", own.String("rule", "objectOwnership"))

			lc := one(t, rec, lifecycleType, "loadbalancer-logs-lifecycle")
			assert.Equal(t, tc.bucket, lc.String("bucket"))
			assert.Contains(t, lc.DependsOn, v.URN, "lifecycle rules of a versioned bucket follow versioning")
			lrules := lc.Objects("rules")
			require.Len(t, lrules, 1)
			r := lrules[0]
			assert.Equal(t, "Enabled", r["status"].StringValue())
			assert.Equal(t, "", r["filter"].ObjectValue()["prefix"].StringValue(), "the rule covers the whole bucket")
			assert.Equal(t, tc.days, r["expiration"].ObjectValue()["days"].NumberValue())
			assert.EqualValues(t, 30, r["noncurrentVersionExpiration"].ObjectValue()["noncurrentDays"].NumberValue())
			assert.EqualValues(t, 7, r["abortIncompleteMultipartUpload"].ObjectValue()["daysAfterInitiation"].NumberValue())

			p := one(t, rec, policyType, "loadbalancer-logs-policy")
			assert.Equal(t, tc.bucket, p.String("bucket"))
			assert.Contains(t, p.DependsOn, pab.URN)
			var doc iampolicy.Document
			require.NoError(t, json.Unmarshal([]byte(p.String("policy")), &doc))
			assertTLSOnly(t, doc, tc.bucket)
			logs := "arn:aws:s3:::" + tc.bucket + "/alb/AWSLogs/123456789012/*"
			delivery := statement(t, doc, "ELBLogDelivery")
			assert.Equal(t, "Allow", delivery.Effect)
			assert.Equal(t, "logdelivery.elasticloadbalancing.amazonaws.com", delivery.Principal["Service"])
			assert.Equal(t, []string{"s3:PutObject"}, delivery.Action)
			assert.Equal(t, []string{logs}, delivery.Resource, "delivery may write under the ALB's prefix only")
		})
	}
}

// assertTLSOnly: every request to the bucket or its objects over plain HTTP is
// denied, whoever makes it.
func assertTLSOnly(t *testing.T, doc iampolicy.Document, bucket string) {
	t.Helper()
	deny := statement(t, doc, "DenyInsecureTransport")
	assert.Equal(t, "Deny", deny.Effect)
	assert.Equal(t, "*", deny.Principal["AWS"])
	assert.Equal(t, []string{"s3:*"}, deny.Action)
	assert.ElementsMatch(t, []string{"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"}, deny.Resource)
	assert.Equal(t, "false", deny.Condition["Bool"]["aws:SecureTransport"])
	for _, s := range doc.Statement {
		if s.Effect == "Allow" {
			assert.NotEqual(t, "*", s.Principal["AWS"], "statement %s allows everyone", s.Sid)
			assert.NotContains(t, s.Action, "s3:*", "statement %s", s.Sid)
		}
	}
}

func statement(t *testing.T, doc iampolicy.Document, sid string) iampolicy.Statement {
	t.Helper()
	for _, s := range doc.Statement {
		if s.Sid == sid {
			return s
		}
	}
	require.Failf(t, "missing statement", "no statement %s in %+v", sid, doc)
	return iampolicy.Statement{}
}

// TestLegacyRegionsAlsoAdmitTheELBAccount: regions older than August 2022 deliver
// logs as a regional ELB account, newer ones as the service principal.
func TestLegacyRegionsAlsoAdmitTheELBAccount(t *testing.T) {
	regional := func(region string) (iampolicy.Document, bool) {
		e := env
		e.Region = region
		doc := loadbalancer.AccessLogPolicy("b", e)
		for _, s := range doc.Statement {
			if s.Sid == "ELBLogDeliveryRegionalAccount" {
				return doc, true
			}
		}
		return doc, false
	}
	doc, ok := regional("eu-west-1")
	require.True(t, ok)
	s := statement(t, doc, "ELBLogDeliveryRegionalAccount")
	assert.Equal(t, "arn:aws:iam::156460612806:root", s.Principal["AWS"])
	assert.Equal(t, []string{"arn:aws:s3:::b/alb/AWSLogs/123456789012/*"}, s.Resource)
	doc, ok = regional("us-east-1")
	require.True(t, ok)
	assert.Equal(t, "arn:aws:iam::127311923021:root", statement(t, doc, "ELBLogDeliveryRegionalAccount").Principal["AWS"])

	doc, ok = regional("ap-southeast-5")
	assert.False(t, ok, "a new region needs only the service principal")
	assert.Len(t, doc.Statement, 2)
}

func TestAccessLogBucketNameFitsS3(t *testing.T) {
	n := naming.Namer{Project: "morpheus-ha-with-a-long-project-name", Stack: "production"}
	name := loadbalancer.AccessLogBucketName(n, env)
	assert.LessOrEqual(t, len(name), 63)
	assert.Regexp(t, `^[a-z0-9][a-z0-9-]*[a-z0-9]$`, name)
}
