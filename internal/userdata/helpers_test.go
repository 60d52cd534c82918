package userdata

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// update rewrites the golden files: go test ./internal/userdata -update
var update = flag.Bool("update", false, "rewrite testdata golden files")

// fixtures are the dev-like and prod-like inputs the golden files are made from.
var fixtures = map[string]func() Params{"dev": devParams, "prod": prodParams}

// mustCloudConfig renders p and parses the document back.
func mustCloudConfig(t *testing.T, p Params) (string, cloudConfig) {
	t.Helper()
	b, err := RenderCloudConfig(p)
	if err != nil {
		t.Fatalf("RenderCloudConfig: %v", err)
	}
	if !bytes.HasPrefix(b, []byte("#cloud-config\n")) {
		t.Fatalf("user data does not start with #cloud-config: %q", b[:min(len(b), 40)])
	}
	var cc cloudConfig
	if err := yaml.Unmarshal(b, &cc); err != nil {
		t.Fatalf("user data is not YAML: %v", err)
	}
	return string(b), cc
}

// fileAt returns the write_files entry for path.
func fileAt(t *testing.T, cc cloudConfig, path string) writeFile {
	t.Helper()
	for _, f := range cc.WriteFiles {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("user data writes no %s", path)
	return writeFile{}
}

// scriptFiles returns the bash scripts among write_files.
func scriptFiles(cc cloudConfig) []writeFile {
	var out []writeFile
	for _, f := range cc.WriteFiles {
		if strings.HasPrefix(f.Content, "#!/bin/bash\n") {
			out = append(out, f)
		}
	}
	return out
}

// plainUserData undoes the gzip Render may have applied.
func plainUserData(t *testing.T, b []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip header: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/userdata -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; review and run go test ./internal/userdata -update\n%s",
			path, firstDifference(string(want), string(got)))
	}
}

// firstDifference shows the first differing line.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return "(same lines, different bytes)"
}

// assertInOrder requires every step in script, each after the one before
// (first occurrences).
func assertInOrder(t *testing.T, script string, steps ...string) {
	t.Helper()
	last := -1
	for _, step := range steps {
		i := strings.Index(script, step)
		if i < 0 {
			t.Fatalf("script lacks %q", step)
		}
		if i < last {
			t.Errorf("script runs %q too early", step)
		}
		last = i
	}
}
