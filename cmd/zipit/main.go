// Command zipit writes a reproducible zip (sorted entries, fixed times and
// modes) so that `make opsfn` needs no zip binary:
//
//	zipit -o out.zip file [name=file ...]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/morpheus-ha/morpheus-ha/internal/tools/detzip"
)

func main() {
	out := flag.String("o", "", "archive to write")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: zipit -o out.zip file [name=file ...]")
		os.Exit(2)
	}
	entries := make([]detzip.Entry, 0, flag.NArg())
	for _, a := range flag.Args() {
		entries = append(entries, detzip.ParseEntry(a))
	}
	var buf bytes.Buffer
	if err := detzip.Write(&buf, entries); err != nil {
		fmt.Fprintf(os.Stderr, "zipit: %v\n", err)
		os.Exit(1)
	}
	// Write to a temporary file and rename, so a failed run never leaves a
	// half-written archive that looks current to make.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".zipit-*")
	if err == nil {
		_, err = tmp.Write(buf.Bytes())
		if err == nil {
			err = tmp.Chmod(0o644)
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), *out)
		}
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "zipit: %v\n", err)
		os.Exit(1)
	}
}
