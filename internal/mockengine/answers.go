package mockengine

import (
	"crypto/sha256"
	"encoding/hex"
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
	"aws:ssm/getParameter:getParameter": func(r *Recorder, args resource.PropertyMap) map[string]any {
		name := args["name"].StringValue()
		return map[string]any{"name": name, "id": name, "type": "String", "value": "ami-0123456789abcdef0", "arn": "arn:aws:ssm:" + r.Region + "::parameter" + name}
	},
	// The nodes an upgrade finds running (internal/stack's stopAll step).
	"aws:ec2/getInstances:getInstances": func(r *Recorder, _ resource.PropertyMap) map[string]any {
		return map[string]any{"id": r.Region, "ids": []any{"i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"}}
	},
	"aws:ec2/getAmi:getAmi": func(r *Recorder, args resource.PropertyMap) map[string]any {
		return map[string]any{"id": "ami-0fedcba9876543210", "architecture": "x86_64", "name": "RHEL-9.4.0_HVM-mock-x86_64-0-Hourly2-GP3"}
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
	"aws:kms/key:Key": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"keyId": id, "arn": fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", regionOf(r, res), AccountID, id)}
	},
	"aws:sns/topic:Topic": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:sns:%s:%s:%s", regionOf(r, res), AccountID, Str(res.Inputs, "name"))}
	},
	"aws:cloudwatch/logGroup:LogGroup": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", r.Region, AccountID, Str(res.Inputs, "name"))}
	},
	"aws:iam/role:Role": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", AccountID, id), "name": id}
	},
	// A generated password gets a distinctive, per-resource value so tests can
	// scan every other resource's inputs for a leak.
	"random:index/randomPassword:RandomPassword": func(_ *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"result": MockPassword(res)}
	},
	// An Elastic IP gets a documentation-range address derived from its name,
	// so plans are stable and each NAT gateway's address differs.
	"aws:ec2/eip:Eip": func(_ *Recorder, res *Resource, _ string) map[string]any {
		sum := sha256.Sum256([]byte(res.Name))
		return map[string]any{"publicIp": fmt.Sprintf("198.51.100.%d", 1+int(sum[0])%254)}
	},
	"aws:ec2/vpc:Vpc": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"defaultSecurityGroupId": id + "-default-sg", "mainRouteTableId": id + "-main-rt"}
	},
	"aws:opensearch/domain:Domain": func(r *Recorder, res *Resource, id string) map[string]any {
		name := Str(res.Inputs, "domainName")
		return map[string]any{
			"domainName": name,
			"domainId":   AccountID + "/" + name,
			"arn":        fmt.Sprintf("arn:aws:es:%s:%s:domain/%s", r.Region, AccountID, name),
			// A VPC domain's endpoint is "vpc-<name>-<hash>.<region>.es.amazonaws.com".
			"endpoint": fmt.Sprintf("vpc-%s-mockhash.%s.es.amazonaws.com", name, r.Region),
		}
	},
	// A RabbitMQ broker reports one instance: the broker itself, or for a
	// cluster the NLB in front of the nodes (no IP address then).
	"aws:mq/broker:Broker": func(r *Recorder, res *Resource, id string) map[string]any {
		host := fmt.Sprintf("b-%s.mq.%s.amazonaws.com", id, r.Region)
		instance := map[string]any{"consoleUrl": "https://" + host, "endpoints": []any{"amqps://" + host + ":5671"}}
		if Str(res.Inputs, "deploymentMode") != "CLUSTER_MULTI_AZ" {
			instance["ipAddress"] = "10.0.0.10"
		}
		return map[string]any{
			"arn":       fmt.Sprintf("arn:aws:mq:%s:%s:broker:%s:b-%s", r.Region, AccountID, Str(res.Inputs, "brokerName"), id),
			"instances": []any{instance},
		}
	},
	"aws:secretsmanager/secret:Secret": func(r *Recorder, res *Resource, _ string) map[string]any {
		// Secrets Manager appends six random characters to the name.
		return map[string]any{"arn": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-AbC123", r.Region, AccountID, Str(res.Inputs, "name"))}
	},
	"aws:ssm/parameter:Parameter": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:ssm:%s:%s:parameter%s", r.Region, AccountID, Str(res.Inputs, "name"))}
	},
	"aws:rds/cluster:Cluster": func(r *Recorder, res *Resource, id string) map[string]any {
		ident := Str(res.Inputs, "clusterIdentifier")
		if ident == "" {
			ident = id
		}
		out := map[string]any{
			"clusterIdentifier": ident,
			"arn":               fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", r.Region, AccountID, ident),
			"endpoint":          fmt.Sprintf("%s.cluster-mock.%s.rds.amazonaws.com", ident, r.Region),
			"readerEndpoint":    fmt.Sprintf("%s.cluster-ro-mock.%s.rds.amazonaws.com", ident, r.Region),
		}
		if v, ok := res.Inputs["manageMasterUserPassword"]; ok && v.IsBool() && v.BoolValue() {
			out["masterUserSecrets"] = []any{map[string]any{
				"secretArn":    fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s-XyZ789", r.Region, AccountID, id),
				"kmsKeyId":     Str(res.Inputs, "masterUserSecretKmsKeyId"),
				"secretStatus": "active",
			}}
		}
		return out
	},
	"aws:lambda/function:Function": func(r *Recorder, res *Resource, _ string) map[string]any {
		name := Str(res.Inputs, "name")
		return map[string]any{
			"arn":        fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", r.Region, AccountID, name),
			"codeSha256": "mock-code-sha256",
		}
	},
	// The bootstrap's result names services and users, never a password.
	"aws:lambda/invocation:Invocation": func(*Recorder, *Resource, string) map[string]any {
		return map[string]any{"result": `{"action":"bootstrap","outcomes":[{"service":"mysql","user":"morpheus"},{"service":"rabbitmq","user":"morpheus"},{"service":"opensearch","user":"morpheus"}]}`}
	},
	"aws:ssm/document:Document": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:ssm:%s:%s:document/%s", r.Region, AccountID, Str(res.Inputs, "name"))}
	},
	"aws:rds/clusterInstance:ClusterInstance": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"endpoint": fmt.Sprintf("%s.mock.%s.rds.amazonaws.com", Str(res.Inputs, "identifier"), r.Region)}
	},
	"aws:lb/loadBalancer:LoadBalancer": func(r *Recorder, res *Resource, id string) map[string]any {
		suffix := "app/" + Str(res.Inputs, "name") + "/" + id
		return map[string]any{
			"arn":       elbARN(r, "loadbalancer/"+suffix),
			"arnSuffix": suffix,
			"dnsName":   Str(res.Inputs, "name") + "-1234567890." + r.Region + ".elb.amazonaws.com",
			"zoneId":    MockALBZoneID,
		}
	},
	"aws:lb/targetGroup:TargetGroup": func(r *Recorder, res *Resource, id string) map[string]any {
		suffix := "targetgroup/" + Str(res.Inputs, "name") + "/" + id
		return map[string]any{"arn": elbARN(r, suffix), "arnSuffix": suffix}
	},
	"aws:lb/listener:Listener": func(r *Recorder, res *Resource, id string) map[string]any {
		return map[string]any{"arn": elbARN(r, "listener/"+id)}
	},
	"aws:acm/certificate:Certificate": func(r *Recorder, res *Resource, id string) map[string]any {
		domain := Str(res.Inputs, "domainName")
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
		return map[string]any{"arn": "arn:aws:s3:::" + Str(res.Inputs, "bucket")}
	},
	// A gateway endpoint reports the service's prefix list.
	"aws:ec2/vpcEndpoint:VpcEndpoint": func(r *Recorder, res *Resource, id string) map[string]any {
		if Str(res.Inputs, "vpcEndpointType") != "Gateway" {
			return nil
		}
		return map[string]any{"prefixListId": "pl-" + strings.TrimPrefix(Str(res.Inputs, "serviceName"), "com.amazonaws.")}
	},
	"aws:route53/record:Record": func(r *Recorder, res *Resource, _ string) map[string]any {
		return map[string]any{"fqdn": strings.TrimSuffix(Str(res.Inputs, "name"), ".")}
	},
}

