package testutil

import (
	"path/filepath"
	"runtime"
)

// OpsArtifact is the absolute path of testdata/opsfn.zip, a stand-in for the
// ops function's package (build/opsfn/opsfn.zip, which `make opsfn` builds and
// unit tests do not). It is a valid zip holding one small `bootstrap` shell
// script that only exits 1: tests need a file that exists, never a working
// function. The path comes from this source file's location, so it is right
// from every package's test directory (tests are not built with -trimpath).
var OpsArtifact = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("testutil: cannot locate the test fixture directory")
	}
	return filepath.Join(filepath.Dir(file), "testdata", "opsfn.zip")
}()
