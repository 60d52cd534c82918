package apptier_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
)

// TestInternetEgress: the nodes' rules out of the VPC on 443 and 80 go to the
// whole internet by default, and only to the listed networks (plus S3 through
// its gateway endpoint) under an allow-list; no other CIDR egress exists.
func TestInternetEgress(t *testing.T) {
	for _, tc := range []struct {
		name   string
		egress apptier.Egress
		// want maps each CIDR or prefix-list egress rule's name to its port,
		// CIDR blocks and prefix lists.
		want map[string]egressRule
	}{
		{"open", apptier.Egress{}, map[string]egressRule{
			"app-out-https-internet": {443, []string{"0.0.0.0/0"}, nil},
			"app-out-http-internet":  {80, []string{"0.0.0.0/0"}, nil},
		}},
		{"allow-list", apptier.Egress{Cidrs: []string{"10.9.0.0/16", "203.0.113.0/24"}, PrefixListIds: []string{"pl-0123456789abcdef0"}}, map[string]egressRule{
			"app-out-https-allowed": {443, []string{"10.9.0.0/16", "203.0.113.0/24"}, []string{"pl-0123456789abcdef0"}},
			"app-out-http-allowed":  {80, []string{"10.9.0.0/16", "203.0.113.0/24"}, []string{"pl-0123456789abcdef0"}},
			"app-out-https-s3":      {443, nil, []string{"pl-s3"}},
		}},
		{"prefix lists only", apptier.Egress{PrefixListIds: []string{"pl-0123456789abcdef0"}}, map[string]egressRule{
			"app-out-https-allowed": {443, nil, []string{"pl-0123456789abcdef0"}},
			"app-out-http-allowed":  {80, nil, []string{"pl-0123456789abcdef0"}},
			"app-out-https-s3":      {443, nil, []string{"pl-s3"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			a.Egress, a.S3PrefixListId = tc.egress, pulumi.String("pl-s3")
			rec := run(t, a)
			got := map[string]egressRule{}
			for _, r := range rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule") {
				if r.String("type") != "egress" || r.String("sourceSecurityGroupId") != "" {
					continue
				}
				got[r.Name] = egressRule{int(r.Number("fromPort")), r.Strings("cidrBlocks"), r.Strings("prefixListIds")}
				assert.Equal(t, r.Number("fromPort"), r.Number("toPort"), "%s opens one port", r.Name)
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// egressRule is what TestInternetEgress compares of a rule.
type egressRule struct {
	port          int
	cidrs, prefix []string
}
