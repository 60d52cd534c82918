package opsfunction

import (
	"fmt"
	"os"
	"path/filepath"
)

// MakeTarget is the Makefile target that builds the function's package.
const MakeTarget = "make opsfn"

// ResolveArtifact makes a relative artifact path relative to root, the project
// directory (Pulumi.yaml's), which is where `pulumi up` and `make` run; an
// absolute path, or an empty root, leaves the path as it is.
func ResolveArtifact(root, path string) string {
	if root == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}

// CheckArtifact fails unless path is a regular, non-empty file, telling the user
// how to build it. The stack calls it before registering anything, so a fresh
// clone fails at once instead of after half a deployment.
func CheckArtifact(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return fmt.Errorf("opsfunction: the ops function package is missing: run %q first (missing %s)", MakeTarget, path)
	case !fi.Mode().IsRegular() || fi.Size() == 0:
		return fmt.Errorf("opsfunction: %s is not a non-empty file: run %q first (missing %s)", path, MakeTarget, path)
	}
	return nil
}
