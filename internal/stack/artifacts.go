package stack

import (
	"strings"

	"github.com/morpheus-ha/morpheus-ha/components/database"
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
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
// threshold. It holds no secret value.
func Artifacts(cfg *config.Config) []Artifact {
	namer := naming.Namer{Project: cfg.Project, Stack: cfg.Stack}
	alarms := monitoring.Describe(monitoring.Plan{
		Namer:      namer,
		Thresholds: cfg.Alerts.Thresholds,
		Sizing: alarmcatalog.Sizing{
			MinNodes:         cfg.App.MinNodes,
			DBMaxConnections: database.MaxConnectionsFor(cfg.App.MaxNodes),
		},
		DBInstanceCount: cfg.Database.InstanceCount,
		DiskPaths:       cfg.Alerts.DiskPaths,
	})
	lines := make([]string, len(alarms))
	for i, a := range alarms {
		lines[i] = a.String()
	}
	return []Artifact{{File: "alarms.txt", Title: "Alarms (metric, threshold, window)", Body: strings.Join(lines, "\n") + "\n"}}
}
