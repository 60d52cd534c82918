// Package secretstest provides an in-memory Secrets Manager for tests: versions,
// staging labels with the service's moving rules, RotateSecret's reserved
// AWSPENDING version, and failures injected per operation.
package secretstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// The operation names FailNext accepts.
const (
	OpDescribe  = "Describe"
	OpGetValue  = "GetValue"
	OpPutValue  = "PutValue"
	OpMoveStage = "MoveStage"
)

// ErrInjected is the default error FailNext injects.
var ErrInjected = errors.New("injected failure")

type version struct {
	value    string
	hasValue bool
	stages   []string
}

type secret struct {
	rotationEnabled bool
	versions        map[string]*version
}

// Fake is an in-memory secrets.Store. The zero value is not usable; call New.
type Fake struct {
	mu       sync.Mutex
	secrets  map[string]*secret
	failures map[string][]error
	calls    []string
}

var _ secrets.Store = (*Fake)(nil)

// New returns an empty fake.
func New() *Fake {
	return &Fake{secrets: map[string]*secret{}, failures: map[string][]error{}}
}

// Create adds a secret whose first version (id "v1-<id>") is AWSCURRENT, with
// rotation enabled.
func (f *Fake) Create(id, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.secrets[id] = &secret{
		rotationEnabled: true,
		versions:        map[string]*version{"v1-" + id: {value: value, hasValue: true, stages: []string{secrets.StageCurrent}}},
	}
}

// SetRotationEnabled switches the secret's rotation flag.
func (f *Fake) SetRotationEnabled(id string, on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.secrets[id].rotationEnabled = on
}

// StartRotation does what RotateSecret does before it invokes the function:
// reserve version token, without a value, labelled AWSPENDING. Like the service
// it refuses while another version that is not AWSCURRENT holds AWSPENDING, and
// accepts the same token again (a retried rotation).
func (f *Fake) StartRotation(id, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.secrets[id]
	if !ok {
		return fmt.Errorf("fake: no secret %s", id)
	}
	for vid, v := range s.versions {
		if vid != token && slices.Contains(v.stages, secrets.StagePending) && !slices.Contains(v.stages, secrets.StageCurrent) {
			return fmt.Errorf("fake: a rotation is already in progress (version %s is AWSPENDING)", vid)
		}
	}
	if _, ok := s.versions[token]; !ok {
		s.versions[token] = &version{}
	}
	f.attach(s, secrets.StagePending, token)
	return nil
}

// FailNext makes the next call of op fail with err (ErrInjected if nil). Calls
// queue: FailNext twice fails the next two calls.
func (f *Fake) FailNext(op string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil {
		err = ErrInjected
	}
	f.failures[op] = append(f.failures[op], err)
}

// Stages returns the secret's labelled versions, like DescribeSecret.
func (f *Fake) Stages(id string) map[string][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stagesLocked(f.secrets[id])
}

// ValueAt returns the value of the version carrying stage.
func (f *Fake) ValueAt(id, stage string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, v := range f.secrets[id].versions {
		if slices.Contains(v.stages, stage) && v.hasValue {
			return v.value, true
		}
	}
	return "", false
}

// Calls returns the operations called so far, in order.
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *Fake) enter(op string) error {
	f.calls = append(f.calls, op)
	if q := f.failures[op]; len(q) > 0 {
		f.failures[op] = q[1:]
		return q[0]
	}
	return nil
}

func (f *Fake) lookup(id string) (*secret, error) {
	s, ok := f.secrets[id]
	if !ok {
		return nil, fmt.Errorf("fake: no secret %s: %w", id, secrets.ErrNotFound)
	}
	return s, nil
}

func (f *Fake) stagesLocked(s *secret) map[string][]string {
	out := map[string][]string{}
	for id, v := range s.versions {
		if len(v.stages) > 0 {
			st := slices.Clone(v.stages)
			sort.Strings(st)
			out[id] = st
		}
	}
	return out
}

// attach moves stage onto version to, applying the AWSPREVIOUS rule.
func (f *Fake) attach(s *secret, stage, to string) {
	for id, v := range s.versions {
		if id != to && slices.Contains(v.stages, stage) {
			v.stages = slices.DeleteFunc(v.stages, func(x string) bool { return x == stage })
			if stage == secrets.StageCurrent {
				f.attach(s, secrets.StagePrevious, id)
			}
		}
	}
	if v := s.versions[to]; !slices.Contains(v.stages, stage) {
		v.stages = append(v.stages, stage)
	}
}

// Describe implements secrets.Store.
func (f *Fake) Describe(_ context.Context, id string) (secrets.Description, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(OpDescribe); err != nil {
		return secrets.Description{}, err
	}
	s, err := f.lookup(id)
	if err != nil {
		return secrets.Description{}, err
	}
	return secrets.Description{ARN: id, RotationEnabled: s.rotationEnabled, VersionStages: f.stagesLocked(s)}, nil
}

// GetValue implements secrets.Store.
func (f *Fake) GetValue(_ context.Context, id, versionID, stage string) (secrets.Version, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(OpGetValue); err != nil {
		return secrets.Version{}, err
	}
	s, err := f.lookup(id)
	if err != nil {
		return secrets.Version{}, err
	}
	for vid, v := range s.versions {
		if (versionID == "" || vid == versionID) && (stage == "" || slices.Contains(v.stages, stage)) {
			if !v.hasValue {
				break
			}
			return secrets.Version{ID: vid, Stages: slices.Clone(v.stages), Value: v.value}, nil
		}
	}
	return secrets.Version{}, fmt.Errorf("fake: secret %s version %q stage %q: %w", id, versionID, stage, secrets.ErrNotFound)
}

// PutValue implements secrets.Store, with PutSecretValue's idempotency rule: the
// same id with the same value is accepted, with another value refused.
func (f *Fake) PutValue(_ context.Context, id, versionID, value string, stages []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(OpPutValue); err != nil {
		return err
	}
	s, err := f.lookup(id)
	if err != nil {
		return err
	}
	v, ok := s.versions[versionID]
	switch {
	case ok && v.hasValue && v.value != value:
		return fmt.Errorf("fake: ResourceExistsException: version %s already holds another value", versionID)
	case !ok:
		v = &version{}
		s.versions[versionID] = v
	}
	v.value, v.hasValue = value, true
	for _, st := range stages {
		f.attach(s, st, versionID)
	}
	return nil
}

// MoveStage implements secrets.Store with UpdateSecretVersionStage's rules: the
// label must be on fromID when fromID is given.
func (f *Fake) MoveStage(_ context.Context, id, stage, toID, fromID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(OpMoveStage); err != nil {
		return err
	}
	s, err := f.lookup(id)
	if err != nil {
		return err
	}
	if fromID != "" {
		from, ok := s.versions[fromID]
		if !ok || !slices.Contains(from.stages, stage) {
			return fmt.Errorf("fake: InvalidParameterException: %s is not attached to version %s", stage, fromID)
		}
	}
	if toID == "" {
		from := s.versions[fromID]
		from.stages = slices.DeleteFunc(from.stages, func(x string) bool { return x == stage })
		return nil
	}
	if _, ok := s.versions[toID]; !ok {
		return fmt.Errorf("fake: ResourceNotFoundException: no version %s", toID)
	}
	f.attach(s, stage, toID)
	return nil
}
