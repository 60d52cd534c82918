package testutil

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// AccountID is the fake AWS account every mock answer uses.
const AccountID = "123456789012"

// invokeAnswers answers the data sources the program calls. Any other invoke is
// an error, so a new data source cannot slip in untested.
var invokeAnswers = map[string]func(r *Recorder, args resource.PropertyMap) map[string]any{
	"aws:index/getCallerIdentity:getCallerIdentity": func(r *Recorder, _ resource.PropertyMap) map[string]any {
		return map[string]any{
			"accountId": AccountID,
			"arn":       "arn:aws:iam::" + AccountID + ":user/mock",
			"userId":    "AIDAMOCK",
			"id":        AccountID,
		}
	},
	"aws:index/getPartition:getPartition": func(r *Recorder, _ resource.PropertyMap) map[string]any {
		return map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws", "reverseDnsPrefix": "com.amazonaws"}
	},
	"aws:index/getRegion:getRegion": func(r *Recorder, _ resource.PropertyMap) map[string]any {
		return map[string]any{"name": r.Region, "id": r.Region, "endpoint": "ec2." + r.Region + ".amazonaws.com"}
	},
	"aws:index/getAvailabilityZones:getAvailabilityZones": func(r *Recorder, _ resource.PropertyMap) map[string]any {
		// Four zones, listed out of order, so tests prove the program picks a
		// stable, sorted subset rather than trusting the API's order.
		suffixes := []string{"c", "a", "d", "b"}
		names, ids := make([]any, 0, 4), make([]any, 0, 4)
		for i, s := range suffixes {
			names = append(names, r.Region+s)
			ids = append(ids, fmt.Sprintf("%s-az%d", regionCode(r.Region), i+1))
		}
		return map[string]any{"names": names, "zoneIds": ids, "id": r.Region, "groupNames": []any{r.Region}}
	},
}

// computedState returns what the provider would report after creating res: its
// inputs plus the outputs programs read.
func computedState(r *Recorder, res *Resource, id string) resource.PropertyMap {
	state := res.Inputs.Copy()
	extra := map[string]any{}
	if module, kind, ok := splitToken(res.Type); ok && !state.HasValue("arn") {
		extra["arn"] = fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", module, r.Region, AccountID, kind, id)
	}
	if f, ok := typeOutputs[res.Type]; ok {
		for k, v := range f(r, res, id) {
			extra[k] = v
		}
	}
	for k, v := range resource.NewPropertyMapFromMap(extra) {
		state[k] = v
	}
	return state
}

// typeOutputs adds the computed outputs of specific resource types.
var typeOutputs = map[string]func(r *Recorder, res *Resource, id string) map[string]any{
	"aws:kms/key:Key": func(r *Recorder, _ *Resource, id string) map[string]any {
		return map[string]any{"keyId": id, "arn": fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", r.Region, AccountID, id)}
	},
	"aws:cloudwatch/logGroup:LogGroup": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", r.Region, AccountID, inputString(res, "name"))}
	},
	"aws:iam/role:Role": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", AccountID, id), "name": id}
	},
	"aws:ec2/vpc:Vpc": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"defaultSecurityGroupId": id + "-default-sg", "mainRouteTableId": id + "-main-rt"}
	},
	"aws:lb/loadBalancer:LoadBalancer": func(r *Recorder, res *Resource, id string) map[string]any {
		suffix := "app/" + inputString(res, "name") + "/" + id
		return map[string]any{
			"arn":       elbARN(r, "loadbalancer/"+suffix),
			"arnSuffix": suffix,
			"dnsName":   inputString(res, "name") + "-1234567890." + r.Region + ".elb.amazonaws.com",
			"zoneId":    MockALBZoneID,
		}
	},
	"aws:lb/targetGroup:TargetGroup": func(r *Recorder, res *Resource, id string) map[string]any {
		suffix := "targetgroup/" + inputString(res, "name") + "/" + id
		return map[string]any{"arn": elbARN(r, suffix), "arnSuffix": suffix}
	},
	"aws:lb/listener:Listener": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"arn": elbARN(r, "listener/"+id)}
	},
	"aws:acm/certificate:Certificate": func(r *Recorder, res *Resource, id string) map[string]any {
		domain := inputString(res, "domainName")
		return map[string]any{
			"arn": fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", r.Region, AccountID, id),
			"domainValidationOptions": []any{map[string]any{
				"domainName":          domain,
				"resourceRecordName":  "_0123456789abcdef." + domain + ".",
				"resourceRecordType":  "CNAME",
				"resourceRecordValue": "_fedcba9876543210.mock.acm-validations.aws.",
			}},
		}
	},
	"aws:s3/bucketV2:BucketV2": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"arn": "arn:aws:s3:::" + inputString(res, "bucket")}
	},
	"aws:route53/record:Record": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"fqdn": strings.TrimSuffix(inputString(res, "name"), ".")}
	},
}

// MockALBZoneID is the canonical hosted zone the mock gives every load balancer.
const MockALBZoneID = "Z32O12XQLNTSW2"

// elbARN builds an Elastic Load Balancing ARN in the mock account.
func elbARN(r *Recorder, resource string) string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:%s", r.Region, AccountID, resource)
}

// splitToken turns "aws:ec2/vpc:Vpc" into ("ec2", "vpc").
func splitToken(token string) (module, kind string, ok bool) {
	pkg, rest, found := strings.Cut(token, ":")
	if !found || pkg != "aws" {
		return "", "", false
	}
	mod, _, found := strings.Cut(rest, ":")
	if !found {
		return "", "", false
	}
	module, kind, found = strings.Cut(mod, "/")
	return module, strings.ToLower(kind), found
}

// inputString reads a string input, or "" when absent or not a string.
func inputString(res *Resource, key string) string {
	v, ok := res.Inputs[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// regionCode shortens "eu-west-1" to "euw1" the way AZ ids do.
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	return parts[0] + parts[1][:1] + parts[2]
}
