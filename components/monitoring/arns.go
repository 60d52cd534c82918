package monitoring

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlarmName is the physical name of the alarm of catalog key in p. Only a key
// that makes exactly one alarm has a name: per-instance and per-disk keys make
// several, and a caller picking "the" alarm of such a key would pick one at
// random.
func AlarmName(p Plan, key string) (string, error) {
	var names []string
	for _, s := range Describe(p) {
		if s.Key == key {
			names = append(names, s.Name)
		}
	}
	if len(names) != 1 {
		return "", fmt.Errorf("monitoring: alarm key %q makes %d alarms, not one", key, len(names))
	}
	return names[0], nil
}

// alarmArns maps the created alarms' names to their ARNs. The ARN follows from
// the name and the alarm's region, so it is derived from the names output:
// that keeps the dependency on every alarm without touching their creation.
func (b *builder) alarmArns(names pulumi.StringArrayOutput) pulumi.StringMapOutput {
	regions := map[string]string{}
	for _, s := range Describe(b.args.plan()) {
		regions[s.Name] = s.Region
	}
	env := b.args.Env
	return names.ApplyT(func(names []string) map[string]string {
		out := make(map[string]string, len(names))
		for _, n := range names {
			e := env
			if r := regions[n]; r != "" {
				e.Region = r
			}
			out[n] = e.ARN("cloudwatch", "alarm:"+n)
		}
		return out
	}).(pulumi.StringMapOutput)
}
