package rules

import "fmt"

const (
	typeBucket           = "aws:s3/bucketV2:BucketV2"
	typeBucketPAB        = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeBucketPolicy     = "aws:s3/bucketPolicy:BucketPolicy"
	typeBucketOwnership  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	typeBucketVersioning = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	typeBucketLifecycle  = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
)

// s3Rules are the S3 AWS Foundational Security Best Practices controls for the ALB log bucket. In
// pulumi-aws v6 a BucketV2's settings are separate resources, so each rule
// looks for the bucket's companion resource. The deprecated inline
// aws:s3/bucket:Bucket is not judged: its settings live elsewhere.
func s3Rules() []Rule {
	return []Rule{
		{
			Name: "s3-public-access-block", Control: "S3.8", Level: Mandatory,
			Description: "Every bucket has a public access block with all four flags true.",
			Why:         "FSBP/CIS control; access logs reveal client addresses and URLs.",
			CheckStack: companionCheck("aws:s3/bucketPublicAccessBlock", func(c Resource) []string {
				var m msgs
				for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					on, _ := c.flag(k)
					m.need(on || isUnknown(c.Inputs[k]), k+" is not true")
				}
				return m
			}, typeBucketPAB),
		},
		{
			Name: "s3-tls-only", Control: "S3.5", Level: Mandatory,
			Description: "Every bucket has a bucket policy that denies requests without TLS.",
			Why:         "FSBP/CIS control.",
			CheckStack: companionCheck("aws:s3/bucketPolicy", func(c Resource) []string {
				doc, ok := c.str("policy")
				if !ok {
					return nil
				}
				if stmts, ok := statements(doc); ok && deniesInsecureTransport(stmts) {
					return nil
				}
				return []string{"the policy has no Deny with Bool aws:SecureTransport \"false\""}
			}, typeBucketPolicy),
		},
		{
			Name: "s3-bucket-owner-enforced", Control: "S3.12", Level: Mandatory,
			Description: "Every bucket disables ACLs (ownership controls BucketOwnerEnforced).",
			Why:         "FSBP control; ACLs are the usual way a log bucket becomes readable by others.",
			CheckStack: companionCheck("aws:s3/bucketOwnershipControls", func(c Resource) []string {
				if o, _ := c.get("rule.objectOwnership"); o != "BucketOwnerEnforced" && !isUnknown(o) {
					return []string{fmt.Sprintf("rule.objectOwnership is %s; use \"BucketOwnerEnforced\"", show(o))}
				}
				return nil
			}, typeBucketOwnership),
		},
		{
			Name: "s3-versioning", Control: "S3.14", Level: Advisory,
			Description: "Every bucket has versioning Enabled.",
			Why:         "NIST-only control; the log bucket's lifecycle expires logs anyway.",
			CheckStack: companionCheck("aws:s3/bucketVersioningV2", func(c Resource) []string {
				if s, _ := c.get("versioningConfiguration.status"); s != "Enabled" && !isUnknown(s) {
					return []string{fmt.Sprintf("versioningConfiguration.status is %s; use \"Enabled\"", show(s))}
				}
				return nil
			}, typeBucketVersioning),
		},
		{
			Name: "s3-lifecycle", Control: "S3.13, S3.10", Level: Advisory,
			Description: "Every bucket has a lifecycle configuration with an expiration and abortIncompleteMultipartUpload.",
			Why:         "NIST-only controls; a cost safeguard rather than a security one.",
			CheckStack: companionCheck("aws:s3/bucketLifecycleConfigurationV2", func(c Resource) []string {
				if isUnknown(c.Inputs["rules"]) {
					return nil
				}
				exp, abort := false, false
				for _, rule := range maps(c.list("rules")) {
					_, e := rule["expiration"].(map[string]any)
					_, a := rule["abortIncompleteMultipartUpload"].(map[string]any)
					exp, abort = exp || e, abort || a
				}
				var m msgs
				m.need(exp, "no rule sets an expiration")
				m.need(abort, "no rule sets abortIncompleteMultipartUpload")
				return m
			}, typeBucketLifecycle),
		},
	}
}

// companionOf reports whether a companion resource configures bucket b: by a
// dependency of its bucket input on b, or by b's known name.
func companionOf(c, b Resource) bool {
	if c.dependsOn("bucket", b.URN) {
		return true
	}
	name, ok := b.str("bucket")
	cb, cok := c.str("bucket")
	return ok && cok && name == cb
}

// companionCheck returns a stack check that every bucket has a companion of
// one of types (named kind in messages) and that each companion passes judge.
func companionCheck(kind string, judge func(Resource) []string, types ...string) func(Context, []Resource) []Violation {
	return func(_ Context, rs []Resource) []Violation {
		var out []Violation
		companions := ofType(rs, types...)
		for _, b := range ofType(rs, typeBucket) {
			found := false
			for _, c := range companions {
				if !companionOf(c, b) {
					continue
				}
				found = true
				for _, msg := range judge(c) {
					out = append(out, Violation{c.URN, msg})
				}
			}
			if !found {
				out = append(out, Violation{b.URN, "the bucket has no " + kind})
			}
		}
		return out
	}
}
