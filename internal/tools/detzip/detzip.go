// Package detzip writes byte-for-byte reproducible zip archives: entries sorted
// by name, one fixed modification time, fixed modes. The same inputs give the
// same archive on any machine, so a deployment package's hash changes only
// when its content does (and Pulumi updates the function only then).
package detzip

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"
)

// Epoch is every entry's modification time: the earliest a zip can record.
var Epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Entry is one file to archive.
type Entry struct {
	// Name is the path inside the archive (slash-separated, relative).
	Name string
	// Source is the file to read.
	Source string
}

// ParseEntry reads "name=source" or "source" (archived under its base name).
func ParseEntry(arg string) Entry {
	if name, src, ok := strings.Cut(arg, "="); ok {
		return Entry{Name: name, Source: src}
	}
	parts := strings.Split(strings.ReplaceAll(arg, "\\", "/"), "/")
	return Entry{Name: parts[len(parts)-1], Source: arg}
}

// Write archives entries into w. Files with any execute bit are stored 0755,
// others 0644, because Lambda runs bootstrap only if it is executable and the
// builder's umask must not matter.
func Write(w io.Writer, entries []Entry) error {
	sorted := append([]Entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	zw := zip.NewWriter(w)
	for i, e := range sorted {
		if e.Name == "" || strings.HasPrefix(e.Name, "/") || strings.Contains(e.Name, "..") {
			return fmt.Errorf("entry name %q must be a relative path", e.Name)
		}
		if i > 0 && sorted[i-1].Name == e.Name {
			return fmt.Errorf("entry %q given twice", e.Name)
		}
		if err := add(zw, e); err != nil {
			return err
		}
	}
	return zw.Close()
}

func add(zw *zip.Writer, e Entry) error {
	f, err := os.Open(e.Source)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", e.Source)
	}
	mode := fs.FileMode(0o644)
	if st.Mode()&0o111 != 0 {
		mode = 0o755
	}
	h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: Epoch}
	h.SetMode(mode)
	out, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, f); err != nil {
		return fmt.Errorf("archiving %s: %w", e.Source, err)
	}
	return nil
}
