// Package loggroupstest is an in-memory CloudWatch Logs for the loggroups API:
// the three calls, with the service's not-found and already-exists errors.
package loggroupstest

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// Group is a fake log group's settings.
type Group struct {
	// KMSKeyID is the associated key, "" for none.
	KMSKeyID string
	// RetentionDays is 0 for "never expire".
	RetentionDays int
}

// Fake implements loggroups.API.
type Fake struct {
	mu     sync.Mutex
	groups map[string]Group
	calls  []string
	// Err, when set, fails every call.
	Err error
	// CreateRace makes the next CreateLogGroup find the group already created
	// (by the service) with no key.
	CreateRace bool
}

// New returns an empty fake.
func New() *Fake { return &Fake{groups: map[string]Group{}} }

// Put creates a group as a service would: no key, no retention.
func (f *Fake) Put(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groups[name] = Group{}
}

// Get returns a group's settings.
func (f *Fake) Get(name string) (Group, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.groups[name]
	return g, ok
}

// Calls lists the operations made, in order.
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *Fake) record(op string) error {
	f.calls = append(f.calls, op)
	return f.Err
}

// CreateLogGroup implements loggroups.API.
func (f *Fake) CreateLogGroup(_ context.Context, in *cloudwatchlogs.CreateLogGroupInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("CreateLogGroup"); err != nil {
		return nil, err
	}
	name := aws.ToString(in.LogGroupName)
	if f.CreateRace {
		f.CreateRace = false
		f.groups[name] = Group{}
	}
	if _, ok := f.groups[name]; ok {
		return nil, &types.ResourceAlreadyExistsException{Message: aws.String("The specified log group already exists")}
	}
	f.groups[name] = Group{KMSKeyID: aws.ToString(in.KmsKeyId)}
	return &cloudwatchlogs.CreateLogGroupOutput{}, nil
}

// AssociateKmsKey implements loggroups.API.
func (f *Fake) AssociateKmsKey(_ context.Context, in *cloudwatchlogs.AssociateKmsKeyInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.AssociateKmsKeyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("AssociateKmsKey"); err != nil {
		return nil, err
	}
	name := aws.ToString(in.LogGroupName)
	g, ok := f.groups[name]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("The specified log group does not exist.")}
	}
	g.KMSKeyID = aws.ToString(in.KmsKeyId)
	f.groups[name] = g
	return &cloudwatchlogs.AssociateKmsKeyOutput{}, nil
}

// PutRetentionPolicy implements loggroups.API.
func (f *Fake) PutRetentionPolicy(_ context.Context, in *cloudwatchlogs.PutRetentionPolicyInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutRetentionPolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("PutRetentionPolicy"); err != nil {
		return nil, err
	}
	name := aws.ToString(in.LogGroupName)
	g, ok := f.groups[name]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("The specified log group does not exist.")}
	}
	g.RetentionDays = int(aws.ToInt32(in.RetentionInDays))
	f.groups[name] = g
	return &cloudwatchlogs.PutRetentionPolicyOutput{}, nil
}
