// Package search creates the Amazon OpenSearch Service domain Morpheus keeps its
// logs and stats in: VPC-only in the private-data subnets behind its own security
// group, encrypted at rest and in transit, with fine-grained access control and
// an internal-database master user (Morpheus authenticates with basic auth), and
// every log type published to encrypted log groups.
package search

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:search:Search"

// Port is the only port the domain listens on: HTTPS.
const Port = 443

// TLSSecurityPolicy is the endpoint's TLS policy: TLS 1.2 and 1.3 with forward
// secrecy only (Security Hub Opensearch.8).
const TLSSecurityPolicy = "Policy-Min-TLS-1-2-PFS-2023-10"

// MinVolumeSize is the smallest EBS volume OpenSearch Service attaches (GiB).
const MinVolumeSize = 10

// Args configures the domain.
type Args struct {
	// Namer names the domain, log groups and log resource policy.
	Namer naming.Namer
	// OffPeakStartHour and OffPeakStartMinute start the daily off-peak window
	// (UTC), in which the domain takes its software updates.
	OffPeakStartHour, OffPeakStartMinute int
	// Env is the account, partition and region the policies name.
	Env awsenv.Env
	// VpcId is the VPC the domain's security group lives in.
	VpcId pulumi.StringInput
	// SubnetIds are the private-data subnets, one per AZ, in AZ order. A
	// zone-aware domain uses all of them; a single-node domain only the first.
	SubnetIds pulumi.StringArrayInput
	// AZCount is how many subnets SubnetIds holds (2 or 3 when zone-aware).
	AZCount int
	// ClientSecurityGroupIds may reach the domain on 443 (app nodes, ops function).
	ClientSecurityGroupIds pulumi.StringArrayInput
	// EngineVersion is "OpenSearch_<major>.<minor>".
	EngineVersion string
	// DataInstanceType is the data nodes' instance type, e.g. "m6g.large.search".
	DataInstanceType string
	// DataNodeCount is the number of data nodes. More than one turns zone
	// awareness on and must then be a multiple of AZCount.
	DataNodeCount int
	// DedicatedMasterCount is 0 (none), 3 or 5.
	DedicatedMasterCount int
	// MasterInstanceType is the dedicated masters' instance type (ignored without masters).
	MasterInstanceType string
	// VolumeSize is each data node's gp3 volume in GiB.
	VolumeSize int
	// MasterUsername is the fine-grained access control master user, kept in the
	// domain's internal user database; the ops function logs in as this user.
	MasterUsername string
	// MasterPassword is the master user's password at creation; it is always
	// treated as a secret, and ignored afterwards (MasterPasswordProperty).
	MasterPassword pulumi.StringInput
	// DataKeyArn encrypts the domain at rest.
	DataKeyArn pulumi.StringInput
	// LogsKeyArn encrypts the domain's log groups.
	LogsKeyArn pulumi.StringInput
	// LogRetentionDays is the log groups' retention.
	LogRetentionDays int
	// Protect guards the domain, and the audit log group (evidence), against
	// deletion by Pulumi (prod).
	Protect bool
	// RetainAuditLogs keeps the audit log group in AWS when Pulumi deletes it
	// (prod, whatever allowDestroy says), until its retention ends.
	RetainAuditLogs bool
}

// Search is the component.
type Search struct {
	pulumi.ResourceState

	// Endpoint is the domain's VPC endpoint host name, without scheme
	// (morpheus.rb elasticsearch['es_hosts']).
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	// DomainName is the domain's name (morpheus.rb elasticsearch['cluster']).
	DomainName pulumi.StringOutput `pulumi:"domainName"`
	// DomainArn is the domain's ARN (alarms, policies).
	DomainArn pulumi.StringOutput `pulumi:"domainArn"`
	// SecurityGroupId guards the domain's network interfaces.
	SecurityGroupId pulumi.StringOutput `pulumi:"securityGroupId"`
	// Port is the HTTPS port clients connect to (443).
	Port pulumi.IntOutput `pulumi:"port"`
}