// MockALBZoneID is the canonical hosted zone the mock gives every load balancer.
const MockALBZoneID = "Z32O12XQLNTSW2"

// elbARN builds an Elastic Load Balancing ARN in the mock account.
func elbARN(r *Recorder, resource string) string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:%s", r.Region, AccountID, resource)
}

// regionOf is the region of res's explicit aws provider (a second provider for
// another region), else the stack's. It runs with r.mu held, so it reads byURN
// directly.
func regionOf(r *Recorder, res *Resource) string {
	if i := strings.LastIndex(res.Provider, "::"); i > 0 {
		if p, ok := r.byURN[res.Provider[:i]]; ok {
			if region := Str(p.Inputs, "region"); region != "" {
				return region
			}
		}
	}
	return r.Region
}

// MockPassword is the value the mocks give a RandomPassword: distinct per
// resource (so a leak scan can find it anywhere) and within the resource's
// length and special-character set (so tests can check what a secret holds).
func MockPassword(res *Resource) string {
	length := 16
	if v, ok := res.Inputs["length"]; ok && v.IsNumber() {
		length = int(v.NumberValue())
	}
	special := Str(res.Inputs, "overrideSpecial")
	if special == "" {
		special = "!"
	}
	sum := sha256.Sum256([]byte(res.Name))
	pw := "Aa1" + special[:1] + hex.EncodeToString(sum[:])
	for len(pw) < length {
		pw += "x"
	}
	return pw[:max(length, 0)]
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

// regionCode shortens "eu-west-1" to "euw1" the way AZ ids do.
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	return parts[0] + parts[1][:1] + parts[2]
}
