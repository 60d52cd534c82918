package loadbalancer_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
)

func TestWAFOff(t *testing.T) {
	rec, _ := run(t, prodArgs())
	assert.Empty(t, rec.ByType(webACLType))
	assert.Empty(t, rec.ByType(wafAssocType))
}

func TestWAFOn(t *testing.T) {
	a := prodArgs()
	a.Waf = true
	rec, out := run(t, a)
	acls := rec.ByType(webACLType)
	require.Len(t, acls, 1)
	acl := acls[0]
	assert.Equal(t, "REGIONAL", acl.String("scope"))
	assert.Equal(t, "morpheus-ha-prod-alb", acl.String("name"))
	_, allow := acl.Prop("defaultAction", "allow")
	assert.True(t, allow, "requests no rule blocks pass")
	_, block := acl.Prop("defaultAction", "block")
	assert.False(t, block)
	assert.True(t, acl.Bool("visibilityConfig", "cloudwatchMetricsEnabled"))

	rules := acl.Objects("rules")
	require.Len(t, rules, 3)
	priorities := map[float64]bool{}
	countOnly := map[string][]string{}
	for _, r := range rules {
		name := r["name"].StringValue()
		priorities[r["priority"].NumberValue()] = true
		override := r["overrideAction"].ObjectValue()
		assert.True(t, override.HasValue("none"), "%s keeps the group's block actions", name)
		assert.False(t, override.HasValue("count"), "%s must not be count-only as a whole", name)
		stmt := r["statement"].ObjectValue()["managedRuleGroupStatement"].ObjectValue()
		assert.Equal(t, "AWS", stmt["vendorName"].StringValue())
		assert.Equal(t, name, stmt["name"].StringValue())
		overrides := stmt["ruleActionOverrides"]
		require.True(t, overrides.IsArray(), "%s: ruleActionOverrides must be a list", name)
		for _, o := range overrides.ArrayValue() {
			ov := o.ObjectValue()
			assert.True(t, ov["actionToUse"].ObjectValue().HasValue("count"))
			countOnly[name] = append(countOnly[name], ov["name"].StringValue())
		}
		vis := r["visibilityConfig"].ObjectValue()
		assert.True(t, vis["cloudwatchMetricsEnabled"].BoolValue())
		assert.True(t, vis["sampledRequestsEnabled"].BoolValue())
		assert.Equal(t, name, vis["metricName"].StringValue())
	}
	assert.Len(t, priorities, 3, "priorities must be distinct")
	assert.Equal(t, map[string][]string{"AWSManagedRulesCommonRuleSet": {"SizeRestrictions_BODY"}}, countOnly,
		"only the body size rule is relaxed: Morpheus posts large bodies")
	var names []string
	for _, r := range rules {
		names = append(names, r["name"].StringValue())
	}
	assert.ElementsMatch(t, []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}, names)

	assocs := rec.ByType(wafAssocType)
	require.Len(t, assocs, 1)
	assert.Equal(t, out["LoadBalancerArn"], assocs[0].String("resourceArn"))
	assert.Equal(t, "arn:aws:wafv2:eu-west-1:123456789012:webacl/loadbalancer-waf-id", assocs[0].String("webAclArn"))

	// The WAF resources are registered by token; they must ask for the same
	// provider plugin as the typed SDK resources beside them.
	alb := one(t, rec, lbType, "loadbalancer-alb")
	require.NotEmpty(t, alb.Version)
	assert.Equal(t, alb.Version, acl.Version)
	assert.Equal(t, alb.Version, assocs[0].Version)
}

// TestWAFInputsMatchTheSDKSchema walks every property the token-registered WAF
// resources carry through the pulumi-aws SDK's own wafv2 types (read as source,
// not compiled), so a misspelt or misplaced property fails here, not at preview.
func TestWAFInputsMatchTheSDKSchema(t *testing.T) {
	schema := wafv2Schema(t)
	a := prodArgs()
	a.Waf = true
	rec, _ := run(t, a)
	for token, root := range map[string]string{webACLType: "webAclArgs", wafAssocType: "webAclAssociationArgs"} {
		rs := rec.ByType(token)
		require.Len(t, rs, 1)
		checkAgainst(t, schema, root, token, resource.NewObjectProperty(rs[0].Inputs))
	}
	// The walk must be able to fail: a wrong name is not in the schema.
	_, ok := schema["WebAclRuleOverrideAction"]["none"]
	assert.True(t, ok)
	_, ok = schema["WebAclRuleOverrideAction"]["None"]
	assert.False(t, ok)
}

// checkAgainst asserts that every key of v is a field of struct typ, recursing
// into objects and arrays of objects.
func checkAgainst(t *testing.T, schema map[string]map[string]string, typ, path string, v resource.PropertyValue) {
	t.Helper()
	switch {
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			checkAgainst(t, schema, typ, path+"[]", e)
		}
	case v.IsObject():
		fields, ok := schema[typ]
		if !assert.True(t, ok, "%s: the SDK has no struct %s", path, typ) {
			return
		}
		for k, e := range v.ObjectValue() {
			if strings.HasPrefix(string(k), "__") {
				continue // engine bookkeeping, e.g. __defaults
			}
			field, ok := fields[string(k)]
			if assert.True(t, ok, "%s.%s: not a property of %s", path, k, typ) {
				checkAgainst(t, schema, field, path+"."+string(k), e)
			}
		}
	}
}

var (
	structStart = regexp.MustCompile(`^type (\w+) struct \{$`)
	structField = regexp.MustCompile("^\t\\w+\\s+(\\S+)\\s+`pulumi:\"(\\w+)\"`$")
)

// wafv2Schema maps each plain struct of the SDK's wafv2 package to its
// properties and their element types, from the module's source files.
func wafv2Schema(t *testing.T) map[string]map[string]string {
	t.Helper()
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi-aws/sdk/v6").Output()
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(dir)), "go", "aws", "wafv2", "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	schema := map[string]map[string]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var current map[string]string
		for sc.Scan() {
			line := sc.Text()
			if m := structStart.FindStringSubmatch(line); m != nil {
				current = map[string]string{}
				schema[m[1]] = current
				continue
			}
			if line == "}" {
				current = nil
				continue
			}
			if m := structField.FindStringSubmatch(line); m != nil && current != nil {
				current[m[2]] = strings.TrimLeft(m[1], "[]*")
			}
		}
		require.NoError(t, sc.Err())
		require.NoError(t, fh.Close())
	}
	require.Contains(t, schema, "webAclArgs")
	return schema
}

func TestManagedRuleGroupsExported(t *testing.T) {
	require.Len(t, loadbalancer.ManagedRuleGroups, 3)
	assert.Equal(t, "AWSManagedRulesAmazonIpReputationList", loadbalancer.ManagedRuleGroups[0].Name,
		"the cheapest check, on the source address, runs first")
}
