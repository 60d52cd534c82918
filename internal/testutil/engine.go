// Package testutil holds the test-only helpers of the repository's tests: runs
// that fail a *testing.T, the base configurations tests vary, assertions on the
// component conventions and the ops-artifact fixture. The mock engine itself
// (the recorder, the data-source answers, the mocks' outputs) lives in
// internal/mockengine, which the offline plan links without `testing`; the
// names below re-export it so tests keep one import.
package testutil

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/mockengine"
)

// Mock engine types; see internal/mockengine.
type (
	// Resource is one registered resource as the engine would see it.
	Resource = mockengine.Resource
	// Invoke is one data-source call the program made.
	Invoke = mockengine.Invoke
	// Recorder records every registration and answers the known data sources.
	Recorder = mockengine.Recorder
	// Options configures one mock run.
	Options = mockengine.Options
	// Occurrence is one place a value appears in a resource's inputs.
	Occurrence = mockengine.Occurrence
)

// Mock engine constants; see internal/mockengine.
const (
	// Project is the Pulumi project name (Pulumi.yaml `name`), the config namespace.
	Project = mockengine.Project
	// AccountID is the fake AWS account every mock answer uses.
	AccountID = mockengine.AccountID
	// MockALBZoneID is the canonical hosted zone the mock gives every load balancer.
	MockALBZoneID = mockengine.MockALBZoneID
	// StackReferenceType is the type token of a stack reference.
	StackReferenceType = mockengine.StackReferenceType
)

// Run executes program under mocks and returns what it registered; see
// mockengine.Run.
func Run(program pulumi.RunFunc, o Options) (*Recorder, error) { return mockengine.Run(program, o) }

// NewRecorder returns an empty recorder for project/stack in region.
func NewRecorder(project, stack, region string) *Recorder {
	return mockengine.NewRecorder(project, stack, region)
}

// MockPassword is the value the mocks give a RandomPassword; see
// mockengine.MockPassword.
func MockPassword(res *Resource) string { return mockengine.MockPassword(res) }

// Get walks a path of object keys into m, secrets unwrapped; see mockengine.Get.
func Get(m resource.PropertyMap, path ...string) (resource.PropertyValue, bool) {
	return mockengine.Get(m, path...)
}

// Str returns the string at path in m, or ""; see mockengine.Str.
func Str(m resource.PropertyMap, path ...string) string { return mockengine.Str(m, path...) }

// Num returns the number at path in m, or 0; see mockengine.Num.
func Num(m resource.PropertyMap, path ...string) float64 { return mockengine.Num(m, path...) }

// Flag returns the boolean at path in m and whether it is set; see mockengine.Flag.
func Flag(m resource.PropertyMap, path ...string) (value, set bool) {
	return mockengine.Flag(m, path...)
}

// Strs returns the list of strings at path in m, or nil; see mockengine.Strs.
func Strs(m resource.PropertyMap, path ...string) []string { return mockengine.Strs(m, path...) }

// Objs returns the list of objects at path in m, or nil; see mockengine.Objs.
func Objs(m resource.PropertyMap, path ...string) []resource.PropertyMap {
	return mockengine.Objs(m, path...)
}

// IsSecret reports whether the value at path in m is itself secret; see
// mockengine.IsSecret.
func IsSecret(m resource.PropertyMap, path ...string) bool { return mockengine.IsSecret(m, path...) }
