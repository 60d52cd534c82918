package apptier

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ScaleSchedule shrinks the group outside working hours (non-prod only).
type ScaleSchedule struct {
	// Timezone is the IANA zone the cron expressions are read in.
	Timezone string
	// ScaleInCron is when the group shrinks to MinOutsideHours.
	ScaleInCron string
	// ScaleOutCron is when the group grows back to Args.MinSize.
	ScaleOutCron string
	// MinOutsideHours is the minimum and desired size outside working hours.
	MinOutsideHours int
}

// unchanged tells a scheduled action to leave a size as it is.
const unchanged = -1

func (s *ScaleSchedule) validate(a *Args) error {
	var errs []error
	if a.Protect {
		errs = append(errs, errors.New("apptier: a scheduled scale-in would take a production group below one node per AZ"))
	}
	if s.Timezone == "" || len(strings.Fields(s.ScaleInCron)) != 5 || len(strings.Fields(s.ScaleOutCron)) != 5 {
		errs = append(errs, fmt.Errorf("apptier: schedule needs a timezone and two five-field cron expressions, got %+v", *s))
	}
	if s.MinOutsideHours < 0 || s.MinOutsideHours >= a.MinSize {
		errs = append(errs, fmt.Errorf("apptier: schedule's MinOutsideHours %d must be between 0 and MinSize - 1 (%d)", s.MinOutsideHours, a.MinSize-1))
	}
	return errors.Join(errs...)
}

// schedule adds the two scheduled actions. Scale-in sets the minimum and the
// desired size to MinOutsideHours; scale-out restores both to MinSize. The
// maximum stays, so target tracking still adds nodes if someone works late.
// The group itself leaves desired capacity unmanaged, so `pulumi up` never
// undoes a scheduled action.
func (b *builder) schedule(groupName pulumi.StringOutput) error {
	s := b.args.Schedule
	if s == nil {
		return nil
	}
	for _, act := range []struct {
		suffix, cron string
		size         int
	}{
		{"scale-in", s.ScaleInCron, s.MinOutsideHours},
		{"scale-out", s.ScaleOutCron, b.args.MinSize},
	} {
		if _, err := autoscaling.NewSchedule(b.ctx, b.name+"-"+act.suffix, &autoscaling.ScheduleArgs{
			AutoscalingGroupName: groupName,
			ScheduledActionName:  pulumi.String(b.names.Group + "-" + act.suffix),
			Recurrence:           pulumi.String(act.cron),
			TimeZone:             pulumi.String(s.Timezone),
			MinSize:              pulumi.Int(act.size),
			DesiredCapacity:      pulumi.Int(act.size),
			MaxSize:              pulumi.Int(unchanged),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}
