// Package drregion describes the disaster-recovery region a component keeps
// copies in: the region, a provider for it and the key that encrypts there.
package drregion

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Target is the DR region of a component's copies.
type Target struct {
	// Region is the DR region.
	Region string
	// Provider is an aws provider for Region.
	Provider pulumi.ProviderResource
	// KeyArn is the DR region's key (a KMS key serves one region).
	KeyArn pulumi.StringInput
}

// Check reports what is missing for copies out of primary, or nil.
func (t *Target) Check(primary string) error {
	if t.Provider == nil || t.KeyArn == nil || t.Region == "" || t.Region == primary {
		return fmt.Errorf("the DR region needs a provider, a key and a region other than %s, got %q", primary, t.Region)
	}
	return nil
}
