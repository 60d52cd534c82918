package detzip_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/tools/detzip"
)

func TestWriteIsReproducible(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(bin, []byte("\x7fELF binary"), 0o700))
	require.NoError(t, os.WriteFile(ca, []byte("-----BEGIN CERTIFICATE-----"), 0o600))

	write := func(entries ...detzip.Entry) []byte {
		var buf bytes.Buffer
		require.NoError(t, detzip.Write(&buf, entries))
		return buf.Bytes()
	}
	a := write(detzip.ParseEntry(bin), detzip.ParseEntry("rds-ca.pem="+ca))
	// Other mtimes and argument order must not change a byte.
	later := time.Now().Add(time.Hour)
	require.NoError(t, os.Chtimes(bin, later, later))
	require.NoError(t, os.Chmod(bin, 0o755))
	b := write(detzip.ParseEntry("rds-ca.pem="+ca), detzip.ParseEntry(bin))
	assert.Equal(t, a, b)

	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	require.NoError(t, err)
	require.Len(t, zr.File, 2)
	assert.Equal(t, "bootstrap", zr.File[0].Name, "entries are sorted")
	assert.Equal(t, os.FileMode(0o755), zr.File[0].Mode().Perm(), "executables are 0755 whatever the umask")
	assert.Equal(t, "rds-ca.pem", zr.File[1].Name)
	assert.Equal(t, os.FileMode(0o644), zr.File[1].Mode().Perm())
	for _, f := range zr.File {
		assert.True(t, f.Modified.Equal(detzip.Epoch), f.Name)
	}
	rc, err := zr.File[0].Open()
	require.NoError(t, err)
	content, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, "\x7fELF binary", string(content))
}

func TestWriteRejects(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	require.NoError(t, os.WriteFile(f, nil, 0o644))
	for name, entries := range map[string][]detzip.Entry{
		"absolute":  {{Name: "/etc/x", Source: f}},
		"escaping":  {{Name: "../x", Source: f}},
		"duplicate": {{Name: "x", Source: f}, {Name: "x", Source: f}},
		"missing":   {{Name: "x", Source: filepath.Join(dir, "nope")}},
		"directory": {{Name: "x", Source: dir}},
	} {
		assert.Error(t, detzip.Write(io.Discard, entries), name)
	}
}