var (
	// engineVersionRE is the only engine form this stack deploys; Elasticsearch_*
	// versions on AWS stop at 7.10, below what Morpheus supports
	// (https://github.com/gomorpheus/morpheus-docs/blob/8.0.7/release_notes/compatibility.rst).
	engineVersionRE = regexp.MustCompile(`^OpenSearch_[0-9]{1,2}\.[0-9]{1,2}$`)
	// instanceTypeRE is the shape of an OpenSearch Service instance type.
	instanceTypeRE = regexp.MustCompile(`^[a-z][a-z0-9]*\.[a-z0-9]+\.search$`)
	// domainNameRE is AWS's rule for domain names: 3-28 characters, lower case,
	// starting with a letter.
	domainNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{2,27}$`)
)

// domainName is the domain's physical name.
func (a *Args) domainName() string { return DomainName(a.Namer) }

// DomainName is the domain's physical name, known before the domain exists:
// policies that name the domain need not wait the domain's half hour.
func DomainName(n naming.Namer) string { return n.Name(naming.OpenSearchDomain, "search") }

// zoneAware reports whether the data nodes spread over AZCount AZs.
func (a *Args) zoneAware() bool { return a.DataNodeCount > 1 }

func (a *Args) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("search: "+format, args...)) }
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	} else if n := a.domainName(); !domainNameRE.MatchString(n) {
		add("domain name %q must be 3-28 lower-case letters, digits and hyphens, starting with a letter", n)
	}
	if a.OffPeakStartHour < 0 || a.OffPeakStartHour > 23 || a.OffPeakStartMinute < 0 || a.OffPeakStartMinute > 59 {
		add("off-peak start %d:%d is not a time of day", a.OffPeakStartHour, a.OffPeakStartMinute)
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.Region == "" || a.Env.DNSSuffix == "" {
		add("Env needs account, partition, region and DNS suffix, got %+v", a.Env)
	}
	required := []struct {
		name  string
		input pulumi.Input
	}{
		{"VpcId", a.VpcId}, {"SubnetIds", a.SubnetIds}, {"ClientSecurityGroupIds", a.ClientSecurityGroupIds},
		{"MasterPassword", a.MasterPassword}, {"DataKeyArn", a.DataKeyArn}, {"LogsKeyArn", a.LogsKeyArn},
	}
	for _, r := range required {
		if r.input == nil {
			add("%s is required", r.name)
		}
	}
	if !engineVersionRE.MatchString(a.EngineVersion) {
		add("EngineVersion %q must look like OpenSearch_2.19", a.EngineVersion)
	}
	if !instanceTypeRE.MatchString(a.DataInstanceType) {
		add("DataInstanceType %q is not an OpenSearch instance type such as m6g.large.search", a.DataInstanceType)
	}
	switch {
	case a.DataNodeCount < 1:
		add("DataNodeCount %d must be at least 1", a.DataNodeCount)
	case a.zoneAware() && a.AZCount != 2 && a.AZCount != 3:
		add("AZCount %d: zone awareness spans 2 or 3 AZs", a.AZCount)
	case a.zoneAware() && a.DataNodeCount%a.AZCount != 0:
		add("DataNodeCount %d must be a multiple of AZCount %d so every AZ holds the same share", a.DataNodeCount, a.AZCount)
	case !a.zoneAware() && a.AZCount < 1:
		add("AZCount %d: at least one subnet is needed", a.AZCount)
	}
	switch a.DedicatedMasterCount {
	case 0:
	case 3, 5:
		if !instanceTypeRE.MatchString(a.MasterInstanceType) {
			add("MasterInstanceType %q is not an OpenSearch instance type such as m6g.large.search", a.MasterInstanceType)
		}
	default:
		add("DedicatedMasterCount %d must be 0, 3 or 5", a.DedicatedMasterCount)
	}
	if a.VolumeSize < MinVolumeSize {
		add("VolumeSize %d GiB is below the minimum of %d", a.VolumeSize, MinVolumeSize)
	}
	if a.MasterUsername == "" {
		add("MasterUsername is required (fine-grained access control master user)")
	}
	if a.LogRetentionDays <= 0 {
		add("LogRetentionDays %d must be positive", a.LogRetentionDays)
	}
	return errors.Join(errs...)
}

// NewSearch creates the security group, log groups and their resource policy,
// and the domain.
func NewSearch(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Search, error) {
	if args == nil {
		return nil, errors.New("search: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Search{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), domainName: args.domainName()}

	sg, err := b.securityGroup()
	if err != nil {
		return nil, err
	}
	logs, err := b.logs()
	if err != nil {
		return nil, err
	}
	domain, err := b.domain(sg.ID(), logs)
	if err != nil {
		return nil, err
	}

	c.Endpoint = domain.Endpoint
	c.DomainName = domain.DomainName
	c.DomainArn = domain.Arn
	c.SecurityGroupId = sg.ID().ToStringOutput()
	// Derived from the domain so that it resolves (and is awaited) with it: a
	// free-standing constant output is not tracked by the run.
	c.Port = domain.Arn.ApplyT(func(string) int { return Port }).(pulumi.IntOutput)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"endpoint":        c.Endpoint,
		"domainName":      c.DomainName,
		"domainArn":       c.DomainArn,
		"securityGroupId": c.SecurityGroupId,
		"port":            c.Port,
	})
}

// builder carries what every part of the component needs.
type builder struct {
	ctx        *pulumi.Context
	name       string
	args       *Args
	parent     pulumi.ResourceOption
	domainName string
}
