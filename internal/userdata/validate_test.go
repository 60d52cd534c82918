package userdata

import (
	"slices"
	"strings"
	"testing"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
)

func TestValidateAcceptsFixtures(t *testing.T) {
	for name, params := range fixtures {
		if err := params().Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Params)
		want   string // the field and rule the error must name
	}{
		{"unknown OS", func(p *Params) { p.OS = "debian" }, `Params.OS = "debian": must be "ubuntu" or "rhel"`},
		{"missing OS", func(p *Params) { p.OS = "" }, `Params.OS = ""`},
		{"http Morpheus URL", func(p *Params) { p.Morpheus.URL = "http://downloads.morpheusdata.com/x.deb" }, "Params.Morpheus.URL"},
		{"rpm on Ubuntu", func(p *Params) { p.Morpheus.URL = "https://downloads.morpheusdata.com/x.rpm" }, "must name a .deb file"},
		{"Morpheus URL with query", func(p *Params) { p.Morpheus.URL = "https://example.com/x.deb?sig=1" }, "query or fragment)"},
		{"Morpheus URL with space", func(p *Params) { p.Morpheus.URL = "https://example.com/x y.deb" }, "Params.Morpheus.URL"},
		{"Morpheus URL with quote", func(p *Params) { p.Morpheus.URL = "https://example.com/x'.deb" }, "Params.Morpheus.URL"},
		{"short checksum", func(p *Params) { p.Morpheus.SHA256 = "abc" }, "Params.Morpheus.SHA256"},
		{"upper-case checksum", func(p *Params) { p.EFSUtils.SHA256 = strings.Repeat("A", 64) }, "Params.EFSUtils.SHA256"},
		{"missing version", func(p *Params) { p.Morpheus.Version = "" }, "Params.Morpheus.Version"},
		{"bad version", func(p *Params) { p.Morpheus.Version = "8.0" }, "Params.Morpheus.Version"},
		{"missing efs-utils", func(p *Params) { p.EFSUtils = Artifact{} }, "Params.EFSUtils.URL"},
		{"AWS CLI from S3", func(p *Params) { p.AWSCLI.URL = "s3://bucket-name/awscli.zip" }, `Params.AWSCLI.URL = "s3://bucket-name/awscli.zip": must be an https:// URL`},
		{"AWS CLI not zip", func(p *Params) { p.AWSCLI.URL = "https://awscli.amazonaws.com/awscli.tar.gz" }, "must name a .zip file"},
		{"bad S3 bucket", func(p *Params) { p.CloudWatchAgent.URL = "s3://Bad_Bucket/agent.deb" }, "Params.CloudWatchAgent.URL"},
		{"bad region", func(p *Params) { p.Region = "Europe" }, "Params.Region"},
		{"missing EFS parameter", func(p *Params) { p.Parameters.EFSId = "" }, "Params.Parameters.EFSId"},
		{"http appliance URL", func(p *Params) { p.ApplianceURL = "http://morpheus.example.com" }, "Params.ApplianceURL"},
		{"trailing slash", func(p *Params) { p.ApplianceURL = "https://morpheus.example.com/" }, "no port, path or trailing slash"},
		{"appliance URL with port", func(p *Params) { p.ApplianceURL = "https://morpheus.example.com:8443" }, "Params.ApplianceURL"},
		{"appliance URL too long", func(p *Params) { p.ApplianceURL = "https://" + strings.Repeat("a", 50) + ".example.com" }, "at most 64 characters"},
		{"missing DB secret", func(p *Params) { p.Secrets.DB = "" }, "Params.Secrets.DB"},
		{"secret with space", func(p *Params) { p.Secrets.MQ = "my secret" }, "Params.Secrets.MQ"},
		{"secret name too long", func(p *Params) { p.Secrets.Search = strings.Repeat("a", 2049) }, "Params.Secrets.Search"},
		{"relative parameter", func(p *Params) { p.Parameters.DBPort = "db/port" }, "Params.Parameters.DBPort"},
		{"missing parameter", func(p *Params) { p.Parameters.SearchDomain = "" }, "Params.Parameters.SearchDomain"},
		{"repeated parameter", func(p *Params) { p.Parameters.MQPort = p.Parameters.DBPort }, "must differ from Parameters.DBPort"},
		{"missing launch hook", func(p *Params) { p.Hooks.Launch = "" }, "Params.Hooks.Launch"},
		{"same hooks", func(p *Params) { p.Hooks.Termination = p.Hooks.Launch }, "must differ from Hooks.Launch"},
		{"hook with space", func(p *Params) { p.Hooks.Termination = "a b" }, "Params.Hooks.Termination"},
		{"no agent logs", func(p *Params) { p.Agent.Logs = agentconfig.Document{} }, `Params.Agent.Logs = "{}": must ship at least one log file`},
		{"no agent metrics", func(p *Params) { p.Agent.Metrics = agentconfig.Document{} }, `Params.Agent.Metrics = "{}": must publish metrics`},
		{"agent documents swapped", func(p *Params) { p.Agent.Logs, p.Agent.Metrics = p.Agent.Metrics, p.Agent.Logs },
			"must not ship logs: the boot-time document does"},
		{"metrics at boot", func(p *Params) { p.Agent.Logs.Metrics = p.Agent.Metrics.Metrics }, "must not publish metrics: they start only once morpheus-ui answers"},
		{"bootstrap log not shipped", func(p *Params) {
			l := p.Agent.Logs.Logs
			l.LogsCollected.Files.CollectList = slices.DeleteFunc(l.LogsCollected.Files.CollectList,
				func(e agentconfig.CollectEntry) bool { return e.FilePath == LogPath })
		}, "must ship /var/log/morpheus-node.log, the bootstrap's log"},
		{"metrics in another namespace", func(p *Params) { p.Agent.Metrics.Metrics.Namespace = "Morpheus" }, "Params.Agent.Metrics"},
		{"uid out of range", func(p *Params) { p.IDs.App = 1000 }, `Params.IDs.App = "1000": must be a system id`},
		{"duplicate uid", func(p *Params) { p.IDs.Guacd = DefaultAppID }, "Params.IDs.Guacd = \"899\": must differ from IDs.App"},
		{"timeout too short", func(p *Params) { p.ReadyTimeoutMinutes = 2 }, "Params.ReadyTimeoutMinutes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := prodParams()
			c.mutate(&p)
			err := p.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, c.want)
			}
			// Every entry point refuses to render invalid Params.
			if _, rerr := Render(p); rerr == nil || rerr.Error() != err.Error() {
				t.Errorf("Render() = %v, want %v", rerr, err)
			}
			if _, terr := MorpheusRBTemplate(p); terr == nil {
				t.Error("MorpheusRBTemplate accepted invalid Params")
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Params{}.Validate()
	if err == nil {
		t.Fatal("empty Params validated")
	}
	for _, field := range []string{"OS", "Morpheus.URL", "EFSUtils.URL", "AWSCLI.URL", "CloudWatchAgent.URL", "Region",
		"ApplianceURL", "Secrets.DB", "Parameters.DBEndpoint", "Parameters.EFSId", "Hooks.Launch", "Agent.Logs", "Agent.Metrics"} {
		if !strings.Contains(err.Error(), "Params."+field+" ") {
			t.Errorf("error does not name %s:\n%v", field, err)
		}
	}
	// Zero IDs and timeout take defaults, so they are not errors.
	for _, field := range []string{"IDs.", "ReadyTimeoutMinutes"} {
		if strings.Contains(err.Error(), "Params."+field) {
			t.Errorf("zero %s reported as an error", field)
		}
	}
}
