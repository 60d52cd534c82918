package stack

import (
	"strings"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
	"github.com/morpheus-ha/morpheus-ha/internal/userdata"
)

// Artifact is a rendered text the offline plan writes for a human to read.
type Artifact struct {
	// File is the name under build/plan/<stack>/.
	File string
	// Title heads the plan's printout of the artifact; empty means file only.
	Title string
	// Body is the text.
	Body string
}

// Artifacts renders, from the configuration alone, what the stack derives but a
// plan of resources does not show plainly: every alarm with its metric and
// threshold, the nodes' user data and their morpheus.rb template. None of it
// holds a secret value.
func Artifacts(cfg *config.Config) ([]Artifact, error) {
	names, err := contract.New(cfg)
	if err != nil {
		return nil, err
	}
	alarms := monitoring.Describe(monitoring.Plan{
		Namer:      names.Namer,
		Thresholds: cfg.Alerts.Thresholds,
		Sizing: alarmcatalog.Sizing{
			MinNodes:         cfg.App.MinNodes,
			DBMaxConnections: names.Database.MaxConnections,
		},
		DBInstanceCount: cfg.Database.InstanceCount,
		DiskPaths:       cfg.Alerts.DiskPaths,
		HealthCheck:     cfg.PublicHealthCheck(),
		NATGatewayCount: cfg.NATGatewayCount(),
	})
	lines := make([]string, len(alarms))
	for i, a := range alarms {
		lines[i] = a.String()
	}
	out := []Artifact{{File: "alarms.txt", Title: "Alarms (metric, threshold, window)", Body: strings.Join(lines, "\n") + "\n"}}

	// What the nodes boot with, for a human to review: the user data as cloud-init
	// reads it (before compression) and morpheus.rb with placeholders where the
	// node writes the secrets it reads at boot.
	cloudConfig, err := userdata.RenderCloudConfig(names.UserData)
	if err != nil {
		return nil, err
	}
	rb, err := userdata.MorpheusRBTemplate(names.UserData)
	if err != nil {
		return nil, err
	}
	return append(out,
		Artifact{File: "user-data.cloud-config.yaml", Body: string(cloudConfig)},
		Artifact{File: "morpheus.rb.template", Body: rb},
	), nil
}
