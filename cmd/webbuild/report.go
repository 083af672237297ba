package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
)

// report lists what was built with its size as written and as the server
// sends it (gzip at the best level, as internal/web's Assets compresses).
func report(w io.Writer, outDir string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tbytes\tgzip\t")
	var total, totalGz int
	err := filepath.WalkDir(outDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		gz, err := gzipSize(b)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(outDir, p)
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", filepath.ToSlash(rel), len(b), gz)
		total += len(b)
		totalGz += gz
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t\n", total, totalGz)
	return tw.Flush()
}

func gzipSize(b []byte) (int, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}
