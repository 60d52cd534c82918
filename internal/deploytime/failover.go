package deploytime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// FailoverReporter is the plan.Reporter behind `make plan`'s failover
// estimate. For a stack in restore standby (restore.enabled and
// restore.standby true) it plans the stack again with restore.standby false,
// every other value kept, and estimates that plan as an update of the standby
// one: the failover's `pulumi up`. Any other stack gets no section.
func FailoverReporter(inv plan.Inventory) (plan.Report, error) {
	values, standby, err := FailoverValues(inv)
	if err != nil || !standby {
		return plan.Report{}, err
	}
	if inv.Replan == nil {
		return plan.Report{}, fmt.Errorf("failover estimate: the inventory of %s cannot be planned again", inv.Stack)
	}
	failover, err := inv.Replan(values)
	if err != nil {
		return plan.Report{}, fmt.Errorf("failover estimate: planning %s with restore.standby false: %w", inv.Stack, err)
	}
	return report(FailoverTitle, FailoverFile, failover, AsUpdateOf(inv))
}

// FailoverValues returns inv's configuration values with restore.standby set
// to false, and whether the stack is in restore standby at all (if not, the
// values are nil). Only the restore object's standby key changes.
func FailoverValues(inv plan.Inventory) (map[string]string, bool, error) {
	key := inv.Project + ":restore"
	raw, ok := inv.Values[key]
	if !ok {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber() // numbers go back as they came
	var restore map[string]any
	if err := dec.Decode(&restore); err != nil {
		return nil, false, fmt.Errorf("failover estimate: %s: %w", key, err)
	}
	if restore["enabled"] != true || restore["standby"] != true {
		return nil, false, nil
	}
	restore["standby"] = false
	b, err := json.Marshal(restore)
	if err != nil {
		return nil, false, err
	}
	values := maps.Clone(inv.Values)
	values[key] = string(b)
	return values, true, nil
}
