package opsfunction

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
)

// MakeTarget is the Makefile target that builds the function's package.
const MakeTarget = "make opsfn"

// CABundleName is where the package carries the RDS CA bundle
// (internal/ops/handler's DefaultCAFile; `make opsfn OPSFN_CA=<pem>` adds it).
const CABundleName = "rds-ca.pem"

// ResolveArtifact makes a relative artifact path relative to root, the project
// directory (Pulumi.yaml's), which is where `pulumi up` and `make` run; an
// absolute path, or an empty root, leaves the path as it is.
func ResolveArtifact(root, path string) string {
	if root == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}

// CheckArtifact fails unless path is a zip holding the function's bootstrap
// executable, telling the user how to build it. The stack calls it before
// registering anything, so a fresh clone fails at once instead of after half
// a deployment.
func CheckArtifact(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("opsfunction: the ops function package is missing: run %q first (missing %s)", MakeTarget, path)
	}
	if _, err := inspect(path); err != nil {
		return fmt.Errorf("opsfunction: %s is not the ops function package (%v): run %q first", path, err, MakeTarget)
	}
	return nil
}

// HasCABundle reports whether the package at path carries the RDS CA bundle.
// Without it the function's MySQL work fails closed (it never skips
// certificate verification), so the bootstrap of the database user fails.
func HasCABundle(path string) (bool, error) {
	return inspect(path)
}

// inspect opens the zip, requires a bootstrap entry and reports the CA bundle.
func inspect(path string) (hasCA bool, err error) {
	r, err := zip.OpenReader(path)
	if err != nil {
		return false, err
	}
	defer r.Close()
	hasBootstrap := false
	for _, f := range r.File {
		switch f.Name {
		case Handler:
			hasBootstrap = true
		case CABundleName:
			hasCA = true
		}
	}
	if !hasBootstrap {
		return false, fmt.Errorf("no %s entry", Handler)
	}
	return hasCA, nil
}

// ArtifactHash is the package's SHA-256 in base64, as Lambda reports a
// function's CodeSha256. It is computed here, at plan time, so the bootstrap
// re-runs when the code changes without waiting on (or guessing) a provider
// output.
func ArtifactHash(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}
